"""What mutual aid contributes to an organisation's support timeline
(``partners.hooks.timeline_sources``): expansion funding decisions and coaching sessions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .choices import ApplicationStatus
from .models import CoachingSession, ExpansionFundingApplication


def funding_decisions(organisation, user, since, until) -> list[dict]:
    """Expansion funding the hub approved or declined (one query)."""
    applications = ExpansionFundingApplication.objects.for_user(user).filter(
        organisation=organisation,
        status__in=(ApplicationStatus.APPROVED, ApplicationStatus.DECLINED),
        decided_at__date__gte=since,
        decided_at__date__lte=until,
    )
    events = []
    for application in applications:
        if application.status == ApplicationStatus.APPROVED:
            title = _("Expansion funding approved for %(site)s: %(amount)s yuan") % {
                "site": application.site_name,
                "amount": application.approved_amount,
            }
        else:
            title = _("Expansion funding declined for %(site)s") % {"site": application.site_name}
        events.append(
            {
                "date": application.decided_at,
                "category": _("Funding"),
                "title": title,
                "detail": application.decision_note,
                "url": application.get_absolute_url(),
            }
        )
    return events


def coaching(organisation, user, since, until) -> list[dict]:
    """Coaching sessions of the organisation's director (one query)."""
    sessions = CoachingSession.objects.for_user(user).filter(
        organisation=organisation, held_on__gte=since, held_on__lte=until
    )
    return [
        {
            "date": session.held_on,
            "category": _("Coaching"),
            "title": session.topic,
            "detail": _("Coach: %(coach)s") % {"coach": session.coach},
            "url": session.get_absolute_url(),
        }
        for session in sessions
    ]


def register() -> None:
    from partners.hooks import timeline_sources

    timeline_sources.register(funding_decisions)
    timeline_sources.register(coaching)
