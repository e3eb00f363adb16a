"""Meeting checks for hub staff: who is not supervised in time, who stays away from the monthly
topic meetings, and which held meetings still have no minutes. Fixed query counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils import timezone

from hubsite.core import validators as bounds
from partners.models import Organisation

from .choices import FREQUENCY_MONTHS, Attendance, MeetingKind, MeetingStatus
from .models import Invitation, Meeting
from .planner import frequency_of

MINUTES_GRACE_DAYS = 7
ABSENCE_WINDOW = 3


@dataclass
class Overdue:
    organisation: Organisation
    frequency: str
    last_supervised: datetime.datetime | None
    due_on: datetime.date


def _add_months(day: datetime.date, months: int) -> datetime.date:
    # A date stored before the input bounds (9999-12-31) must not turn the hub's pages into a 500.
    return bounds.add_months(day.replace(day=min(day.day, 28)), months)


def unsupervised(today: datetime.date | None = None) -> list[Overdue]:
    """Active partners whose last held supervision is older than their frequency allows (1 query)."""
    today = today or timezone.localdate()
    orgs = (
        Organisation.objects.partners()
        .active()
        .select_related("supervision_frequency")
        .annotate(
            last_supervised=Max(
                "supervisions__starts_at",
                filter=Q(supervisions__status=MeetingStatus.HELD, supervisions__kind=MeetingKind.SUPERVISION),
            )
        )
        .order_by("name")
    )
    overdue = []
    for org in orgs:
        frequency = frequency_of(org, today)
        since = timezone.localtime(org.last_supervised).date() if org.last_supervised else org.joined_on
        if since is None:
            continue
        due = _add_months(since, FREQUENCY_MONTHS[frequency])
        if due < today:
            overdue.append(Overdue(org, frequency, org.last_supervised, due))
    return overdue


def absent_from_monthly(now: datetime.datetime | None = None) -> tuple[list[Meeting], list[Organisation]]:
    """Active partners with nobody present at any of the last three held monthly topic meetings
    (3 queries). Only counted once three such meetings were held. An organisation that hosted one of
    them, or hosts this month's, is not listed: it was there, or is busy preparing."""
    now = now or timezone.now()
    last = list(
        Meeting.objects.filter(
            kind=MeetingKind.MONTHLY_TOPIC, status=MeetingStatus.HELD, starts_at__lte=now
        ).order_by("-starts_at")[:ABSENCE_WINDOW]
    )
    if len(last) < ABSENCE_WINDOW:
        return last, []
    present = set(
        Invitation.objects.filter(meeting__in=last, attendance=Attendance.PRESENT)
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    joined_before = min(timezone.localtime(m.starts_at).date() for m in last)
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    hosts_this_month = Meeting.objects.filter(
        kind=MeetingKind.MONTHLY_TOPIC,
        starts_at__gte=month_start,
        starts_at__lt=(month_start + datetime.timedelta(days=32)).replace(day=1),
        host__isnull=False,
    ).exclude(status=MeetingStatus.CANCELLED)
    absent = list(
        Organisation.objects.partners()
        .active()
        .filter(joined_on__lte=joined_before)
        .exclude(pk__in=present)
        .exclude(pk__in=[m.host_id for m in last if m.host_id])
        .exclude(pk__in=hosts_this_month.values("host_id"))
        .order_by("name")
    )
    return last, absent


def without_minutes(now: datetime.datetime | None = None):
    """Meetings that took place more than seven days ago and still have no minutes (1 query).
    Training sessions keep attendance, not minutes, so they are never chased."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(
            status=MeetingStatus.HELD,
            ends_at__lt=now - datetime.timedelta(days=MINUTES_GRACE_DAYS),
            minutes__isnull=True,
        )
        .exclude(kind=MeetingKind.TRAINING_SESSION)
        .select_related("host", "organisation")
        .order_by("-starts_at")
    )


def checks(now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    last, absent = absent_from_monthly(now)
    return {
        "unsupervised": unsupervised(timezone.localtime(now).date()),
        "last_monthly": last,
        "absent": absent,
        "without_minutes": list(without_minutes(now)[:20]),
    }
