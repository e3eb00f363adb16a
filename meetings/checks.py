"""Meeting checks for hub staff: who is not supervised in time, who stays away from the monthly
topic meetings, and which held meetings still have no minutes. Fixed query counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Max, Q, Window
from django.db.models.functions import TruncDate
from django.utils import timezone

from hubsite.core import validators as bounds
from partners.models import Organisation

from .choices import FREQUENCY_MONTHS, Attendance, MeetingKind, MeetingStatus
from .models import Invitation, Meeting
from .planner import default_frequency

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
    return _as_overdue(*_overdue_rows(today or timezone.localdate()))


def _overdue_rows(today: datetime.date) -> tuple[str, list[tuple]]:
    """The database alias and, by name, the overdue partners as plain rows (1 query).

    The query returns tuples (no model per organisation, the day of the last supervision already
    local): at 1,000 partners most are overdue, and building a model for each was most of the cost.
    Only the rows shown become (partly loaded) organisations (``_as_overdue``)."""
    queryset = (
        Organisation.objects.partners()
        .active()
        .annotate(
            last_supervised=Max(
                "supervisions__starts_at",
                filter=Q(supervisions__status=MeetingStatus.HELD, supervisions__kind=MeetingKind.SUPERVISION),
            ),
            last_supervised_on=TruncDate("last_supervised"),
        )
        .order_by("name", "pk")
        .values_list(
            "pk",
            "name",
            "short_name",
            "joined_on",
            "supervision_frequency__frequency",
            "last_supervised",
            "last_supervised_on",
        )
    )
    overdue = []
    for pk, name, short_name, joined_on, explicit, last_supervised, last_supervised_on in queryset:
        frequency = explicit or default_frequency(_Joined(joined_on), today)
        since = last_supervised_on or joined_on
        if since is None:
            continue
        due = _add_months(since, FREQUENCY_MONTHS[frequency])
        if due < today:
            overdue.append((pk, name, short_name, frequency, last_supervised, due))
    return queryset.db, overdue


def _as_overdue(db: str, rows: list[tuple]) -> list[Overdue]:
    return [
        Overdue(_organisation(db, pk, name, short_name), frequency, last_supervised, due)
        for pk, name, short_name, frequency, last_supervised, due in rows
    ]


class _Joined(NamedTuple):
    """What ``planner.default_frequency`` reads of an organisation."""

    joined_on: datetime.date | None


# An organisation as the checks show it (name, link): the other fields stay deferred, so reading one
# loads it rather than giving a wrong default.
_SHOWN_FIELDS = [
    f.attname for f in Organisation._meta.concrete_fields if f.attname in {"id", "name", "short_name"}
]


def _organisation(db: str, pk: int, name: str, short_name: str) -> Organisation:
    values = {"id": pk, "name": name, "short_name": short_name}
    return Organisation.from_db(db, _SHOWN_FIELDS, [values[field] for field in _SHOWN_FIELDS])


def absent_from_monthly(now: datetime.datetime | None = None) -> tuple[list[Meeting], list[Organisation]]:
    """Active partners with nobody present at any of the last three held monthly topic meetings
    (2 queries). Only counted once three such meetings were held. An organisation that hosted one of
    them, or hosts this month's, is not listed: it was there, or is busy preparing."""
    last, absent = _absent(now or timezone.now())
    return last, list(absent)


def _absent(now: datetime.datetime):
    """The last three held monthly topic meetings (1 query) and the absent partners, by name, as a
    query not yet run."""
    last = list(
        Meeting.objects.filter(
            kind=MeetingKind.MONTHLY_TOPIC, status=MeetingStatus.HELD, starts_at__lte=now
        ).order_by("-starts_at")[:ABSENCE_WINDOW]
    )
    if len(last) < ABSENCE_WINDOW:
        return last, Organisation.objects.none()
    # Who was present stays in the database: at 1,000 partners, fetching their ids to send them back
    # in the next query was a round trip and a long parameter list.
    present = Invitation.objects.filter(meeting__in=last, attendance=Attendance.PRESENT).values(
        "organisation_id"
    )
    joined_before = min(timezone.localtime(m.starts_at).date() for m in last)
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    hosts_this_month = Meeting.objects.filter(
        kind=MeetingKind.MONTHLY_TOPIC,
        starts_at__gte=month_start,
        starts_at__lt=(month_start + datetime.timedelta(days=32)).replace(day=1),
        host__isnull=False,
    ).exclude(status=MeetingStatus.CANCELLED)
    absent = (
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


def _first(queryset, shown: int | None) -> tuple[list, int]:
    """The first ``shown`` rows (all when None) and how many there are, in one query: the count is a
    window over the whole result, computed before the limit."""
    if shown is None:
        rows = list(queryset)
        return rows, len(rows)
    rows = list(queryset.annotate(check_total=Window(Count("pk")))[:shown])
    return rows, rows[0].check_total if rows else 0


def checks(now: datetime.datetime | None = None, shown: int | None = None) -> dict:
    """The three checks (4 queries). With ``shown``, each list keeps its first rows, and ``*_count``
    says how many there are and ``*_more`` how many are not shown (the home page's box, which links
    to the page with them all)."""
    now = now or timezone.now()
    last, absent_query = _absent(now)
    absent, absent_count = _first(absent_query, shown)
    minutes, minutes_count = _first(without_minutes(now), shown)
    db, overdue = _overdue_rows(timezone.localtime(now).date())
    unsupervised_rows = _as_overdue(db, overdue[:shown])
    return {
        "unsupervised": unsupervised_rows,
        "unsupervised_count": len(overdue),
        "unsupervised_more": len(overdue) - len(unsupervised_rows),
        "last_monthly": last,
        "absent": absent,
        "absent_count": absent_count,
        "absent_more": absent_count - len(absent),
        "without_minutes": minutes,
        "without_minutes_count": minutes_count,
        "without_minutes_more": minutes_count - len(minutes),
    }
