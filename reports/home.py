"""Boxes on the role home page: what to fill in (organisations) and what to review (hub)."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from partners.models import Centre, Organisation

from . import periods
from .models import MonthlyReport

TEMPLATE = "reports/_home_panel.html"


def _last_month():
    return periods.add_months(periods.first_of(timezone.localdate()), -1)


def panels(request) -> list[dict]:
    user = request.user
    month = _last_month()
    result = []
    if user.is_hub:
        result.append({"template": TEMPLATE, "kind": "hub", "month": month, **hub_counts(month)})
    if (user.is_partner or user.is_hub) and user.organisation_id:
        report = (
            MonthlyReport.objects.for_user(user)
            .filter(organisation_id=user.organisation_id, month=month)
            .first()
        )
        expected = report is not None or (
            Centre.objects.operating_in_month(month, periods.last_of(month))
            .filter(organisation_id=user.organisation_id)
            .exists()
        )
        if expected:
            result.append(
                {
                    "template": TEMPLATE,
                    "kind": "own",
                    "month": month,
                    "report": report,
                    "due": periods.due_date(month),
                }
            )
    return result


def hub_counts(month) -> dict:
    """Reports waiting for review, and organisations expected to report for ``month`` that have not: 2 queries."""
    waiting = MonthlyReport.objects.waiting().count()
    operating = Centre.objects.operating_in_month(month, periods.last_of(month)).filter(
        organisation=OuterRef("pk")
    )
    handed_in = MonthlyReport.objects.filter(
        organisation=OuterRef("pk"), month=month, first_submitted_at__isnull=False
    )
    counts = (
        Organisation.objects.active()
        .filter(Exists(operating))
        .aggregate(expected=Count("pk"), missing=Count("pk", filter=~Q(Exists(handed_in))))
    )
    return {"waiting": waiting, "expected": counts["expected"], "missing": counts["missing"]}
