"""The network figures page's extras: how many reports each month's totals rest on, and the page's
table as a download (CSV/XLSX through the project's one export path).

A month's total drops when organisations have not handed in yet, not only when fewer families came:
the page says which months are short of reports so nobody reads a missing report as a fall in service.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from partners.models import Centre, Organisation

from . import exports, periods
from .choices import COUNTED_STATUSES
from .models import MonthlyReport


def reports_by_month(months: list[datetime.date]) -> list[dict]:
    """For each month: organisations expected to report (a centre operating) and those whose report
    counts in the figures (handed in and not sent back). One query whatever the number of months."""
    aggregates = {}
    for index, month in enumerate(months):
        operating = Exists(
            Centre.objects.operating_in_month(month, periods.last_of(month)).filter(
                organisation=OuterRef("pk")
            )
        )
        counted = Exists(
            MonthlyReport.objects.filter(
                organisation=OuterRef("pk"), month=month, status__in=COUNTED_STATUSES
            )
        )
        aggregates[f"expected_{index}"] = Count("pk", filter=Q(operating))
        aggregates[f"received_{index}"] = Count("pk", filter=Q(operating) & Q(counted))
    counts = Organisation.objects.active().aggregate(**aggregates) if months else {}
    rows = []
    for index, month in enumerate(months):
        expected, received = counts[f"expected_{index}"], counts[f"received_{index}"]
        rows.append(
            {
                "month": month,
                "expected": expected,
                "received": received,
                "missing": max(0, expected - received),
            }
        )
    return rows


def _number(value):
    """Sums come back as Decimal('15032.00'): a whole number is written as one (15032, not 15032.00)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def download(context: dict, fmt: str):
    """The table the page shows (prefectures by month, the network's totals and the reports each
    month rests on) as a file."""
    indicator = context["indicator"]
    months = context["months"]
    headers = [_("Prefecture")] + [m.strftime("%Y-%m") for m in months]
    headers.append(f"{_('Total')} ({indicator.rollup_label})")
    rows = [
        [prefecture.name, *map(_number, values), _number(total)]
        for prefecture, values, total in context["table"]
    ]
    rows.append([_("Network"), *map(_number, context["month_totals"]), _number(context["grand_total"])])
    rows.append(
        [_("Reports received / expected")]
        + [f"{row['received']}/{row['expected']}" for row in context["reports_by_month"]]
        + [""]
    )
    title = context["indicator_heading"]
    return exports.download(headers, rows, f"network-figures-{indicator.code}", fmt, title=title)
