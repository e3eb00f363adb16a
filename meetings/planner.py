"""The cadence planner: a proposed year of meetings, host rotation and the holiday calendar.

Pure proposal building (no writes except through ``meetings.actions``). A proposal is a list of
plain dicts so that it can live in ``PlanDraft.items`` (JSON):

    {"key": "monthly_topic-3", "kind": "monthly_topic", "sequence": 3, "month": 3,
     "organisation": None, "host": 12, "date": "2027-03-10", "start": "14:30", "end": "16:30",
     "title": "...", "moved": False, "existing": None}

``existing`` holds the id of a meeting that already has this natural key: confirming skips it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import chinese_calendar
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, Max, OuterRef, Q
from django.db.models.functions import JSONObject

from hubsite.core import validators as bounds
from partners.choices import OrganisationStatus
from partners.models import Organisation, OrganisationStatusChange

from . import titles
from .choices import (
    FREQUENCY_MONTHS,
    HALF_YEAR_MONTHS,
    QUARTERLY_MONTHS,
    DayKind,
    Frequency,
    MeetingKind,
    MeetingStatus,
)
from .models import HolidayOverride, Meeting, RotationSkip

TIMES = {
    MeetingKind.MONTHLY_TOPIC: ("14:30", "16:30"),
    MeetingKind.QUARTERLY_DIRECTORS: ("09:30", "12:00"),
    MeetingKind.HALF_YEAR_REGIONAL: ("09:00", "17:00"),
    MeetingKind.SUPERVISION: ("09:30", "12:00"),
}


def package_knows(year: int) -> bool:
    """Whether the installed ``chinese_calendar`` has the State Council's holidays for this year."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
        chinese_calendar.is_workday(datetime.date(year, 12, 31))
    except NotImplementedError:
        return False
    return True


def known_years() -> tuple[int, int]:
    years = [y for y in range(2000, 2100) if package_knows(y)]
    return (years[0], years[-1]) if years else (0, 0)


class HolidayCalendar:
    """Working days of one year: hub staff's entries first, then the package, else weekends only."""

    def __init__(self, year: int):
        self.year = year
        self.known = package_knows(year)
        self.overrides = dict(HolidayOverride.objects.filter(date__year=year).values_list("date", "kind"))

    def is_workday(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day] == DayKind.WORKDAY
        if self.known:
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def is_meeting_day(self, day: datetime.date) -> bool:
        """A meeting goes on an ordinary weekday: not a holiday, and not a weekend made a working day
        by the holiday adjustment (调休), which people spend catching up."""
        return day.weekday() < 5 and self.is_workday(day)


def nth_weekday(year: int, month: int, weekday: int, week: int) -> datetime.date | None:
    first = datetime.date(year, month, 1)
    day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))
    return day if day.month == month else None


def pick_day(cal: HolidayCalendar, month: int, weekday: int, week: int) -> tuple[datetime.date, bool]:
    """The chosen weekday of the chosen week, or the nearest same weekday of the month that is a
    meeting day (later weeks first), or else the first meeting day of the month. Returns (day, moved)."""
    wanted = nth_weekday(cal.year, month, weekday, week)
    order = [week] + list(range(week + 1, 6)) + list(range(week - 1, 0, -1))
    for candidate_week in order:
        day = nth_weekday(cal.year, month, weekday, candidate_week)
        if day and cal.is_meeting_day(day):
            return day, day != wanted
    day = datetime.date(cal.year, month, 1)
    while not cal.is_meeting_day(day):
        day += datetime.timedelta(days=1)
    return day, True


# ---------------------------------------------------------------------------------------------
# Rotation


def _in_rotation_order(organisations):
    """Never hosted first, then least recently hosted, then by join date."""
    last = Max(
        "hosted_meetings__starts_at",
        filter=Q(hosted_meetings__kind=MeetingKind.MONTHLY_TOPIC)
        & ~Q(hosted_meetings__status=MeetingStatus.CANCELLED),
    )
    return organisations.annotate(last_hosted=last).order_by(
        F("last_hosted").asc(nulls_first=True), F("joined_on").asc(nulls_last=True), "name"
    )


def rotation_candidates():
    """Today's active partner organisations (not the hub: it convenes the meetings and does not take a
    turn) in rotation order: who is next as of today."""
    return _in_rotation_order(Organisation.objects.partners().active())


@dataclass(frozen=True)
class Membership:
    """The spans of days an organisation was an active partner, read from its status history.

    Each period is (first day, day it stopped or None); the end is excluded, so a pause effective on
    15 January means the organisation no longer takes a turn on that day.
    """

    periods: tuple[tuple[datetime.date, datetime.date | None], ...]

    def on(self, day: datetime.date) -> bool:
        return any(start <= day and (end is None or day < end) for start, end in self.periods)

    def during(self, first: datetime.date, last: datetime.date) -> bool:
        return any(start <= last and (end is None or first < end) for start, end in self.periods)


def with_history(organisations):
    """Each organisation's status changes, oldest first, as ``status_history`` in the same query (a
    correlated array, so the planner's query count does not grow with the network)."""
    changes = (
        OrganisationStatusChange.objects.filter(organisation=OuterRef("pk"))
        .order_by("effective_on", "changed_at")
        .values(json=JSONObject(on="effective_on", to="to_status"))
    )
    return organisations.annotate(status_history=ArraySubquery(changes))


def membership(org) -> Membership:
    """When ``org`` was an active partner: from ``joined_on``, its recorded status changes and, when
    its status was set without a recorded change (older data), its status since ``status_changed_on``."""
    if hasattr(org, "status_history"):
        changes = [(datetime.date.fromisoformat(c["on"]), c["to"]) for c in org.status_history]
    else:
        changes = list(
            org.status_changes.order_by("effective_on", "changed_at").values_list("effective_on", "to_status")
        )
    events = [(org.joined_on, True)] if org.joined_on else []
    events += [(day, status == OrganisationStatus.ACTIVE) for day, status in changes]
    if org.status != (changes[-1][1] if changes else None):
        is_active = org.status == OrganisationStatus.ACTIVE
        # An active partner with no date at all has always been one, as far as anyone recorded.
        since = datetime.date.min if is_active and not events else org.status_changed_on
        events.append((since, is_active))
    periods, start = [], None
    for day, is_active in sorted(events, key=lambda event: event[0]):  # stable: same-day order kept
        if is_active and start is None:
            start = day
        elif not is_active and start is not None:
            periods.append((start, day))
            start = None
    if start is not None:
        periods.append((start, None))
    return Membership(tuple(periods))


def rotation_pool(year: int) -> list:
    """Partner organisations that were active partners at some time in ``year`` by their status
    history (not today's status), in rotation order, each with its ``membership``; one query."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    candidates = with_history(
        Organisation.objects.partners().filter(
            Q(joined_on__isnull=False) | Q(status=OrganisationStatus.ACTIVE)
        )
    )
    pool = []
    for org in _in_rotation_order(candidates).select_related("supervision_frequency"):
        org.membership = membership(org)
        if org.membership.during(first, last):
            pool.append(org)
    return pool


def memberships(pks) -> dict[int, Membership]:
    """The membership of each organisation named, in one query."""
    return {org.pk: membership(org) for org in with_history(Organisation.objects.filter(pk__in=pks))}


def assign_hosts(
    months: list[tuple[str, datetime.date]],
    queue: list[int],
    skips: set[tuple[int, datetime.date]],
    fixed: dict[str, int | None],
    members: dict[int, Membership],
) -> dict[str, int | None]:
    """Walk the meetings in order (key, day): a fixed one keeps its host (and sends it to the back of
    the queue), any other takes the first organisation in the queue that is a partner on that day and
    not skipped that month."""
    queue = list(queue)
    hosts: dict[str, int | None] = {}
    for key, day in months:
        month = day.replace(day=1)
        host = (
            fixed[key]
            if key in fixed
            else next((org for org in queue if (org, month) not in skips and members[org].on(day)), None)
        )
        hosts[key] = host
        if host in queue:
            queue.remove(host)
            queue.append(host)
    return hosts


# ---------------------------------------------------------------------------------------------
# Supervision frequency


def default_frequency(org, on: datetime.date) -> str:
    """Monthly during an organisation's first year as a partner, quarterly after."""
    if org.joined_on and on < _anniversary(org.joined_on):
        return Frequency.MONTHLY
    return Frequency.QUARTERLY


def _anniversary(day: datetime.date) -> datetime.date:
    return bounds.years_after(day, 1)  # 28 February for 29 February; never past 9999


def supervision_months(org, year: int, index: int) -> list[int]:
    """Months of ``year`` in which ``org`` is supervised (only months it is a partner in, when its
    ``membership`` is known); ``index`` spreads organisations over the months of a cycle so the hub's
    supervisors are not all out in the same month."""
    explicit = getattr(org, "supervision_frequency", None)
    member = getattr(org, "membership", None)
    months = []
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        if org.joined_on and month_end(first) < org.joined_on:
            continue
        if member and not member.during(first, month_end(first)):
            continue
        frequency = explicit.frequency if explicit else default_frequency(org, first)
        step = FREQUENCY_MONTHS[frequency]
        if (month - 1) % step == index % step:
            months.append(month)
    return months


def month_end(first: datetime.date) -> datetime.date:
    """The last day of the month starting on ``first``."""
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def frequency_of(org, on: datetime.date) -> str:
    explicit = getattr(org, "supervision_frequency", None)
    return explicit.frequency if explicit else default_frequency(org, on)


# ---------------------------------------------------------------------------------------------
# The proposal


def _title(kind: str, year: int, sequence: int, month: int, org_name: str = "") -> str:
    # One set of templates (meetings.titles) so that a stored title can be read back and shown in
    # the reader's language.
    return titles.generated_title(kind, year=year, n=sequence, month=month, org=org_name)


@dataclass
class Proposal:
    year: int
    items: list[dict]
    calendar_known: bool


def build_proposal(year: int, weekday: int, week: int) -> Proposal:
    """The year's meetings as proposed items; a fixed number of queries whatever the network's size."""
    cal = HolidayCalendar(year)  # 1 query
    existing = {  # 1 query
        (m.kind, m.sequence, m.organisation_id): m
        for m in Meeting.objects.filter(year=year, sequence__isnull=False)
    }
    orgs = rotation_pool(year)  # 1 query
    skips = set(  # 1 query
        RotationSkip.objects.filter(month__year=year).values_list("organisation_id", "month")
    )
    items = [
        _proposed_item(kind, sequence, month, day, moved, org=org, year=year, existing=existing)
        for kind, sequence, month, day, moved, org in _proposed_days(cal, orgs, year, weekday, week)
    ]
    rotate(items, [o.pk for o in orgs], skips, {o.pk: o.membership for o in orgs})
    items.sort(key=lambda item: (item["date"], item["start"], item["key"]))
    return Proposal(year=year, items=items, calendar_known=cal.known)


def _proposed_days(cal: HolidayCalendar, orgs, year: int, weekday: int, week: int):
    """(kind, sequence, month, day, moved, organisation) of every meeting the year's cadence asks for;
    kinds and supervised organisations get different weeks and weekdays so they rarely collide."""
    for month in range(1, 13):
        day, moved = pick_day(cal, month, weekday, week)
        yield MeetingKind.MONTHLY_TOPIC, month, month, day, moved, None
    for sequence, month in enumerate(QUARTERLY_MONTHS, start=1):
        day, moved = pick_day(cal, month, weekday, week % 4 + 1)
        yield MeetingKind.QUARTERLY_DIRECTORS, sequence, month, day, moved, None
    for sequence, month in enumerate(HALF_YEAR_MONTHS, start=1):
        day, moved = pick_day(cal, month, weekday, (week + 1) % 4 + 1)
        yield MeetingKind.HALF_YEAR_REGIONAL, sequence, month, day, moved, None
    for index, org in enumerate(sorted(orgs, key=lambda o: (o.joined_on or datetime.date.max, o.name))):
        for sequence, month in enumerate(supervision_months(org, year, index), start=1):
            day, moved = pick_day(cal, month, (weekday + 1 + index) % 5, index % 4 + 1)
            yield MeetingKind.SUPERVISION, sequence, month, day, moved, org


def _proposed_item(kind, sequence, month, day, moved, *, org, year: int, existing: dict) -> dict:
    """One proposed meeting; a meeting already created for its natural key keeps its date, host and
    title, so re-planning a year shows what is there rather than a new proposal."""
    start, end = TIMES[kind]
    found = existing.get((kind, sequence, org.pk if org else None))
    item = {
        "key": f"{kind}-{org.pk}-{sequence}" if org else f"{kind}-{sequence}",
        "kind": kind,
        "sequence": sequence,
        "month": month,
        "organisation": org.pk if org else None,
        "host": None,
        "date": day.isoformat(),
        "start": start,
        "end": end,
        "title": _title(kind, year, sequence, month, org.display_name if org else ""),
        "moved": moved,
        "existing": found.pk if found else None,
    }
    if found:
        item.update(
            date=found.starts_at.astimezone(cal_tz()).date().isoformat(),
            host=found.host_id,
            title=found.title,
            moved=False,
        )
    return item


def rotate(items: list[dict], queue: list[int], skips: set, members: dict[int, Membership]) -> None:
    """(Re)assign monthly hosts in place, each a partner on its meeting's day; months that already
    exist keep theirs."""
    monthly = sorted(
        (i for i in items if i["kind"] == MeetingKind.MONTHLY_TOPIC), key=lambda i: i["sequence"]
    )
    fixed = {i["key"]: i["host"] for i in monthly if i["existing"]}
    months = [(i["key"], datetime.date.fromisoformat(i["date"])) for i in monthly]
    hosts = assign_hosts(months, queue, skips, fixed, members)
    for item in monthly:
        item["host"] = hosts[item["key"]]


def cal_tz():
    from django.utils import timezone

    return timezone.get_current_timezone()
