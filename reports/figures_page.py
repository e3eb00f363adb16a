"""The network figures page's extras: how many reports each month's totals rest on, and the page's
table as a download (CSV/XLSX through the project's one export path).

A month's total drops when organisations have not handed in yet, not only when fewer families came:
the page says which months are short of reports so nobody reads a missing report as a fall in service.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Sum
from django.utils.translation import gettext as _

from partners.choices import OrganisationStatus
from partners.models import Centre, Organisation

from . import exports
from .choices import COUNTED_STATUSES
from .models import MonthlyReport, ReportValue
from .rollup import UnitMonths, rollup, unit_of_value

# In the cache key: a deploy that changes what an entry holds must not read the entries of the one before.
ENTRY_FORMAT = 1
# The entry is checked against the data version on every read; the timeout only frees memory.
CACHE_SECONDS = 3600


def network_figures(indicator, months: list[datetime.date]) -> dict:
    """The page's numbers (2 queries), from the cache while the network's data version is unchanged.

    ``month_totals``, ``grand_total``, ``table`` (prefecture id, the months' figures, the total; only
    prefectures with a figure) and ``reports_by_month``. The figures change with reports (each save
    of a report or its values sets a new data version, ``partners.coverage.data_changed``) and with
    the indicator's roll-up (its ``updated_at`` is in the key). The version is kept in the entry and
    read, with the entry, before the database: a change committed meanwhile is not believed stale-free.
    """
    from partners.coverage import cached_as_of_version

    key = "reports:figures:{}:{}:{}:{}:{}".format(
        ENTRY_FORMAT,
        indicator.pk if indicator else "",
        indicator.updated_at.isoformat() if indicator and indicator.updated_at else "",
        months[0].isoformat(),
        months[-1].isoformat(),
    )
    return cached_as_of_version(key, lambda: _network_figures(indicator, months), CACHE_SECONDS)


def _network_figures(indicator, months: list[datetime.date]) -> dict:
    # Each unit's figure per month, by prefecture; the totals are the indicator's roll-up.
    by_prefecture: dict = defaultdict(lambda: defaultdict(dict))
    if indicator:
        rows = (
            ReportValue.objects.filter(
                indicator=indicator,
                month__gte=months[0],
                month__lte=months[-1],
                report__status__in=COUNTED_STATUSES,
            )
            .values_list("month", "centre__prefecture_id")
            .annotate(unit=unit_of_value())
            .values_list("month", "centre__prefecture_id", "unit")
            .annotate(figure=Sum("number"))
            .order_by()
        )
        for month, prefecture_id, unit_key, figure in rows:
            by_prefecture[prefecture_id][unit_key][month] = figure

    def total(month=None, prefecture_id=None):
        wanted = by_prefecture.values() if prefecture_id is None else [by_prefecture.get(prefecture_id, {})]
        return rollup(
            indicator,
            [
                UnitMonths.of(by_month if month is None else {month: by_month.get(month)})
                for units in wanted
                for by_month in units.values()
            ],
        )

    table = []
    if indicator:
        for prefecture_id in by_prefecture:
            values = [total(month=m, prefecture_id=prefecture_id) for m in months]
            if any(v is not None for v in values):
                table.append((prefecture_id, values, total(prefecture_id=prefecture_id)))
    return {
        "month_totals": [total(month=m) for m in months] if indicator else [None] * len(months),
        "grand_total": total() if indicator else None,
        "table": table,
        "reports_by_month": reports_by_month(months),
    }


def reports_by_month(months: list[datetime.date]) -> list[dict]:
    """For each month: organisations expected to report (active, a centre operating at some point of
    the month, ``Centre.objects.operating_in_month``) and those whose report counts in the figures
    (handed in and not sent back). One query whatever the number of months: the (organisation,
    month) pairs expected, joined to the counted reports of those months and counted per month (an
    EXISTS per organisation and month was 24,000 index probes at 100x, three times as long).
    """
    if not months:
        return []
    # Table names from the models; every value is a parameter.
    sql = f"""
        WITH months AS (
            SELECT m AS month, (m + interval '1 month' - interval '1 day')::date AS month_end
            FROM unnest(%s::date[]) AS m
        ), expected AS (
            SELECT DISTINCT c.organisation_id, months.month
            FROM {Centre._meta.db_table} c
            JOIN {Organisation._meta.db_table} o ON o.id = c.organisation_id AND o.status = %s
            JOIN months ON c.opened_on <= months.month_end
                       AND (c.closed_on IS NULL OR c.closed_on >= months.month)
        )
        SELECT e.month, count(*), count(r.id)
        FROM expected e
        LEFT JOIN {MonthlyReport._meta.db_table} r
               ON r.organisation_id = e.organisation_id AND r.month = e.month AND r.status = ANY(%s)
                  AND r.month BETWEEN %s AND %s
        GROUP BY e.month
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                months,
                str(OrganisationStatus.ACTIVE),
                [str(s) for s in COUNTED_STATUSES],
                months[0],
                months[-1],
            ],
        )
        counts = {month: (expected, received) for month, expected, received in cursor.fetchall()}
    rows = []
    for month in months:
        expected, received = counts.get(month, (0, 0))
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
