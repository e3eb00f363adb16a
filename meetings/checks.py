"""Meeting checks for hub staff: who is not supervised in time, who stays away from the monthly
topic meetings, and which held meetings still have no minutes. Fixed query counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Count, Window
from django.urls import reverse
from django.utils import timezone

from partners.choices import OrganisationStatus
from partners.models import Organisation

from .choices import FREQUENCY_MONTHS, Attendance, Frequency, MeetingKind, MeetingStatus
from .models import Invitation, Meeting, SupervisionFrequency

MINUTES_GRACE_DAYS = 7
ABSENCE_WINDOW = 3


@dataclass
class Overdue:
    organisation: Organisation
    frequency: str
    last_supervised: datetime.datetime | None
    due_on: datetime.date
    history_url: str = ""  # the organisation's supervision history


def unsupervised(today: datetime.date | None = None) -> list[Overdue]:
    """Active partners whose last held supervision is older than their frequency allows (1 query)."""
    db, rows, _count = _overdue_rows(today or timezone.localdate())
    return _as_overdue(db, rows)


# The rule of ``planner.frequency_of`` (an explicit frequency, else monthly in the first year as a
# partner, quarterly after) and the due day (the local day of the last held supervision, else the day
# the partner joined, moved back to the 28th at most so that every month has it, plus the frequency's
# months; a date as far as 9999-12-31 is no error in PostgreSQL, only never overdue), in SQL: the
# database keeps only the overdue partners, counts them and returns the first rows. At 1,000 partners
# nearly all are overdue; a model per partner, then the dates in Python, was most of the hub's home. ``meetings/tests/test_checks.py`` holds the rules in Python against it.
OVERDUE_SQL = """
WITH last AS (
  SELECT organisation_id, max(starts_at) AS last_at FROM {meeting}
  WHERE kind = %(supervision)s AND status = %(held)s AND organisation_id IS NOT NULL
  GROUP BY organisation_id
), since AS (
  SELECT o.id, o.name, o.short_name, last.last_at,
    COALESCE(
      f.frequency,
      CASE WHEN (o.joined_on + interval '1 year')::date > %(today)s THEN %(monthly)s ELSE %(quarterly)s END
    ) AS frequency,
    COALESCE((last.last_at AT TIME ZONE %(zone)s)::date, o.joined_on) AS since
  FROM {organisation} o
  LEFT JOIN last ON last.organisation_id = o.id
  LEFT JOIN {frequency} f ON f.organisation_id = o.id
  WHERE NOT o.is_hub AND o.status = %(active)s
), due AS (
  SELECT *, (
    LEAST(since, date_trunc('month', since::timestamp)::date + 27)
    + interval '1 month' * CASE frequency {months} END
  )::date AS due
  FROM since
)
SELECT id, name, short_name, frequency, last_at, due, count(*) OVER () FROM due
WHERE due < %(today)s ORDER BY name, id LIMIT %(shown)s
"""


def _overdue_rows(today: datetime.date, shown: int | None = None) -> tuple[str, list[tuple], int]:
    """The database alias, the overdue partners by name as plain rows (pk, name, short name,
    frequency, last supervision, due day; the first ``shown``, all when None) and how many there are
    (1 query). Only the rows shown become (partly loaded) organisations (``_as_overdue``)."""
    months = " ".join(f"WHEN '{code}' THEN {count}" for code, count in FREQUENCY_MONTHS.items())
    sql = OVERDUE_SQL.format(
        meeting=Meeting._meta.db_table,
        organisation=Organisation._meta.db_table,
        frequency=SupervisionFrequency._meta.db_table,
        months=months,
    )
    params = {
        "supervision": MeetingKind.SUPERVISION,
        "held": MeetingStatus.HELD,
        "today": today,
        "monthly": Frequency.MONTHLY,
        "quarterly": Frequency.QUARTERLY,
        "zone": timezone.get_current_timezone_name(),
        "active": OrganisationStatus.ACTIVE,
        "shown": shown,  # LIMIT NULL: every row
    }
    db = router.db_for_read(Organisation)
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return db, [row[:-1] for row in found], found[0][-1] if found else 0


# An id no organisation has, put into the history page's address once and replaced by each row's:
# the checks page lists every overdue partner (960 at 1,000 partners), and a reverse() per row was a
# good part of its rendering.
_SOME_ID = 2147483647


def _as_overdue(db: str, rows: list[tuple]) -> list[Overdue]:
    history = reverse("meetings:supervision_history", args=[_SOME_ID])
    return [
        Overdue(
            _organisation(db, pk, name, short_name),
            frequency,
            last_supervised,
            due,
            history.replace(str(_SOME_ID), str(pk)),
        )
        for pk, name, short_name, frequency, last_supervised, due in rows
    ]


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
        .only("name", "short_name")  # what the check shows
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
        .only("title", "kind", "starts_at")  # what the check shows: the title and the link
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
    db, overdue, overdue_count = _overdue_rows(timezone.localtime(now).date(), shown)
    return {
        "unsupervised": _as_overdue(db, overdue),
        "unsupervised_count": overdue_count,
        "unsupervised_more": overdue_count - len(overdue),
        "last_monthly": last,
        "absent": absent,
        "absent_count": absent_count,
        "absent_more": absent_count - len(absent),
        "without_minutes": minutes,
        "without_minutes_count": minutes_count,
        "without_minutes_more": minutes_count - len(minutes),
    }
