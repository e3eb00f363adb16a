"""Demo monthly reports: every operating centre of every active organisation, month by month since
it opened, with seasonal variation, a few late, missing and returned reports, so the grid tells a story.

Idempotent: decisions come from a random generator seeded by organisation and month, and existing
reports are left alone. Runs after partners/demo.py and looks everything up in the database.
"""

from __future__ import annotations

import datetime
import math
import random
from decimal import Decimal

from django.utils import timezone

from hubsite.core.roles import HUB_ROLES, PARTNER_ROLES
from partners.models import Centre, Organisation, User

from . import periods
from .choices import EventAction, ReportStatus, Scope
from .defaults import load_all_default_indicators
from .models import Indicator, MonthlyReport, ReportEvent, ReportValue, Target
from .targets import achieved

HIGHLIGHTS = [
    "开展了绘本共读月活动，新家庭参与积极。",
    "社区妈妈志愿者开始轮流值班。",
    "与社区卫生服务中心合作开展了育儿讲座。",
    "老师参加了枢纽的观察记录培训，并在园内分享。",
    "举办了亲子运动会，爷爷奶奶也来了。",
]
DIFFICULTIES = ["场地租金压力大。", "雨季来园家庭减少。", "志愿者流动快，需要持续招募。", ""]
RETURN_COMMENTS = ["儿童服务人次与开放天数不太对得上，请核对。", "请补充本月亮点的具体内容。"]


def _month_factor(month: datetime.date) -> float:
    """Summer and autumn busier, Spring Festival (Jan/Feb) quieter."""
    seasonal = 1 + 0.2 * math.sin(2 * math.pi * (month.month - 4) / 12)
    if month.month in (1, 2):
        seasonal *= 0.7
    return seasonal


def centre_values(rng: random.Random, month: datetime.date, size: float) -> dict[str, float]:
    """Plausible figures for one centre and month; ``size`` scales a typical community centre."""
    factor = _month_factor(month) * size * rng.uniform(0.85, 1.15)
    days = max(8, min(26, round(22 * (0.75 if month.month in (1, 2) else 1) * rng.uniform(0.9, 1.05))))
    visits = round(260 * factor)
    # Registered children by age band, about 1.1 a family (a family comes with one child 0-3, now and
    # then two). The generator is called in the same order as before, so other figures keep theirs.
    band_shares = [share * rng.uniform(0.08, 0.12) for share in (0.25, 0.4, 0.35)]
    families = round(visits / rng.uniform(3.5, 5))
    bands = [round(families * share * 11) for share in band_shares]
    return {
        "days_open": days,
        "classes": round(8 * factor),
        "activities": round(4 * factor),
        "child_visits": visits,
        "families_served": families,
        "new_families": round(families * rng.uniform(0.03, 0.1)),
        "children_0_1": bands[0],
        "children_1_2": bands[1],
        "children_2_3": bands[2],
        "parenting_sessions": round(2 * factor),
        "reading_activities": round(4 * factor),
        "book_loans": round(120 * factor),
        "home_visits": round(3 * factor),
        "volunteers": round(5 * size * rng.uniform(0.7, 1.3)),
        "volunteer_hours": round(40 * factor, 1),
        "training_hours": round(rng.choice([0, 2, 4, 8]), 1),
    }


def year_in_numbers_values(centre_pk: int, month: datetime.date, volunteers: int) -> dict[str, int]:
    """Seed 003's figures for one centre and month (asked from 2027), consistent with the centre's
    volunteers. Their own generator: the months before keep exactly the figures they had."""
    rng = random.Random(f"year-in-numbers-{centre_pk}-{month:%Y%m}")  # noqa: S311 - demo data
    new = round(volunteers * rng.uniform(0.05, 0.25))
    return {
        "new_volunteers": new,
        "volunteers_from_users": round(new * rng.uniform(0.6, 0.9)),
        "child_volunteers": rng.choice([0, 0, 1, 2, 3]),
        "volunteer_turnouts": round(volunteers * rng.uniform(2, 4)),
        # A course of early-education classes runs half a year.
        "classes_graduated": rng.choice([1, 1, 2]) if month.month in (6, 12) else 0,
    }


def _decide(rng: random.Random, month: datetime.date, last_month: datetime.date, is_demo_org: bool) -> str:
    """What happened to this organisation's report for this month."""
    age = (last_month.year - month.year) * 12 + last_month.month - month.month
    if age == 0:
        if is_demo_org:
            return "absent"  # left for the demo partner to fill in
        return rng.choices(["on_time", "late", "draft", "absent"], [5, 1, 2, 2])[0]
    if age == 1:
        return rng.choices(["on_time_waiting", "late_waiting", "returned", "absent"], [6, 2, 1, 1])[0]
    if age <= 3 and rng.random() < 0.08:
        return "returned"
    roll = rng.random()
    if roll < 0.03:
        return "absent"
    if roll < 0.13:
        return "late"
    return "on_time"


def seed(ctx: dict) -> None:
    """Monthly reports of every active organisation since its first centre opened, with values and
    history; months already reported are left alone, so seeding twice adds nothing."""
    last_month = periods.add_months(periods.first_of(timezone.localdate()), -1)
    # The default indicators come with a migration; a flushed test database (live server) lost them.
    if not Indicator.objects.exists():
        load_all_default_indicators(Indicator)
    indicators = {i.code: i for i in Indicator.objects.all()}
    org_indicators = [i for i in indicators.values() if i.scope == Scope.ORGANISATION]
    reviewer = (
        User.objects.filter(email="staff@example.org").first()
        or User.objects.filter(role__in=HUB_ROLES).order_by("pk").first()
    )
    plans = _plan_reports(list(Organisation.objects.active()), last_month, reviewer)
    MonthlyReport.objects.bulk_create([plan[0] for plan in plans], batch_size=2000)
    values, events = [], []
    for report, _decision, rng, operating in plans:
        values += _report_values(report, rng, operating, indicators, org_indicators)
        events += _report_events(report, reviewer)
    ReportValue.objects.bulk_create(values, batch_size=5000)
    ReportEvent.objects.bulk_create(events, batch_size=2000)
    ctx["reports"] = len(plans)
    ctx["targets"] = seed_targets(periods.add_months(periods.first_of(timezone.localdate()), -1).year)


# The figures the demo sets targets for, and how far above the year before they aim.
TARGET_CODES = ("child_visits", "families_served", "new_families", "classes", "parenting_sessions")
TARGET_GROWTH = Decimal("1.1")


def seed_targets(year: int) -> int:
    """Targets for the year for every active organisation that reported the year before: that
    year's roll-up of each figure plus a tenth. Organisations with targets for the year keep them."""
    indicators = list(Indicator.objects.filter(code__in=TARGET_CODES))
    organisations = list(
        Organisation.objects.active()
        .exclude(targets__year=year)
        .filter(monthly_reports__month__year=year - 1)
        .distinct()
    )
    # Unsaved targets of the year before: ``achieved`` reads their organisation and indicator only.
    previous = [
        Target(organisation=org, indicator=i, year=year - 1, value=0)
        for org in organisations
        for i in indicators
    ]
    figures = achieved(previous, year - 1)
    by_pk = {i.pk: i for i in indicators}
    targets = [
        Target(
            organisation_id=org_id,
            indicator=by_pk[indicator_id],
            year=year,
            value=round(figure * TARGET_GROWTH),
        )
        for (org_id, centre_id, indicator_id), figure in figures.items()
        if centre_id is None and figure
    ]
    created = Target.objects.bulk_create(targets, ignore_conflicts=True)
    return len(created)


def _plan_reports(organisations: list, last_month: datetime.date, reviewer) -> list[tuple]:
    """(unsaved report, decision, its generator, operating centres) for each month to seed."""
    demo_partner = User.objects.filter(email="partner@example.org").first()
    demo_org_id = demo_partner.organisation_id if demo_partner else None
    centres_by_org: dict[int, list[Centre]] = {}
    for centre in Centre.objects.filter(organisation__in=organisations, opened_on__isnull=False).order_by(
        "pk"
    ):
        centres_by_org.setdefault(centre.organisation_id, []).append(centre)
    existing = set(MonthlyReport.objects.values_list("organisation_id", "month"))
    authors = {}
    for user in User.objects.filter(organisation__in=organisations).order_by("pk"):
        if user.role in PARTNER_ROLES or (user.role in HUB_ROLES and user.organisation_id not in authors):
            authors.setdefault(user.organisation_id, user)
    plans = []
    for org in organisations:
        centres = centres_by_org.get(org.pk, [])
        if not centres:
            continue
        first = periods.first_of(min(c.opened_on for c in centres))
        for month in periods.months_between(first, last_month):
            if (org.pk, month) in existing:
                continue
            rng = random.Random(f"{org.pk}-{month:%Y%m}")  # noqa: S311 - demo data, not security
            decision = _decide(rng, month, last_month, org.pk == demo_org_id)
            if decision == "absent":
                continue
            end = periods.last_of(month)
            operating = [
                c for c in centres if c.opened_on <= end and (c.closed_on is None or c.closed_on >= month)
            ]
            if not operating:
                continue
            report = MonthlyReport(organisation=org, month=month, created_by=authors.get(org.pk))
            if decision != "draft":
                _submit(report, decision, rng, reviewer)
            plans.append((report, decision, rng, operating))
    return plans


def _submit(report: MonthlyReport, decision: str, rng: random.Random, reviewer) -> None:
    """Its author submitted it around the due date (after it when late); the hub approved or returned
    it a few days later, or has not reviewed it yet."""
    due = periods.due_date(report.month)
    late = decision.startswith("late")
    day = due + datetime.timedelta(days=rng.randint(2, 12) if late else -rng.randint(0, 4))
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(8, 21), 15)))
    report.first_submitted_at = report.submitted_at = at
    report.submitted_by = report.created_by
    if decision in ("on_time", "late"):
        report.status = ReportStatus.APPROVED
        report.reviewed_at = at + datetime.timedelta(days=rng.randint(1, 6))
        report.reviewed_by = reviewer
    elif decision == "returned":
        report.status = ReportStatus.RETURNED
        report.reviewed_at = at + datetime.timedelta(days=2)
        report.reviewed_by = reviewer
        report.hub_comment = rng.choice(RETURN_COMMENTS)
    else:
        report.status = ReportStatus.SUBMITTED


def _report_values(
    report, rng: random.Random, operating: list, indicators: dict, org_indicators: list
) -> list:
    """Figures for each operating centre (scaled by the centre's size) and the two texts."""
    values = []
    for centre in operating:
        size = 0.6 + (centre.pk % 5) * 0.2
        figures = centre_values(rng, report.month, size)
        later = year_in_numbers_values(centre.pk, report.month, figures["volunteers"])
        figures.update({code: n for code, n in later.items() if _asked(indicators.get(code), report.month)})
        for code, number in figures.items():
            values.append(
                ReportValue(
                    report=report,
                    centre=centre,
                    indicator=indicators[code],
                    month=report.month,
                    number=number,
                )
            )
    texts = {"highlights": rng.choice(HIGHLIGHTS), "difficulties": rng.choice(DIFFICULTIES)}
    for indicator in org_indicators:
        if texts.get(indicator.code):
            values.append(
                ReportValue(
                    report=report, indicator=indicator, month=report.month, text=texts[indicator.code]
                )
            )
    return values


def _asked(indicator, month: datetime.date) -> bool:
    """Whether a report of ``month`` asks for this indicator (indicators are versioned by month)."""
    if indicator is None or indicator.valid_from > month:
        return False
    return indicator.valid_until is None or indicator.valid_until >= month


def _report_events(report, reviewer) -> list:
    """The report's history: created at the month's end, first submitted, then approved or returned."""
    created_at = timezone.make_aware(
        datetime.datetime.combine(periods.last_of(report.month), datetime.time(17))
    )
    events = [
        ReportEvent(
            report=report,
            action=EventAction.CREATED,
            actor=report.created_by,
            at=created_at,
            to_status="draft",
        )
    ]
    if report.first_submitted_at:
        events.append(
            ReportEvent(
                report=report,
                action=EventAction.SUBMITTED,
                actor=report.submitted_by,
                at=report.first_submitted_at,
                from_status=ReportStatus.DRAFT,
                to_status=ReportStatus.SUBMITTED,
            )
        )
    if report.reviewed_at:
        action = EventAction.APPROVED if report.status == ReportStatus.APPROVED else EventAction.RETURNED
        events.append(
            ReportEvent(
                report=report,
                action=action,
                actor=reviewer,
                at=report.reviewed_at,
                from_status=ReportStatus.SUBMITTED,
                to_status=report.status,
                comment=report.hub_comment,
            )
        )
    return events
