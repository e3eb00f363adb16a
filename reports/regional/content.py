"""Everything a regional report says, gathered in a fixed number of queries whatever the data size.

Figures come from handed-in monthly reports (``COUNTED_STATUSES``, as on the network figures page),
rolled up per indicator as it says (``reports.rollup``) for the period and the one before it, by prefecture (where the centre is) and
by organisation. Coverage reuses ``partners.coverage``, reporting rates reuse ``reports.grid``,
supervision and attendance follow ``meetings``, mutual aid follows ``mutualaid``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.aggregates import JSONBAgg
from django.db.models import Avg, Count, F, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import JSONObject
from django.utils import timezone

from meetings.choices import Attendance, MeetingKind, MeetingStatus
from meetings.models import Meeting
from mutualaid.choices import ApplicationStatus, ClaimStatus, VisitStatus
from mutualaid.models import CoachingSession, ExpansionFundingApplication, Membership, StudyVisit
from partners.choices import OrganisationStatus, SiteType
from partners.coverage import coverage_as_of
from partners.models import Centre, Organisation, Prefecture

from .. import periods as months
from ..choices import COUNTED_STATUSES, Cell, OverMonths
from ..grid import Rate, build_grid
from ..models import Indicator, ReportValue, Target
from ..rollup import MONTH_COLUMNS, UnitMonths, rollup, unit_of_value
from ..rollup import _MonthAndNumber as MonthAndNumber
from . import periods
from .choices import PeriodKind, ReportScope

# The year-in-numbers page, in the manner of an annual report (seed 003): services held, child
# visits, families, volunteers and their hours, book loans. Indicator codes are data: absent ones
# are left out.
SERVICE_CODES = ("classes", "activities", "parenting_sessions", "reading_activities", "home_visits")
# Shown in the PDF's by-prefecture and by-organisation tables (the XLSX has every indicator).
KEY_CODES = ("child_visits", "families_served", "classes", "book_loans", "volunteer_hours")
NOT_PARTNERS = (OrganisationStatus.PROSPECT, OrganisationStatus.APPLICANT)


def number(value):
    """Decimal sums as plain numbers: int when whole (spreadsheets and templates show them as such)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@dataclass
class Figure:
    """An indicator's roll-up in the period and in the one before it (None: not additive, no total)."""

    current: float | None = 0
    previous: float | None = 0

    @property
    def change(self):
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def change_pct(self):
        if not self.previous or self.current is None:
            return None
        return round(100 * (self.current - self.previous) / self.previous, 1)


@dataclass
class TargetFigure:
    """An organisation's yearly target for one indicator beside the year's roll-up (annual reports)."""

    indicator: Indicator
    target: float
    achieved: float | None

    @property
    def percent(self) -> int | None:
        if self.achieved is None or not self.target:
            return None
        return round(100 * self.achieved / self.target)


@dataclass
class OrgRow:
    """An organisation's line: its figures, reporting rate and supervisions held in the period, and
    (annual reports) its targets for the year with the share achieved."""

    organisation: Organisation
    figures: dict[int, Figure]
    rate: Rate
    supervisions: int
    is_partner: bool
    targets: list[TargetFigure] = field(default_factory=list)

    @property
    def targets_reached(self) -> tuple[int, int] | None:
        """(targets reached, targets set) for the year, or None without targets."""
        if not self.targets:
            return None
        return sum(1 for t in self.targets if t.percent is not None and t.percent >= 100), len(self.targets)


@dataclass
class MeetingRow:
    """A network meeting held in the period, with the scope's invited and present."""

    title: str
    kind: str
    kind_label: str
    day: datetime.date
    invited: int
    present: int


@dataclass
class CentreRow:
    """One of a partner's centres in its own annual report, with its key figures (filled by ``annual``)."""

    pk: int
    name: str
    site_type: str
    prefecture: str
    opened_on: datetime.date
    operating: bool
    figures: dict[int, Figure] = field(default_factory=dict)


@dataclass
class RegionalContent:
    """Everything one report says; the PDF and the XLSX only lay it out."""

    kind: str
    start: datetime.date
    end: datetime.date
    previous_start: datetime.date
    scope: str
    prefecture: Prefecture | None
    organisation: Organisation | None
    title: str
    generated_at: datetime.datetime
    coverage: object
    centres_operating: int
    centres_by_type: list[tuple[str, int]]
    openings: list[tuple[str, str, datetime.date]]
    closures: int
    indicators: list[Indicator]
    totals: dict[int, Figure]
    by_prefecture: list[tuple[Prefecture, dict[int, Figure]]]
    by_organisation: list[OrgRow]
    months: list[datetime.date]
    monthly: dict[int, list[float]]
    rate: Rate
    month_rates: list[tuple[datetime.date, Rate]]
    meetings: list[MeetingRow]
    supervised: int
    to_supervise: int
    members: int
    members_joined: int
    funding_approved: int
    funding_amount: float
    study_visits: int
    study_visit_cost: float
    coaching_sessions: int
    year_in_numbers: list[tuple[str, float, str]] = field(default_factory=list)
    # Travel subsidies the hub verified or paid for the study visits of the period (yuan).
    study_visit_subsidy: float = 0
    # The first day of the scope's current mutual-aid membership (an organisation's report says since when).
    member_since: datetime.date | None = None
    # An organisation's own centres (organisation scope only: a region has too many to list).
    centres: list[CentreRow] = field(default_factory=list)

    @property
    def is_annual(self) -> bool:
        return self.kind == PeriodKind.YEAR

    @property
    def key_indicators(self) -> list[Indicator]:
        by_code = {i.code: i for i in self.indicators}
        return [by_code[c] for c in KEY_CODES if c in by_code]

    @property
    def target_rows(self) -> list[OrgRow]:
        """The organisations with targets for the year (annual reports), for the achievement table."""
        return [row for row in self.by_organisation if row.targets]

    @property
    def attendance(self) -> tuple[int, int]:
        return sum(m.invited for m in self.meetings), sum(m.present for m in self.meetings)

    @property
    def meetings_attended(self) -> int:
        """Network meetings at which someone of the scope was present (a partner's report)."""
        return sum(1 for m in self.meetings if m.present)

    @property
    def supervision_pct(self):
        return round(100 * self.supervised / self.to_supervise) if self.to_supervise else None


@dataclass(frozen=True)
class _Scope:
    """What a report covers: the region, one prefecture or one organisation."""

    kind: str
    prefecture: Prefecture | None
    organisation: Organisation | None

    def q(self, *, org_path: str, prefecture_path: str | None = None) -> Q:
        """The scope as a Q through a relation: ``org_path`` leads to an Organisation."""
        if self.kind == ReportScope.ORGANISATION:
            return Q(**{org_path: self.organisation.pk})
        if self.kind == ReportScope.PREFECTURE:
            return Q(**{prefecture_path or f"{org_path}__prefecture": self.prefecture})
        return Q()


@dataclass(frozen=True)
class _Period:
    """The period's days and months, the start of the one before it, and its bounds as moments."""

    first: datetime.date
    last: datetime.date
    months: list[datetime.date]
    previous_start: datetime.date
    start_at: datetime.datetime
    end_at: datetime.datetime

    @classmethod
    def of(cls, kind: str, start: datetime.date) -> _Period:
        first, last = periods.bounds(kind, start)
        tz = timezone.get_current_timezone()
        return cls(
            first=first,
            last=last,
            months=periods.month_list(kind, start),
            previous_start=periods.previous(kind, start),
            start_at=datetime.datetime.combine(first, datetime.time.min, tzinfo=tz),
            end_at=datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
        )


def gather(
    kind: str,
    start: datetime.date,
    scope: str = ReportScope.REGION,
    prefecture: Prefecture | None = None,
    organisation: Organisation | None = None,
    *,
    title: str = "",
    today: datetime.date | None = None,
    monthly_codes: tuple[str, ...] | None = None,
) -> RegionalContent:
    """15 queries for any period, scope and data size (asserted in the tests). ``monthly_codes`` limits
    the month-by-month figures to those indicators (the annual PDF charts one; the XLSX lists all)."""
    today = today or timezone.localdate()
    period = _Period.of(kind, start)
    where = _Scope(scope, prefecture, organisation)
    coverage = coverage_as_of(min(period.last, today))  # 2 queries: the whole province, for the map
    centres = _centres(where, period, coverage)
    indicators = _indicators(period)
    values = _values(where, period, indicators)
    totals, per_prefecture, per_org = _figures(values, period, indicators)
    org_rates, rates = _rates(where, period, start.year, today)
    content = RegionalContent(
        kind=kind,
        start=period.first,
        end=period.last,
        previous_start=period.previous_start,
        scope=scope,
        prefecture=prefecture,
        organisation=organisation,
        title=title,
        generated_at=timezone.now(),
        coverage=coverage,
        indicators=indicators,
        totals=totals,
        by_prefecture=_prefecture_rows(where, coverage, per_prefecture),
        months=period.months,
        monthly=_monthly(
            values if monthly_codes is None else values.filter(indicator__code__in=monthly_codes),
            period,
            indicators,
        ),
        meetings=_meeting_rows(where, period),
        **centres,
        **_organisation_rows(
            where,
            period,
            per_org,
            org_rates,
            indicators,
            target_year=start.year if kind == PeriodKind.YEAR else None,
        ),
        **rates,
        **_mutual_aid(where, period),
    )
    if kind == PeriodKind.YEAR:
        content.year_in_numbers = year_in_numbers(
            indicators, totals, content.centres_operating, content.to_supervise
        )
    return content


def _centres(where: _Scope, period: _Period, coverage) -> dict:
    """The scope's centres operating at the period's end, by site type; opened and closed in it; an
    organisation's report also lists its centres that ran in the period (1 query)."""
    centres = Centre.objects.filter(
        where.q(org_path="organisation", prefecture_path="prefecture"),
        opened_on__isnull=False,
        opened_on__lte=period.last,
    ).values_list(
        "name",
        "site_type",
        "opened_on",
        "closed_on",
        "status",
        "organisation__short_name",
        "pk",
        "prefecture_id",
    )
    by_type: dict[str, int] = defaultdict(int)
    openings, closures, operating = [], 0, 0
    type_labels = dict(SiteType.choices)
    own = where.kind == ReportScope.ORGANISATION
    prefecture_names = {p.prefecture.pk: p.prefecture.name for p in coverage.prefectures} if own else {}
    listed = []
    for name, site_type, opened, closed, status, org_name, pk, prefecture_id in centres:
        is_operating = False
        if closed is None or closed > period.last:
            if status != "planned":
                operating += 1
                by_type[site_type] += 1
                is_operating = True
        elif closed >= period.first:
            closures += 1
        if opened >= period.first:
            openings.append((name, org_name, opened))
        if own and (is_operating or (closed is not None and closed >= period.first)):
            listed.append(
                CentreRow(
                    pk,
                    name,
                    str(type_labels.get(site_type, site_type)),
                    prefecture_names.get(prefecture_id, ""),
                    opened,
                    is_operating,
                )
            )
    openings.sort(key=lambda row: row[2])
    listed.sort(key=lambda row: (row.opened_on, row.name))
    return {
        "centres": listed,
        "centres_operating": operating,
        "centres_by_type": [
            (str(type_labels[value]), by_type.get(value, 0)) for value, _l in SiteType.choices
        ],
        "openings": openings,
        "closures": closures,
    }


def _indicators(period: _Period) -> list[Indicator]:
    """The numeric indicators valid at some point of this period or the previous one (1 query)."""
    return list(
        Indicator.objects.numeric()
        .filter(valid_from__lte=period.last)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=period.previous_start))
        .order_by("scope", "order", "code")
    )


def _values(where: _Scope, period: _Period, indicators: list[Indicator]):
    """The counted values of the scope for this period and the previous one (a lazy queryset)."""
    return ReportValue.objects.filter(
        where.q(org_path="report__organisation", prefecture_path="centre__prefecture"),
        month__gte=period.previous_start,
        month__lte=period.last,
        report__status__in=COUNTED_STATUSES,
        indicator__in=[i.pk for i in indicators],
    )


def _figures(values, period: _Period, indicators: list[Indicator]):
    """Each indicator rolled up (``reports.rollup``) for this period and the previous one: overall, by
    prefecture and by organisation (1 query)."""
    in_period = Q(month__gte=period.first)
    rows = (
        values.values_list("indicator_id", "centre__prefecture_id", "report__organisation_id")
        .annotate(unit=unit_of_value())
        .annotate(**_month_aggregates("current_", in_period), **_month_aggregates("previous_", ~in_period))
        .values_list(
            "indicator_id",
            "centre__prefecture_id",
            "report__organisation_id",
            *(f"current_{c}" for c in MONTH_COLUMNS),
            *(f"previous_{c}" for c in MONTH_COLUMNS),
        )
        .order_by()
    )
    # (indicator, level, key) -> the units' months in this period and in the previous one.
    units: dict[tuple, tuple[list, list]] = defaultdict(lambda: ([], []))
    for indicator_id, prefecture_id, org_id, *aggregates in rows:
        current, previous = _unit_months(*aggregates[:4]), _unit_months(*aggregates[4:])
        for key in (
            (indicator_id, "all", None),
            (indicator_id, "prefecture", prefecture_id),
            (indicator_id, "org", org_id),
        ):
            units[key][0].append(current)
            units[key][1].append(previous)
    by_pk = {i.pk: i for i in indicators}
    totals: dict[int, Figure] = {}
    per_prefecture: dict[int, dict[int, Figure]] = defaultdict(dict)
    per_org: dict[int, dict[int, Figure]] = defaultdict(dict)
    targets = {"all": None, "prefecture": per_prefecture, "org": per_org}
    for (indicator_id, level, key), (current, previous) in units.items():
        indicator = by_pk[indicator_id]
        figure = Figure(_rolled_up(indicator, current), _rolled_up(indicator, previous))
        if level == "all":
            totals[indicator_id] = figure
        else:
            targets[level][key][indicator_id] = figure
    return totals, per_prefecture, per_org


def _month_aggregates(prefix: str, months: Q) -> dict:
    """``rollup.month_aggregates`` with the latest month's figure taken as the greatest (month, number)
    pair, as ``rollup.rolled_up`` takes it, rather than by an ordered ARRAY_AGG: an ordered aggregate
    makes PostgreSQL sort every value read on one core (half a million on the 100x network, spilling
    to disk); without it the grouping runs in parallel workers, about a third of the time."""
    counted = Q(number__isnull=False) & months
    return {
        f"{prefix}total": Sum("number", filter=counted),
        f"{prefix}average": Avg("number", filter=counted),
        f"{prefix}highest": Max("number", filter=counted),
        f"{prefix}latest": Max(
            MonthAndNumber(F("month"), F("number")),
            filter=counted & Q(indicator__over_months=OverMonths.LATEST),
        ),
    }


def _unit_months(total, average, highest, latest) -> UnitMonths | None:
    """``UnitMonths.from_row`` of ``_month_aggregates``' columns (``latest`` is a [day, number] pair)."""
    return UnitMonths.from_row(total, average, highest, [latest[1]] if latest else None)


def _rolled_up(indicator: Indicator, units: list) -> float | None:
    """The roll-up as a number for the report: 0 when nobody reported, None when not additive."""
    if all(u is None for u in units):
        return 0
    value = rollup(indicator, units)
    # An average month is rarely whole: two decimals, as figures are stored.
    return number(value.quantize(Decimal("0.01")) if value is not None else None)


def _monthly(values, period: _Period, indicators: list[Indicator]) -> dict[int, list[float]]:
    """Each indicator's figure for each month of the period, rolled up over units (1 query)."""
    by_pk = {i.pk: i for i in indicators}
    index_of = {m: n for n, m in enumerate(period.months)}
    units: dict[tuple, list] = defaultdict(list)
    for indicator_id, month, total in (
        values.filter(month__gte=period.first)
        .values_list("indicator_id", "month")
        .annotate(unit=unit_of_value())
        .values_list("indicator_id", "month", "unit")
        .annotate(total=Sum("number"))
        .values_list("indicator_id", "month", "total")
        .order_by()
    ):
        units[(indicator_id, month)].append(UnitMonths.of({month: total}))
    monthly: dict[int, list[float]] = {i.pk: [0] * len(period.months) for i in indicators}
    for (indicator_id, month), month_units in units.items():
        monthly[indicator_id][index_of[month]] = _rolled_up(by_pk[indicator_id], month_units)
    return monthly


def _rates(where: _Scope, period: _Period, year: int, today: datetime.date) -> tuple[dict[int, Rate], dict]:
    """Reporting rates by organisation, by month and in all, from the grid's own logic restricted to
    the period's months (3 queries)."""
    grid = build_grid(year, where.prefecture if where.kind == ReportScope.PREFECTURE else None, today)
    wanted = set(period.months)
    org_rates: dict[int, Rate] = {}
    month_rate = {m: Rate() for m in period.months}
    total_rate = Rate()
    for row in grid.rows:
        if where.kind == ReportScope.ORGANISATION and row.organisation.pk != where.organisation.pk:
            continue
        rate = org_rates.setdefault(row.organisation.pk, Rate())
        for month, cell, _pk, _label in row.cells:
            if month not in wanted or cell == Cell.NOT_EXPECTED:
                continue
            # The grid's cells do not keep whether a returned report was first handed in on time:
            # here a returned report counts as reported, not as on time.
            on_time = cell == Cell.ON_TIME
            for target in (rate, month_rate[month], total_rate):
                target.add(cell, on_time)
    this_month = months.first_of(today)
    return org_rates, {
        "rate": total_rate,
        "month_rates": [(m, month_rate[m]) for m in period.months if m < this_month],
    }


def _organisation_rows(
    where: _Scope,
    period: _Period,
    per_org,
    org_rates: dict[int, Rate],
    indicators,
    *,
    target_year=None,
    prefecture_ids=None,
) -> dict:
    """A row per organisation in scope with figures, a reporting rate or an active partnership, and
    how many active partners had a supervision held in the period (1 query). With ``target_year``
    (an annual report) each row carries the organisation's targets for the year beside the year's
    roll-up, read in the same query."""
    held_supervision = Q(
        supervisions__status=MeetingStatus.HELD,
        supervisions__kind=MeetingKind.SUPERVISION,
        supervisions__starts_at__gte=period.start_at,
        supervisions__starts_at__lt=period.end_at,
    )
    organisations = (
        Organisation.objects.filter(where.q(org_path="pk", prefecture_path="prefecture"))
        .filter(Q() if prefecture_ids is None else Q(prefecture__in=prefecture_ids))
        .exclude(status__in=NOT_PARTNERS)
        .select_related("prefecture")
        .annotate(n_supervisions=Count("supervisions", filter=held_supervision, distinct=True))
        .order_by("prefecture__code", "name")
    )
    if target_year is not None:
        organisations = organisations.annotate(year_targets=_targets_subquery(target_year))
    by_pk = {i.pk: i for i in indicators}
    rows, active_partners, supervised = [], 0, 0
    for org in organisations:
        figures = per_org.get(org.pk, {})
        is_partner = not org.is_hub and org.status == OrganisationStatus.ACTIVE
        if is_partner:
            active_partners += 1
            supervised += org.n_supervisions > 0
        if figures or is_partner or org.pk in org_rates:
            row = OrgRow(org, dict(figures), org_rates.get(org.pk, Rate()), org.n_supervisions, is_partner)
            row.targets = _target_figures(getattr(org, "year_targets", None), figures, by_pk)
            rows.append(row)
    return {"by_organisation": rows, "supervised": supervised, "to_supervise": active_partners}


def _targets_subquery(year: int) -> Subquery:
    """The organisation's whole-organisation targets of the year as a JSON list (no query of its own)."""
    return Subquery(
        Target.objects.filter(organisation=OuterRef("pk"), year=year, centre__isnull=True)
        .values("organisation")
        .annotate(found=JSONBAgg(JSONObject(indicator="indicator_id", value="value")))
        .values("found")
    )


def _target_figures(found: list | None, figures: dict[int, Figure], by_pk: dict) -> list[TargetFigure]:
    """Targets beside the year's roll-up (the annual report's period is the targets' year)."""
    result = []
    for item in found or []:
        indicator = by_pk.get(item["indicator"])
        if indicator is None:  # a text indicator, or one not asked this year
            continue
        figure = figures.get(indicator.pk)
        result.append(
            TargetFigure(indicator, number(Decimal(str(item["value"]))), figure.current if figure else None)
        )
    result.sort(key=lambda t: (t.indicator.scope, t.indicator.order, t.indicator.code))
    return result


def _prefecture_rows(where: _Scope, coverage, per_prefecture) -> list[tuple[Prefecture, dict[int, Figure]]]:
    """Every prefecture for a region report; otherwise the scope's prefectures that have figures."""
    return [
        (p.prefecture, dict(per_prefecture[p.prefecture.pk]))
        for p in coverage.prefectures
        if (where.kind != ReportScope.PREFECTURE or p.prefecture.pk == where.prefecture.pk)
        and (where.kind == ReportScope.REGION or p.prefecture.pk in per_prefecture)
    ]


def _meeting_rows(where: _Scope, period: _Period) -> list[MeetingRow]:
    """Network meetings held in the period, with attendance from the scope (1 query)."""
    scope_invitations = where.q(org_path="invitations__organisation")
    meetings = (
        Meeting.objects.filter(
            status=MeetingStatus.HELD, starts_at__gte=period.start_at, starts_at__lt=period.end_at
        )
        .exclude(kind=MeetingKind.SUPERVISION)
        .annotate(
            n_invited=Count("invitations", filter=scope_invitations, distinct=True),
            n_present=Count(
                "invitations",
                filter=Q(invitations__attendance=Attendance.PRESENT) & scope_invitations,
                distinct=True,
            ),
        )
        .order_by("starts_at")
    )
    kind_labels = dict(MeetingKind.choices)
    return [
        MeetingRow(
            m.title,
            m.kind,
            str(kind_labels.get(m.kind, m.kind)),
            timezone.localtime(m.starts_at).date(),
            m.n_invited,
            m.n_present,
        )
        for m in meetings
    ]


def _mutual_aid(where: _Scope, period: _Period) -> dict:
    """Membership at the period's end (since when, for one organisation) and the rights used in it,
    study-visit subsidies verified or paid among them (4 queries)."""
    first, last = period.first, period.last
    in_scope = where.q(org_path="organisation")
    current = Q(joined_on__lte=last) & (Q(left_on__isnull=True) | Q(left_on__gt=last))
    membership = Membership.objects.filter(in_scope).aggregate(
        members=Count("pk", filter=current),
        joined=Count("pk", filter=Q(joined_on__gte=first, joined_on__lte=last)),
        since=Min("joined_on", filter=current),
    )
    funding = ExpansionFundingApplication.objects.filter(
        in_scope,
        status=ApplicationStatus.APPROVED,
        decided_at__gte=period.start_at,
        decided_at__lt=period.end_at,
    ).aggregate(n=Count("pk"), amount=Sum("approved_amount"))
    visits = StudyVisit.objects.filter(
        in_scope,
        status__in=[VisitStatus.APPROVED, VisitStatus.CLAIMED],
        visit_on__gte=first,
        visit_on__lte=last,
    ).aggregate(
        n=Count("pk"),
        cost=Sum("actual_cost"),
        estimated=Sum("estimated_cost"),
        subsidy=Sum("verified_amount", filter=Q(claim_status__in=[ClaimStatus.VERIFIED, ClaimStatus.PAID])),
    )
    coaching = CoachingSession.objects.filter(in_scope, held_on__gte=first, held_on__lte=last).count()
    return {
        "members": membership["members"],
        "members_joined": membership["joined"],
        "funding_approved": funding["n"],
        "funding_amount": number(funding["amount"]) or 0,
        "study_visits": visits["n"],
        "study_visit_cost": number(visits["cost"] if visits["cost"] is not None else visits["estimated"])
        or 0,
        "coaching_sessions": coaching,
        "study_visit_subsidy": number(visits["subsidy"]) or 0,
        "member_since": membership["since"],
    }


def year_in_numbers(indicators, totals, centres: int, partners: int) -> list[tuple[str, float, str]]:
    """(label, value, unit) for the annual report's opening page, from the year's totals."""
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    by_code = {i.code: i for i in indicators}

    def total(code):
        indicator = by_code.get(code)
        return totals.get(indicator.pk, Figure()).current if indicator else None

    rows = [
        (_("Parent-child centres operating"), centres, pgettext("unit", "centres")),
        (_("Partner organisations"), partners, pgettext("unit", "organisations")),
    ]
    services = [total(code) for code in SERVICE_CODES if code in by_code and total(code) is not None]
    if services:
        rows.append((_("Services held"), sum(services), _("times")))
    # Each figure's unit is its indicator's own (what the form asks for: 人 for people, 人次 for
    # visits), so a label cannot say "person-times" of a figure counted in people.
    for code, text in (
        ("child_visits", _("Child visits")),
        ("new_families", _("New families registered")),
        ("families_served", _("Families served in an average month")),
        ("volunteers", _("Volunteers in an average month")),
        ("new_volunteers", _("New volunteers")),
        ("volunteers_from_users", _("Service users who became volunteers")),
        ("child_volunteers", _("Children who volunteered")),
        ("volunteer_turnouts", _("Volunteer turnouts")),
        ("volunteer_hours", _("Volunteer hours")),
        ("book_loans", _("Book loans")),
        ("classes_graduated", _("Early-education classes graduated")),
    ):
        value = total(code)
        if value is not None:
            rows.append((text, value, by_code[code].unit))
    return rows


# ---------------------------------------------------------------------------------------------
# The annual (and half-year) report's design: cover, the year in numbers against last year and the
# targets, stories with consent, the hub's support a partner received. Read beside ``gather`` in a
# fixed number of queries (``annual``); the PDF and the web edition lay it out from the same object.


@dataclass
class BigFigure:
    """One large figure of the year in numbers, against last year and against the year's target."""

    key: str
    label: str
    value: float | None
    unit: str
    previous: float | None = None
    target: float | None = None

    @property
    def change_pct(self):
        return Figure(self.value, self.previous).change_pct

    @property
    def target_pct(self) -> int | None:
        if self.value is None or not self.target:
            return None
        return round(100 * self.value / self.target)


@dataclass
class Story:
    """A consented story as printed: its photo only when usable for funders, as a data URI."""

    title: str
    body: str
    organisation: str
    photo: str | None = None


@dataclass
class Annual:
    """What an annual or half-year report adds to the period's content."""

    name: str
    narrative: object | None
    logo: str | None
    cover: str | None
    stories: list[Story]
    numbers: list[BigFigure]
    help_hours: float
    help_hours_previous: float
    funders: list[str]
    # The hub's support a partner received (organisation scope only).
    support: list[SupportFigure] = field(default_factory=list)
    # Since when the partner is a member of the mutual-aid group (organisation scope only).
    member_since: datetime.date | None = None


@dataclass
class SupportFigure:
    """One line of the hub's support a partner received: a figure, its unit in the reader's language,
    and what it is out of or worth (``detail``), e.g. meetings attended "of 20 held"."""

    key: str
    label: str
    value: float
    unit: str = ""
    detail: str = ""


def is_designed(kind: str) -> bool:
    """Annual and half-year reports get the designed layout; other periods keep the data layout."""
    return kind in (PeriodKind.YEAR, PeriodKind.HALF_YEAR)


def find_narrative(kind: str, start: datetime.date, organisation: Organisation | None):
    """The narrative written for this period and organisation (the region's when None), if any (1 query)."""
    from ..models import AnnualNarrative

    return AnnualNarrative.objects.filter(
        organisation=organisation, period_kind=kind, period_start=start
    ).first()


def image_uri(attachment) -> str | None:
    """An attachment's image as a data URI (the thumbnail when there is one): the PDF and the shared web
    edition show it without a download view that would ask the reader for an account."""
    import base64

    stored = attachment.thumbnail or attachment.file
    if not stored or not attachment.is_image:
        return None
    try:
        with stored.open("rb") as handle:
            data = handle.read()
    except OSError:
        return None
    mime = "image/jpeg" if attachment.thumbnail else attachment.mime_type
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def annual(content: RegionalContent, narrative=None, *, find: bool = True) -> Annual:
    """The annual design's additions for ``content`` (4 queries, 5 with ``find`` and no narrative; an
    organisation's report 2 more: its centres' figures and its people's training)."""
    from django.db.models import Exists

    from hubsite.core.attachments.models import Attachment, AttachmentKind

    from ..models import AnnualNarrative, AnnualStory

    if narrative is None and find:
        narrative = find_narrative(content.kind, content.start, content.organisation)
    logo = cover = None
    stories: list[Story] = []
    if narrative is not None:
        # The narrative's own pictures: the logo, and the first photo usable for funders as the cover.
        for attachment in (
            Attachment.objects.for_model(AnnualNarrative)
            .filter(object_id=narrative.pk, kind__in=[AttachmentKind.LOGO, AttachmentKind.PHOTO])
            .usable_for_funders()
        ):
            if attachment.kind == AttachmentKind.LOGO and logo is None:
                logo = image_uri(attachment)
            elif attachment.kind == AttachmentKind.PHOTO and cover is None:
                cover = image_uri(attachment)
        usable = Attachment.objects.filter(pk=OuterRef("photo_id")).usable_for_funders()
        for story in (
            AnnualStory.objects.filter(narrative=narrative, consented_at__isnull=False)
            .select_related("organisation", "photo")
            .annotate(photo_usable=Exists(usable))
            .order_by("position", "pk")
        ):
            photo = image_uri(story.photo) if story.photo_id and story.photo_usable else None
            stories.append(
                Story(
                    story.title, story.body, story.organisation.short_name or story.organisation.name, photo
                )
            )
    hours = _help_hours(content)
    if content.scope == ReportScope.ORGANISATION:
        _centre_figures(content)
    return Annual(
        name=report_name(content.organisation),
        narrative=narrative,
        logo=logo,
        cover=cover,
        stories=stories,
        numbers=annual_numbers(content, hours),
        help_hours=hours["current"],
        help_hours_previous=hours["previous"],
        funders=_funders(narrative),
        support=_support(content, hours),
        member_since=content.member_since if content.scope == ReportScope.ORGANISATION else None,
    )


def report_name(organisation: Organisation | None) -> str:
    """The name on the cover: the partner's, or the hub's as the site shows it (``HUB_NAME``, in the
    reader's language), else the hub's row's."""
    from django.conf import settings

    if organisation is not None:
        return organisation.name
    return str(getattr(settings, "HUB_NAME", "") or "") or (
        Organisation.objects.filter(is_hub=True).values_list("name", flat=True).first() or ""
    )


def _funders(narrative) -> list[str]:
    return [line.strip() for line in (narrative.funders if narrative else "").splitlines() if line.strip()]


def annual_words(kind: str, start: datetime.date, organisation: Organisation | None) -> Annual:
    """Only the words (for the closing pages rendered apart from the figures): 1-2 queries."""
    narrative = find_narrative(kind, start, organisation)
    return Annual(
        name=report_name(organisation),
        narrative=narrative,
        logo=None,
        cover=None,
        stories=[],
        numbers=[],
        help_hours=0,
        help_hours_previous=0,
        funders=_funders(narrative),
    )


def _help_hours(content: RegionalContent) -> dict[str, float]:
    """Hours of help between partners (the mutual-aid ledger) in the period and the one before (1 query):
    given or received by the scope's organisations (``current``, ``previous``); for one organisation
    also what it gave and what it received, apart (a partner's report shows both)."""
    from mutualaid.models import HelpHours

    this_period = Q(given_on__gte=content.start)
    sums = {
        "current": Sum("hours", filter=this_period),
        "previous": Sum("hours", filter=~this_period),
    }
    if content.scope == ReportScope.ORGANISATION:
        where = Q(giver=content.organisation) | Q(receiver=content.organisation)
        gave, got = Q(giver=content.organisation), Q(receiver=content.organisation)
        sums.update(
            given=Sum("hours", filter=this_period & gave),
            given_previous=Sum("hours", filter=~this_period & gave),
            received=Sum("hours", filter=this_period & got),
            received_previous=Sum("hours", filter=~this_period & got),
        )
    elif content.scope == ReportScope.PREFECTURE:
        where = Q(giver__prefecture=content.prefecture) | Q(receiver__prefecture=content.prefecture)
    else:
        where = Q()
    row = HelpHours.objects.filter(
        where, given_on__gte=content.previous_start, given_on__lte=content.end
    ).aggregate(**sums)
    return {key: number(value) or 0 for key, value in row.items()}


def _centre_figures(content: RegionalContent) -> None:
    """Each of an organisation's centres with its key figures in the period and the one before (1 query),
    rolled up as the totals are (``reports.rollup``)."""
    from django.db.models import BooleanField, Case, Value, When

    from ..rollup import rolled_up

    if not content.centres or not content.key_indicators:
        return
    by_pk = {i.pk: i for i in content.key_indicators}
    values = ReportValue.objects.filter(
        report__organisation=content.organisation,
        centre__in=[row.pk for row in content.centres],
        month__gte=content.previous_start,
        month__lte=content.end,
        report__status__in=COUNTED_STATUSES,
        indicator__in=list(by_pk),
    ).annotate(
        in_period=Case(
            When(month__gte=content.start, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    totals = rolled_up(values, "centre_id", "indicator_id", "in_period")
    for row in content.centres:
        for pk in by_pk:
            current, previous = totals.get((row.pk, pk, True)), totals.get((row.pk, pk, False))
            if current is None and previous is None:
                continue
            row.figures[pk] = Figure(number(current) if current is not None else 0, number(previous) or 0)


def _support(content: RegionalContent, hours: dict) -> list[SupportFigure]:
    """What the hub gave one partner in the period: network meetings it attended, supervision and
    coaching it received, its people's training completed, study visits and their subsidies, expansion
    funding, help received from other partners (1 query, the training; the rest is gathered)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    from training.choices import ApplicationStatus as LearnerStatus
    from training.models import Application

    from ..units import unit_label, with_unit

    if content.scope != ReportScope.ORGANISATION:
        return []
    training = Application.objects.filter(
        organisation=content.organisation,
        status=LearnerStatus.COMPLETED,
        completed_on__gte=content.start,
        completed_on__lte=content.end,
    ).aggregate(
        learners=Count("pk"),
        certificates=Count("certificate", filter=Q(certificate__revoked=False)),
    )
    supervisions = sum(row.supervisions for row in content.by_organisation)
    times = pgettext("unit", "times")
    held = len(content.meetings)
    figures = [
        SupportFigure(
            "meetings",
            _("Network meetings attended"),
            content.meetings_attended,
            times,
            _("of %(held)s held; %(present)s person-times present")
            % {"held": held, "present": content.attendance[1]}
            if held
            else "",
        ),
        SupportFigure("supervisions", _("Supervision visits from the hub"), supervisions, times),
        SupportFigure("coaching", _("Coaching sessions"), content.coaching_sessions, times),
        SupportFigure(
            "training",
            _("People who completed the hub's training"),
            training["learners"],
            unit_label("人", training["learners"]),
            _("%(count)s certificates") % {"count": training["certificates"]}
            if training["certificates"]
            else "",
        ),
        SupportFigure(
            "study_visits",
            _("Study visits"),
            content.study_visits,
            times,
            _("subsidies %(amount)s") % {"amount": with_unit(content.study_visit_subsidy, "元")}
            if content.study_visit_subsidy
            else "",
        ),
        SupportFigure(
            "funding",
            _("Expansion funding approved"),
            content.funding_amount,
            unit_label("元", content.funding_amount),
        ),
        SupportFigure(
            "help_received",
            _("Hours of help received from other partners"),
            hours.get("received", 0),
            pgettext("unit", "hours"),
        ),
    ]
    # Meetings and supervision always say something (none is worth knowing); other support nobody gave
    # this partner in the period is left out, as the year in numbers leaves out figures nobody reported.
    return [f for f in figures if f.value or f.key in ("meetings", "supervisions")]


def _summed_targets(content: RegionalContent) -> dict[int, float]:
    """The scope's target per indicator: the organisations' targets added up, for indicators that add
    up over units (a stock's average month adds up over organisations like its figure does)."""
    from ..choices import OverUnits

    sums: dict[int, float] = defaultdict(float)
    for row in content.by_organisation:
        for target in row.targets:
            if target.indicator.over_units == OverUnits.SUM:
                sums[target.indicator.pk] += target.target
    return dict(sums)


def annual_numbers(content: RegionalContent, hours: dict) -> list[BigFigure]:
    """The year in numbers (seed 003's kind), each with last year's figure and the target when set.
    Units are in the reader's language (人次 reads "visits" in English). A partner's report counts
    its own: no count of the network's organisations, and the help it gave other partners rather
    than all help it took part in (what it received is the hub's support, ``_support``)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    from ..units import unit_label

    by_code = {i.code: i for i in content.indicators}
    targets = _summed_targets(content) if content.is_annual else {}

    def figure(code):
        indicator = by_code.get(code)
        if indicator is None:
            return None
        return content.totals.get(indicator.pk, Figure())

    rows: list[BigFigure] = []
    services = [(code, figure(code)) for code in SERVICE_CODES if figure(code) is not None]
    services = [(code, f) for code, f in services if f.current is not None]
    if services:
        service_targets = [targets.get(by_code[code].pk) for code, _f in services]
        rows.append(
            BigFigure(
                "services",
                _("Services held"),
                sum(f.current for _c, f in services),
                pgettext("unit", "times"),
                sum(f.previous or 0 for _c, f in services),
                sum(t for t in service_targets if t) or None,
            )
        )
    for code, text in (
        ("child_visits", _("Child visits")),
        ("families_served", _("Families served in an average month")),
        ("new_families", _("New families registered")),
        ("volunteers", _("Volunteers in an average month")),
        ("volunteer_hours", _("Volunteer hours")),
        ("book_loans", _("Book loans")),
        ("classes_graduated", _("Early-education classes graduated")),
    ):
        found = figure(code)
        if found is None or found.current is None:
            continue
        indicator = by_code[code]
        rows.append(
            BigFigure(
                code,
                text,
                found.current,
                unit_label(indicator.unit, found.current),
                found.previous,
                targets.get(indicator.pk),
            )
        )
    if content.scope != ReportScope.ORGANISATION:
        rows.append(
            BigFigure(
                "partners",
                _("Organisations supported"),
                content.to_supervise,
                pgettext("unit", "organisations"),
            )
        )
    rows.append(
        BigFigure(
            "centres",
            _("Parent-child centres operating"),
            content.centres_operating,
            pgettext("unit", "centres"),
        )
    )
    if content.scope == ReportScope.ORGANISATION:
        rows.append(
            BigFigure(
                "help_given",
                _("Hours of help given to other partners"),
                hours["given"],
                pgettext("unit", "hours"),
                hours["given_previous"],
            )
        )
    else:
        rows.append(
            BigFigure(
                "help_hours",
                _("Hours of help between partners"),
                hours["current"],
                pgettext("unit", "hours"),
                hours["previous"],
            )
        )
    # A figure nobody reported this year or last, with no target, says nothing to a funder.
    return [f for f in rows if f.value or f.previous or f.target]


def partner_groups(
    kind: str,
    start: datetime.date,
    scope: str,
    prefecture: Prefecture | None,
    prefecture_ids: list[int],
    *,
    today: datetime.date | None = None,
) -> tuple[list[Indicator], list[tuple[Prefecture, list[OrgRow]]]]:
    """The partners' lines of some prefectures, for one part of the annual PDF rendered in its own
    process: the same roll-up as ``gather`` over only these prefectures' organisations (3 queries)."""
    today = today or timezone.localdate()
    period = _Period.of(kind, start)
    where = _Scope(scope, prefecture, None)
    indicators = _indicators(period)
    # Only this period's values: the partners' lines show the year, not last year's.
    values = _values(where, period, indicators).filter(
        report__organisation__prefecture__in=prefecture_ids, month__gte=period.first
    )
    _totals, _per_prefecture, per_org = _figures(values, period, indicators)
    # The partners' pages show figures and targets, not reporting rates (the XLSX has those).
    rows = _organisation_rows(
        where,
        period,
        per_org,
        {},
        indicators,
        target_year=start.year if kind == PeriodKind.YEAR else None,
        prefecture_ids=prefecture_ids,
    )["by_organisation"]
    groups: dict = {}
    for row in rows:
        if not row.organisation.is_hub:
            groups.setdefault(row.organisation.prefecture, []).append(row)
    by_code = {i.code: i for i in indicators}
    return [by_code[c] for c in KEY_CODES if c in by_code], list(groups.items())


def partner_counts(scope: str, prefecture: Prefecture | None, organisation: Organisation | None) -> list:
    """(prefecture id, partners) in the prefectures' order, to split the partners' pages into parts
    of similar size (1 query)."""
    where = _Scope(scope, prefecture, organisation)
    return list(
        Organisation.objects.filter(where.q(org_path="pk", prefecture_path="prefecture"))
        .exclude(status__in=NOT_PARTNERS)
        .exclude(is_hub=True)
        .values_list("prefecture_id")
        .annotate(n=Count("pk"))
        .order_by("prefecture__code")
        .values_list("prefecture_id", "n")
    )
