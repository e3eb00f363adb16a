"""Report figures for the coverage pages: totals by prefecture, by year, and a prefecture's last months.

Counted are handed-in reports (submitted, resubmitted, approved), as on the network figures page, so
the numbers on every page agree. Each function is one query. Totals over months and centres go
through ``reports.rollup``: a stock (families that came this month) is not added up over months.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from hubsite.core.charts import bar_chart

from . import periods
from .choices import COUNTED_STATUSES
from .models import Indicator, ReportValue
from .rollup import UnitMonths, rolled_up, rollup, unit_of_value

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
    """Each prefecture's figure over the months (rolled up as the indicator says), by prefecture code."""
    values = _values(code).filter(month__gte=first, month__lte=last)
    totals = rolled_up(values, "report__organisation__prefecture__code")
    return {prefecture: float(total) for prefecture, total in totals.items() if total is not None}


def totals_by_year(code: str, first_year: int, last_year: int) -> list[tuple[int, float]]:
    """Each year's figure (rolled up as the indicator says: the families in an average month of the
    year, not twelve months of families added up)."""
    values = (
        _values(code)
        .filter(month__gte=datetime.date(first_year, 1, 1), month__lte=datetime.date(last_year, 12, 1))
        .annotate(year=ExtractYear("month"))
    )
    # The roll-up is done in the database: one row per year, not one per centre and year.
    totals = {int(year): total for year, total in rolled_up(values, "year").items()}
    return [(year, float(totals.get(year) or 0)) for year in range(first_year, last_year + 1)]


def prefecture_series(
    prefecture, indicators: list[Indicator], as_of: datetime.date
) -> dict[str, tuple[list[tuple[datetime.date, float]], Decimal | None]]:
    """Each indicator's figure in the prefecture for each of the last 12 months, and the 12 months
    rolled up, by indicator code: one query for all of them."""
    first, last = last_twelve_months(as_of)
    by_unit: dict = {indicator.code: defaultdict(dict) for indicator in indicators}
    by_month: dict = {indicator.code: defaultdict(list) for indicator in indicators}
    rows = (
        ReportValue.objects.filter(
            indicator__code__in=list(by_unit),
            report__status__in=COUNTED_STATUSES,
            number__isnull=False,
            report__organisation__prefecture=prefecture,
            month__gte=first,
            month__lte=last,
            # The report's month is the value's: said of the report too, the database reads only the
            # prefecture's reports of these 12 months (by organisation and month), not all of them.
            report__month__gte=first,
            report__month__lte=last,
        )
        .values_list("indicator__code", "month")
        .annotate(unit=unit_of_value())
        .values_list("indicator__code", "month", "unit")
        .annotate(total=Sum("number"))
        .values_list("indicator__code", "month", "unit", "total")
        .order_by()
    )
    for code, month, unit_key, total in rows:
        by_unit[code][unit_key][month] = total
        by_month[code][month].append(UnitMonths.of({month: total}))
    result = {}
    for indicator in indicators:
        months = by_month[indicator.code]
        series = [
            (month, float(rollup(indicator, months.get(month, ())) or 0))
            for month in periods.months_between(first, last)
        ]
        units = by_unit[indicator.code].values()
        result[indicator.code] = (series, rollup(indicator, [UnitMonths.of(m) for m in units]))
    return result


def prefecture_months(
    prefecture, indicator: Indicator, as_of: datetime.date
) -> tuple[list[tuple[datetime.date, float]], Decimal | None]:
    """The prefecture's figure for each of the last 12 months, and the 12 months rolled up."""
    return prefecture_series(prefecture, [indicator], as_of)[indicator.code]


def prefecture_panels(request, prefecture) -> list[dict]:
    """The prefecture page's figures: child visits and families served, month by month (2 queries)."""
    today = timezone.localdate()
    found = {i.code: i for i in Indicator.objects.filter(code__in=MAP_INDICATORS)}
    # An indicator retired from the set still has its past figures: shown as a flow, by its code.
    indicators = [
        found.get(code) or Indicator(code=code, label_zh=code, label_en=code)
        for code in ("child_visits", "families_served")
    ]
    figures = prefecture_series(prefecture, indicators, today)
    charts = []
    for indicator in indicators:
        series, total = figures[indicator.code]
        charts.append(
            {
                "title": indicator.label,
                "reported": total is not None,
                "total": total or 0,
                "total_label": indicator.rollup_label,
                "chart": bar_chart([(f"{m:%m}", v) for m, v in series], label=indicator.label),
            }
        )
    # A prefecture nobody reported from gets a sentence, not twelve bars of 0.
    reported = any(chart["reported"] for chart in charts)
    return [{"template": "reports/_prefecture_figures.html", "charts": charts, "reported": reported}]
