"""What meetings contribute to an organisation's support timeline (``partners.hooks.timeline_sources``):
its individual supervisions with their diagnoses, and the network meetings its people attended."""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .choices import Attendance, MeetingKind, MeetingStatus
from .models import Invitation, Meeting


def _day_range(since, until) -> dict:
    return {"starts_at__date__gte": since, "starts_at__date__lte": until}


def supervisions(organisation, user, since, until) -> list[dict]:
    """Held supervisions of the organisation, each with its diagnosis when recorded (one query)."""
    meetings = (
        Meeting.objects.for_user(user)
        .filter(kind=MeetingKind.SUPERVISION, organisation=organisation, status=MeetingStatus.HELD)
        .filter(**_day_range(since, until))
        .select_related("diagnosis")
    )
    events = []
    for meeting in meetings:
        diagnosis = getattr(meeting, "diagnosis", None)
        detail = ""
        if diagnosis is not None:
            parts = [
                (_("Teaching"), diagnosis.teaching),
                (_("Operations"), diagnosis.operations),
                (_("Needs"), diagnosis.needs),
            ]
            detail = " · ".join(f"{label}: {Truncator(text).chars(120)}" for label, text in parts if text)
        events.append(
            {
                "date": meeting.starts_at,
                "category": _("Supervision"),
                "title": meeting.display_title,
                "detail": detail,
                "url": meeting.get_absolute_url(),
            }
        )
    return events


def meetings_attended(organisation, user, since, until) -> list[dict]:
    """Network meetings (not supervisions) where someone of the organisation was present (one query)."""
    invitations = (
        Invitation.objects.filter(organisation=organisation, attendance=Attendance.PRESENT)
        .exclude(meeting__kind=MeetingKind.SUPERVISION)
        .filter(**{f"meeting__{key}": value for key, value in _day_range(since, until).items()})
        .select_related("meeting")
        .order_by("meeting_id")
    )
    present: dict[int, list] = {}
    for invitation in invitations:
        present.setdefault(invitation.meeting_id, []).append(invitation)
    return [
        {
            "date": timezone.localtime(rows[0].meeting.starts_at),
            "category": _("Meeting attended"),
            "title": rows[0].meeting.display_title,
            "detail": _("%(count)s present") % {"count": len(rows)},
            "url": rows[0].meeting.get_absolute_url(),
        }
        for rows in present.values()
    ]


def register() -> None:
    from partners.hooks import timeline_sources

    timeline_sources.register(supervisions)
    timeline_sources.register(meetings_attended)
