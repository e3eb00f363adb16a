"""Report figures for the coverage pages: totals by prefecture, by year, and a prefecture's last months.

Counted are handed-in reports (submitted, resubmitted, approved), as on the network figures page, so
the numbers on every page agree. Each function is one query.
"""

from __future__ import annotations

import datetime

from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from hubsite.core.charts import bar_chart

from . import periods
from .choices import COUNTED_STATUSES
from .models import Indicator, ReportValue

MAP_INDICATORS = ("families_served", "child_visits")


def _values(code: str):
    return ReportValue.objects.filter(
        indicator__code=code, report__status__in=COUNTED_STATUSES, number__isnull=False
    )


def last_twelve_months(as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The 12 complete months before the month of ``as_of``."""
    last = periods.add_months(periods.first_of(as_of), -1)
    return periods.add_months(last, -11), last


def totals_by_prefecture(code: str, first: datetime.date, last: datetime.date) -> dict[str, float]:
    rows = (
        _values(code)
        .filter(month__gte=first, month__lte=last)
        .values_list("report__organisation__prefecture__code")
        .annotate(total=Sum("number"))
        .values_list("report__organisation__prefecture__code", "total")
    )
    return {prefecture: float(total) for prefecture, total in rows}


def totals_by_year(code: str, first_year: int, last_year: int) -> list[tuple[int, float]]:
    rows = dict(
        _values(code)
        .filter(month__gte=datetime.date(first_year, 1, 1), month__lte=datetime.date(last_year, 12, 1))
        .annotate(year=ExtractYear("month"))
        .values_list("year")
        .annotate(total=Sum("number"))
        .values_list("year", "total")
    )
    return [(year, float(rows.get(year, 0))) for year in range(first_year, last_year + 1)]


def prefecture_months(prefecture, code: str, as_of: datetime.date) -> list[tuple[datetime.date, float]]:
    first, last = last_twelve_months(as_of)
    rows = dict(
        _values(code)
        .filter(report__organisation__prefecture=prefecture, month__gte=first, month__lte=last)
        .values_list("month")
        .annotate(total=Sum("number"))
        .values_list("month", "total")
    )
    return [(month, float(rows.get(month, 0))) for month in periods.months_between(first, last)]


def prefecture_panels(request, prefecture) -> list[dict]:
    """The prefecture page's figures: child visits and families served, month by month (2 queries)."""
    today = timezone.localdate()
    labels = {i.code: i.label for i in Indicator.objects.filter(code__in=MAP_INDICATORS)}
    charts = []
    for code in ("child_visits", "families_served"):
        series = prefecture_months(prefecture, code, today)
        charts.append(
            {
                "title": labels.get(code, code),
                "total": sum(value for _month, value in series),
                "chart": bar_chart([(f"{m:%m}", v) for m, v in series], label=labels.get(code, code)),
            }
        )
    return [{"template": "reports/_prefecture_figures.html", "charts": charts}]
