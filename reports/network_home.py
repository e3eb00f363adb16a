"""The viewer's home box (funders, officials): the network in figures, not only its meetings.

The latest complete month's key figures (rolled up as each indicator says), how many of the
organisations expected to report did, and how many of the province's prefectures have a centre.
A fixed number of queries whatever the network's size (5).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from partners import coverage
from partners.coverage import coverage_as_of
from partners.models import Centre, Organisation

from . import periods
from .choices import COUNTED_STATUSES
from .models import Indicator, MonthlyReport, ReportValue
from .rollup import UnitMonths, rollup, unit_of_value

TEMPLATE = "reports/_network_panel.html"
# What a funder asks first: how many families and children came, and what was held for them.
KEY_INDICATORS = ("families_served", "child_visits", "classes", "parenting_sessions", "volunteer_hours")


def reporting_counts(month: datetime.date) -> dict:
    """Organisations with a centre operating in ``month`` and how many of them handed in (1 query)."""
    operating = Centre.objects.operating_in_month(month, periods.last_of(month)).filter(
        organisation=OuterRef("pk")
    )
    handed_in = MonthlyReport.objects.filter(
        organisation=OuterRef("pk"), month=month, first_submitted_at__isnull=False
    )
    counts = (
        Organisation.objects.active()
        .filter(Exists(operating))
        .aggregate(expected=Count("pk"), received=Count("pk", filter=Q(Exists(handed_in))))
    )
    expected = counts["expected"]
    return {
        "expected": expected,
        "received": counts["received"],
        "rate": round(counts["received"] * 100 / expected) if expected else None,
    }


def key_figures(month: datetime.date) -> list[dict]:
    """The key indicators' network figures for ``month`` (2 queries)."""
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=KEY_INDICATORS)}
    by_unit: dict = {}
    for indicator_id, _unit, figure in (
        ReportValue.objects.filter(
            indicator__code__in=KEY_INDICATORS,
            month=month,
            report__status__in=COUNTED_STATUSES,
            number__isnull=False,
        )
        .values_list("indicator_id")
        .annotate(unit=unit_of_value())
        .values_list("indicator_id", "unit")
        .annotate(figure=Sum("number"))
        .values_list("indicator_id", "unit", "figure")
        .order_by()
    ):
        by_unit.setdefault(indicator_id, []).append(UnitMonths.of({month: figure}))
    rows = []
    for code in KEY_INDICATORS:
        indicator = indicators.get(code)
        if indicator is None:
            continue
        rows.append({"indicator": indicator, "value": rollup(indicator, by_unit.get(indicator.pk, []))})
    return rows


def cached_network_panel() -> dict:
    """``network_panel`` kept per coverage data version and day: its figures, reporting counts and
    coverage come from reports, centres and organisations, and any save or delete of one sets a new
    version (``partners.coverage``). Read by every funder and official on every visit, computed once
    (the key figures' query is over the month's report values)."""
    return coverage.cached("network-panel", (timezone.localdate().isoformat(),), network_panel)


def shown_month(today: datetime.date) -> datetime.date:
    """The latest month whose reports are due: on 2 December November's are not (due on the 5th), and
    a box of half-month figures and a 50% reporting rate would read to a funder as a collapse."""
    month = periods.add_months(periods.first_of(today), -1)
    if today <= periods.due_date(month):
        month = periods.add_months(month, -1)
    return month


def network_panel() -> dict:
    today = timezone.localdate()
    month = shown_month(today)
    coverage = coverage_as_of(today)
    figures = key_figures(month)
    return {
        "template": TEMPLATE,
        "kind": "network",
        "width": "col-12",
        "month": month,
        # Rows of dashes say nothing: before any report of the month, the box says why it is empty.
        "figures": figures if any(row["value"] is not None for row in figures) else [],
        "reporting": reporting_counts(month),
        "covered": len(coverage.covered),
        "prefectures": len(coverage.prefectures),
        "centres": coverage.total_centres,
    }
