"""What the monthly reports contribute to an organisation's support timeline
(``partners.hooks.timeline_sources``): each report the hub returned for revision or approved."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .choices import EventAction
from .models import MonthlyReport, ReportEvent


def report_reviews(organisation, user, since, until) -> list[dict]:
    """Returns and approvals of the organisation's monthly reports, with the hub's comment (one query)."""
    events = (
        ReportEvent.objects.filter(
            report__in=MonthlyReport.objects.for_user(user).filter(organisation=organisation),
            action__in=(EventAction.RETURNED, EventAction.APPROVED),
            at__date__gte=since,
            at__date__lte=until,
        )
        .select_related("report")
        .order_by("-at")
    )
    return [
        {
            "date": event.at,
            "category": _("Monthly report"),
            "title": _("%(month)s report: %(action)s")
            % {"month": f"{event.report.month:%Y-%m}", "action": event.get_action_display()},
            "detail": event.comment,
            "url": event.report.get_absolute_url(),
        }
        for event in events
    ]


def register() -> None:
    from partners.hooks import timeline_sources

    timeline_sources.register(report_reviews)
