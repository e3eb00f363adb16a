"""Boxes on the role home page: what to fill in (organisations) and what to review (hub)."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from partners import coverage
from partners.models import Centre, Organisation

from . import periods
from .choices import ReportStatus
from .models import MonthlyReport, Target
from .network_home import cached_network_panel
from .targets import HOME_TEMPLATE, achievements

TEMPLATE = "reports/_home_panel.html"
RETURNED_TEMPLATE = "reports/_home_returned.html"
# More than a year of returned months would be a conversation, not a list.
RETURNED_SHOWN = 12


def _last_month():
    return periods.add_months(periods.first_of(timezone.localdate()), -1)


def panels(request) -> list[dict]:
    user = request.user
    month = _last_month()
    result = []
    if user.is_viewer:
        result.append(cached_network_panel())
    if user.is_hub:
        result.append({"template": TEMPLATE, "kind": "hub", "month": month, **cached_hub_counts(month)})
    if (user.is_partner or user.is_hub) and user.organisation_id:
        report = (
            MonthlyReport.objects.for_user(user)
            .filter(organisation_id=user.organisation_id, month=month)
            .first()
        )
        # Always asked, so that the page's query count does not depend on whether the report exists;
        # whether the organisation has targets this year rides in the same query.
        operating, has_targets = _operating_and_targets(user.organisation_id, month)
        if report is not None or operating:
            due = periods.due_date(month)
            handed_in = report is not None and report.first_submitted_at is not None
            result.append(
                {
                    "template": TEMPLATE,
                    "kind": "own",
                    "month": month,
                    "report": report,
                    "due": due,
                    "days_late": 0 if handed_in else max(0, (timezone.localdate() - due).days),
                }
            )
        # Months the hub sent back, oldest first, with its comment and the way to fix each (1 query).
        returned = list(
            MonthlyReport.objects.for_user(user)
            .filter(organisation_id=user.organisation_id, status=ReportStatus.RETURNED)
            .order_by("month")[:RETURNED_SHOWN]
        )
        if returned:
            result.insert(0, {"template": RETURNED_TEMPLATE, "reports": returned})
        if has_targets:
            result.append(_targets_panel(user, month.year))
    return result


def _operating_and_targets(organisation_id: int, month) -> tuple[bool, bool]:
    """Whether the organisation had a centre operating in ``month`` and has targets for its year (1 query)."""
    operating = Centre.objects.operating_in_month(month, periods.last_of(month)).filter(
        organisation_id=organisation_id
    )
    targets = Target.objects.filter(organisation_id=organisation_id, year=month.year)
    found = (
        Organisation.objects.filter(pk=organisation_id)
        .values_list(Exists(operating), Exists(targets))
        .first()
    )
    return tuple(found) if found else (False, False)


def _targets_panel(user, year: int) -> dict:
    """The organisation's targets for the year and how far its reports have got (2 queries)."""
    rows = achievements([user.organisation_id], year, user=user).get(user.organisation_id, [])
    return {
        "template": HOME_TEMPLATE,
        "kind": "targets",
        "width": "col-12",
        "year": year,
        "rows": rows,
        "organisation_id": user.organisation_id,
        "can_set": user.is_hub,
    }


def cached_hub_counts(month) -> dict:
    """``hub_counts`` kept per coverage data version: every count comes from reports, centres and
    organisations, and any save or delete of one sets a new version (``partners.coverage``), so a
    review shows on the next load. Two cache reads instead of two queries, one of them over every
    active organisation."""
    return coverage.cached("hub-counts", (month.isoformat(),), lambda: hub_counts(month))


def hub_counts(month) -> dict:
    """Reports waiting for review, and of the organisations expected to report for ``month``: how many
    handed in on time, late, or not yet. 2 queries."""
    waiting = MonthlyReport.objects.waiting().count()
    operating = Centre.objects.operating_in_month(month, periods.last_of(month)).filter(
        organisation=OuterRef("pk")
    )
    # Late means first handed in after the due day (local time), as in the grid.
    deadline = timezone.make_aware(
        datetime.datetime.combine(periods.due_date(month) + datetime.timedelta(days=1), datetime.time.min)
    )
    handed_in = MonthlyReport.objects.filter(
        organisation=OuterRef("pk"), month=month, first_submitted_at__isnull=False
    )
    on_time = handed_in.filter(first_submitted_at__lt=deadline)
    counts = (
        Organisation.objects.active()
        .filter(Exists(operating))
        .aggregate(
            expected=Count("pk"),
            missing=Count("pk", filter=~Q(Exists(handed_in))),
            on_time=Count("pk", filter=Q(Exists(on_time))),
        )
    )
    handed = counts["expected"] - counts["missing"]
    return {
        "waiting": waiting,
        "expected": counts["expected"],
        "missing": counts["missing"],
        "on_time": counts["on_time"],
        "late": handed - counts["on_time"],
    }
