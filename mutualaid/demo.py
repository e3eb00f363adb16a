"""Demo data for the mutual-aid group: the 2024 review round, members and the rights they used.

Runs after the partners demo and looks everything up from the database, so it works with whatever
organisations exist. Idempotent: every row is found by a natural key before it is created.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from hubsite.core.roles import HUB_ROLES, PARTNER_ROLES, Role
from partners.choices import SiteType
from partners.models import Centre, Organisation, User

from .actions import do_decide, do_run_review
from .choices import ApplicationStatus, Criterion, Decision, SessionKind, VisitStatus, WaitStatus
from .models import (
    CoachingRequest,
    CoachingSession,
    EligibilityPolicy,
    ExpansionFundingApplication,
    Membership,
    ReviewRound,
    StudyVisit,
    StudyVisitBudget,
)

ROUND_NAME = "2024 年度评审"
AS_OF = datetime.date(2024, 12, 31)
JOINED_ON = datetime.date(2025, 1, 1)
MIN_MEMBERS = 3


def _staff() -> User | None:
    return (
        User.objects.filter(email="staff@example.org").first()
        or User.objects.filter(role__in=HUB_ROLES).order_by("pk").first()
    )


def _person_of(org: Organisation) -> User | None:
    people = User.objects.filter(organisation=org, role__in=PARTNER_ROLES)
    return people.filter(role=Role.DIRECTOR).order_by("pk").first() or people.order_by("pk").first()


def seed(ctx: dict) -> None:
    staff = _staff()
    if staff is None:
        return
    EligibilityPolicy.objects.current()
    today = timezone.localdate()
    for year in {2024, 2025, today.year}:
        StudyVisitBudget.objects.get_or_create(year=year, defaults={"amount_per_member": Decimal("3000")})
    review = _review_round(staff)
    members = [m.organisation for m in Membership.objects.current(today).select_related("organisation")]
    ctx["mutualaid_round"] = review
    ctx["mutualaid_members"] = members
    _applications(staff, members, today)
    _visits(staff, members, today)
    _coaching(staff, members, today)


def _review_round(staff):
    review = ReviewRound.objects.filter(name=ROUND_NAME).first()
    if review is not None:
        return review
    review = do_run_review(by=staff, as_of=AS_OF, name=ROUND_NAME, cohort="2024")
    results = list(
        review.results.select_related("organisation").order_by("missing_count", "organisation__name")
    )
    admitted = 0
    for result in results:
        if result.qualifies:
            do_decide(
                result_id=result.pk,
                by=staff,
                decision=Decision.ADMITTED,
                note="五项条件全部符合。",
                joined_on=JOINED_ON,
            )
            admitted += 1
    for result in results:
        if result.qualifies:
            continue
        missing = "、".join(str(Criterion(code).label) for code in result.missing)
        if admitted < MIN_MEMBERS and result.missing_count == 1:
            note = f"只差一项（{missing}），经小组讨论作为试点成员接纳，2025 年复核。"
            do_decide(
                result_id=result.pk, by=staff, decision=Decision.ADMITTED, note=note, joined_on=JOINED_ON
            )
            admitted += 1
        else:
            do_decide(
                result_id=result.pk,
                by=staff,
                decision=Decision.DECLINED,
                note=f"暂未符合：{missing}。欢迎明年再评。",
            )
    return review


def _applications(staff, members, today):
    partners = list(Organisation.objects.active().partners().order_by("name"))
    member_ids = {m.pk for m in members}
    staffed = set(User.objects.filter(role__in=PARTNER_ROLES).values_list("organisation_id", flat=True))
    non_members = [o for o in partners if o.pk not in member_ids and o.pk in staffed]
    members = [o for o in members if o.pk in staffed]
    plan = [
        # (organisation, site, budget, days ago, status)
        *[
            (org, f"{org.display_name}第二亲子园", "30000", 40 - i, ApplicationStatus.SUBMITTED)
            for i, org in enumerate(non_members[:2])
        ],
        *[
            (org, f"{org.display_name}社区新点", "25000", 20 - i, ApplicationStatus.SUBMITTED)
            for i, org in enumerate(members[:2])
        ],
        *[
            (org, f"{org.display_name}乡镇新点", "20000", 90, ApplicationStatus.APPROVED)
            for org in members[2:3]
        ],
    ]
    for org, site, budget, days_ago, status in plan:
        applicant = _person_of(org)
        if (
            applicant is None
            or ExpansionFundingApplication.objects.filter(organisation=org, site_name=site).exists()
        ):
            continue
        application = ExpansionFundingApplication.objects.create(
            organisation=org,
            applicant=applicant,
            site_name=site,
            prefecture=org.prefecture,
            site_type=SiteType.COMMUNITY,
            budget=Decimal(budget),
            justification="社区内 0-3 岁家庭多，附近没有亲子园；社区居委会愿意提供场地。",
            submitted_at=timezone.now() - datetime.timedelta(days=days_ago),
        )
        if status == ApplicationStatus.APPROVED:
            application.status = status
            application.approved_amount = Decimal("18000")
            application.decided_by = staff
            application.decided_at = timezone.now() - datetime.timedelta(days=60)
            application.decision_note = "成员优先；先批一期经费。"
            application.save()


def _visits(staff, members, today):
    if len(members) < 2:
        return
    rows = [
        (members[0], members[1], today - datetime.timedelta(days=30), VisitStatus.CLAIMED),
        (members[1], members[0], today - datetime.timedelta(days=10), VisitStatus.APPROVED),
        (members[-1], members[0], today + datetime.timedelta(days=20), VisitStatus.REQUESTED),
    ]
    for visitor, host, day, status in rows:
        requester = _person_of(visitor)
        centre = (
            Centre.objects.filter(organisation=host)
            .exclude(opened_on__isnull=True)
            .order_by("opened_on")
            .first()
        )
        if (
            requester is None
            or centre is None
            or StudyVisit.objects.filter(organisation=visitor, visit_on=day).exists()
        ):
            continue
        visit = StudyVisit.objects.create(
            organisation=visitor,
            requested_by=requester,
            visitors=f"{requester.full_name}等 2 人",
            host_centre=centre,
            visit_on=day,
            estimated_cost=Decimal("900"),
            purpose="看示范园的家长志愿者排班和绘本借阅。",
        )
        visit.status = status
        if status != VisitStatus.REQUESTED:
            visit.decided_by, visit.decided_at = staff, timezone.now()
        if status == VisitStatus.CLAIMED:
            visit.actual_cost = Decimal("760")
            visit.learning_note = "家长志愿者按周排班，每班两人；回去试行。"
            visit.claimed_at = timezone.now()
        visit.save()


def _coaching(staff, members, today):
    for i, org in enumerate(members):
        director = User.objects.filter(organisation=org, role=Role.DIRECTOR).order_by("pk").first()
        held_on = today - datetime.timedelta(days=15 + 20 * i)
        kind = SessionKind.COACHING if director else SessionKind.EXPERIENCE
        CoachingSession.objects.get_or_create(
            organisation=org,
            held_on=held_on,
            kind=kind,
            defaults={
                "director": director,
                "coach": "枢纽督导 黄老师",
                "topic": "机构筹款与团队" if director else "教学经验总结",
                "notes": "梳理了下半年筹款计划；约定下次看团队分工。",
                "recorded_by": staff,
            },
        )
    for director in User.objects.filter(role=Role.DIRECTOR, organisation__isnull=False).order_by("pk")[:3]:
        if not CoachingRequest.objects.filter(director=director).exists():
            CoachingRequest.objects.create(
                organisation_id=director.organisation_id,
                director=director,
                topic="机构负责人个人成长",
                status=WaitStatus.WAITING,
            )
