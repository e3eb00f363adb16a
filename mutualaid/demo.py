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
from .choices import (
    ApplicationStatus,
    ClaimStatus,
    Criterion,
    Decision,
    HelpKind,
    HelpRequestStatus,
    OfferStatus,
    SessionKind,
    VisitStatus,
    WaitStatus,
)
from .models import (
    Activity,
    ActivityRequest,
    CoachingRequest,
    CoachingSession,
    EligibilityPolicy,
    ExpansionFundingApplication,
    HelpHours,
    Membership,
    Mentor,
    MentorRequest,
    PioneerPairing,
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
    _help_between_partners(staff, today)
    _pioneer_pair(staff, members, today)
    _group_work(staff, members, today)


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
            visit.claim_status = ClaimStatus.SUBMITTED
            # Checked by the hub: one receipt (a taxi) was missing.
            visit.verify_claim(by=staff, amount=Decimal("700"), note="缺一张出租车发票，按 700 元核实。")
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


MENTORS = [
    (
        ["operations", "parents"],
        "on_site",
        "每月两个周六上午",
        "办园六年：家长委员会怎么建、志愿者怎么排班。",
    ),
    (["teaching"], "either", "周三下午", "绘本共读和游戏化教学，可带新老师听课。"),
    (["fundraising", "finance"], "online", "工作日晚上", "小额筹款、月捐和项目预算，财务制度模板可分享。"),
    (["parents", "volunteers"], "either", "周末", "家长志愿者从招募到留住的做法。"),
]
ACTIVITIES = [
    ("parent_workshop", "家长沙龙：如何陪孩子读绘本", 25, "需要一间能坐 25 人的活动室。"),
    ("festival_event", "中秋亲子灯笼会", 40, "材料费由受助机构承担，约 10 元/户。"),
    ("lesson_plan", "0-3 岁感统游戏教案（12 节）", 15, "线上分享，附视频。"),
    ("staff_cover", "节假日老师顶岗", 10, "提前两周联系；路费由受助机构报销。"),
    ("parent_workshop", "新手爸爸工作坊", 20, ""),
]


def _help_between_partners(staff, today):
    """Seed 004's proportions at this network's size: a few mentors, a handful of activities and some
    tens of hours between the partners, this year. Skipped once any mentor exists."""
    if Mentor.objects.exists():
        return
    people = [
        person
        for org in Organisation.objects.active().partners().order_by("name")
        if (person := _person_of(org)) is not None
    ]
    if len(people) < 4:
        return
    start = today.replace(month=1, day=1)

    def day(days_ago):
        return max(today - datetime.timedelta(days=days_ago), start)

    mentors = []
    for person, (areas, fmt, availability, introduction) in zip(people, MENTORS, strict=False):
        mentors.append(
            Mentor.objects.create(
                person=person,
                organisation_id=person.organisation_id,
                areas=areas,
                format=fmt,
                availability=availability,
                introduction=introduction,
                status=OfferStatus.APPROVED,
                reviewed_by=staff,
                reviewed_at=timezone.now(),
            )
        )
    for i, mentor in enumerate(mentors):
        for j in (1, 2):
            asker = people[(i + j + 3) % len(people)]
            if asker.organisation_id == mentor.organisation_id:
                continue
            request = MentorRequest.objects.create(
                mentor=mentor,
                organisation_id=asker.organisation_id,
                requested_by=asker,
                message="新老师多，想请您来看看我们的家长工作和排班。",
                status=HelpRequestStatus.ACCEPTED,
                answered_by=mentor.person,
                answered_at=timezone.now(),
            )
            for k, hours in enumerate(("2.5", "3")):
                HelpHours.objects.create(
                    kind=HelpKind.MENTORING,
                    giver_id=mentor.organisation_id,
                    giver_person=mentor.person,
                    receiver_id=asker.organisation_id,
                    given_on=day(60 - 20 * k + 5 * i),
                    hours=Decimal(hours),
                    note="实地走园，一起梳理家长志愿者排班。",
                    mentor_request=request,
                    recorded_by=mentor.person,
                )
    # One request still waiting for its mentor's answer.
    if len(people) > 5 and people[5].organisation_id != mentors[0].organisation_id:
        MentorRequest.objects.create(
            mentor=mentors[0],
            organisation_id=people[5].organisation_id,
            requested_by=people[5],
            message="想请教家长委员会怎么建。",
        )
    for i, (kind, title, capacity, conditions) in enumerate(ACTIVITIES):
        provider = people[(i + 2) % len(people)]
        activity = Activity.objects.create(
            organisation_id=provider.organisation_id,
            created_by=provider,
            kind=kind,
            title=title,
            description=title + "。已在本机构开展多次，流程和物料清单齐全。",
            capacity=capacity,
            conditions=conditions,
        )
        asker = people[(i + 6) % len(people)]
        if asker.organisation_id == provider.organisation_id or i == len(ACTIVITIES) - 1:
            continue
        request = ActivityRequest.objects.create(
            activity=activity,
            organisation_id=asker.organisation_id,
            requested_by=asker,
            message="希望为我们的家长和孩子开展一次。",
            wanted_on=day(30 + 7 * i),
            status=HelpRequestStatus.ACCEPTED,
            answered_by=provider,
            answered_at=timezone.now(),
        )
        HelpHours.objects.create(
            kind=HelpKind.ACTIVITY,
            giver_id=provider.organisation_id,
            giver_person=provider,
            receiver_id=asker.organisation_id,
            given_on=day(30 + 7 * i),
            hours=Decimal("3"),
            people_served=min(capacity, 20 + i),
            note="按教案完成，家长反馈好。",
            activity_request=request,
            recorded_by=provider,
        )


def _pioneer_pair(staff, members, today):
    """One pair (seed 000): a member accompanies a prospect or a partner without a centre yet."""
    if not members or PioneerPairing.objects.exists():
        return
    pioneer = members[0]
    newcomer = (
        Organisation.objects.partners()
        .exclude(pk__in=[m.pk for m in members])
        .filter(centres__isnull=True)
        .order_by("name")
        .first()
    ) or Organisation.objects.partners().exclude(pk__in=[m.pk for m in members]).order_by("name").first()
    visitor = _person_of(pioneer)
    if newcomer is None or visitor is None:
        return
    start = today.replace(month=1, day=1)
    pairing = PioneerPairing.objects.create(
        pioneer=pioneer,
        partner=newcomer,
        starts_on=start,
        ends_on=start.replace(month=12, day=31),
        goals="一年内开办第一个亲子园：选址、社区合作协议、招募并培训两位老师。",
        created_by=staff,
    )
    for days_ago, hours, note in [(50, "4", "一起看了两处社区场地。"), (20, "3", "带两位新老师跟班观摩。")]:
        HelpHours.objects.create(
            kind=HelpKind.PIONEER,
            giver=pioneer,
            giver_person=visitor,
            receiver=newcomer,
            given_on=max(today - datetime.timedelta(days=days_ago), start),
            hours=Decimal(hours),
            note=note,
            pairing=pairing,
            recorded_by=visitor,
        )


# --- The group's own work (seed 000: plan; seed 004: topics scored, a joint action) ---------------

PLAN_GOALS = [
    ("3 家先锋机构具备拓点能力", "每家至少完成一次拓点选址和社区合作洽谈。", 6),
    ("每家成员机构梳理一项可分享的经验", "形成图文经验稿，在半年全区会议上分享。", 9),
    ("开展一次跨机构联合行动", "至少 3 家机构参与，各自记录服务数据。", 12),
]
CORE_ROLES = ["召集人", "秘书（会议记录与沟通）", "筹款联络人", "经验梳理联络人"]
PLAN_ITEMS = [
    ("整理各成员机构的贡献与想法清单", 0, -20, True),
    ("拟定核心团队沟通机制（线上例会、微信群）", 1, 15, False),
    ("先锋机构各提交一份拓点计划书", 0, 45, False),
    ("收集成员机构可分享经验的初稿", 1, 75, False),
    ("确定联合行动主题与分工", 2, 30, False),
]
TOPICS = [
    (
        "家长参与度低，周末课来的人少",
        "新招募的家庭坚持不到一个月，怎么留住家长？",
        [(5, 3), (5, 2), (4, 3), (5, 3)],
    ),
    ("新老师流失快", "半年里走了两位老师，带教和排班怎么安排？", [(4, 4), (5, 4), (4, 5)]),
    ("绘本借阅丢书多", "借阅登记怎么做家长更愿意配合？", [(3, 1), (3, 2), (4, 1)]),
    ("社区场地合作到期怎么续", "和社区的合作协议快到期，续约要准备什么？", [(4, 3), (3, 4)]),
    ("0-3 岁亲子活动的安全检查", "每次活动前的安全检查表怎么设计？", [(4, 1), (5, 2), (4, 2), (4, 1)]),
]
JOINT_ACTIVITIES = ["启动仪式", "“安全小玩童”亲子工作坊", "居家安全知识问答", "社区商户安全倡导"]
# Per organisation: (sessions, people served, volunteers, materials) for each sub-activity it ran.
JOINT_PARTS = [
    [(1, 60, 6, 80), (2, 48, 4, 40), (1, 30, 2, 60)],
    [(2, 52, 5, 50), (1, 26, 2, 40)],
    [(2, 44, 3, 40), (1, 20, 3, 90)],
    [(1, 35, 4, 60), (1, 18, 2, 50)],
]


def _group_work(staff, members, today):
    """One plan with goals, a core team and action items; a few scored topics; one joint action of
    3-4 organisations with seed 004's proportions (about 3 sessions, 80 people, 8 volunteers and 100
    materials an organisation). Each part is skipped once it exists."""
    from meetings.choices import ActionStatus, MeetingKind
    from meetings.models import ActionItem, Meeting

    from .group_models import (
        CoreTeamMember,
        GroupPlan,
        GroupTopic,
        JointAction,
        JointActivity,
        JointPart,
        JointParticipant,
        PlanAction,
        StageGoal,
        TopicVote,
    )

    partners = [
        org
        for org in Organisation.objects.active().partners().order_by("name")
        if _person_of(org) is not None
    ]
    # The core team comes from the group's members (seed 000); items may be owned by any partner.
    group = [org for org in members if _person_of(org) is not None]
    owners = group or partners
    if len(partners) < 3:
        return
    start = today.replace(month=1, day=1)
    meeting = (
        Meeting.objects.filter(kind=MeetingKind.QUARTERLY_DIRECTORS, starts_at__date__lte=today)
        .order_by("-starts_at")
        .first()
        or Meeting.objects.exclude(kind=MeetingKind.SUPERVISION).order_by("starts_at").first()
    )
    if meeting is not None and not GroupPlan.objects.exists():
        plan = GroupPlan.objects.create(
            title=f"区域互助支持小组第一阶段行动计划（{today.year}）",
            starts_on=start,
            ends_on=start.replace(month=12, day=31),
            ways_of_working=(
                "核心团队每季度在机构负责人季度会议后碰头一次，平时在微信群沟通；"
                "每家成员机构梳理自己的贡献和想法；需要外部支持时由枢纽协助链接资源。"
            ),
            meeting=meeting,
            created_by=staff,
        )
        goals = [
            StageGoal.objects.create(
                plan=plan,
                title=title,
                description=description,
                due_on=start.replace(month=month, day=28),
            )
            for title, description, month in PLAN_GOALS
        ]
        for org, role in zip(group, CORE_ROLES, strict=False):
            CoreTeamMember.objects.create(plan=plan, person=_person_of(org), organisation=org, role=role)
        for i, (what, goal, due_in, done) in enumerate(PLAN_ITEMS):
            owner = owners[i % len(owners)]
            item = ActionItem.objects.create(
                meeting=meeting,
                what=what,
                owner_organisation=owner,
                owner_person=_person_of(owner),
                due_on=today + datetime.timedelta(days=due_in),
                status=ActionStatus.DONE if done else ActionStatus.OPEN,
                closed_at=timezone.now() if done else None,
            )
            PlanAction.objects.create(plan=plan, goal=goals[goal], action_item=item)

    if not GroupTopic.objects.exists():
        voters = [_person_of(org) for org in partners]
        for i, (title, description, scores) in enumerate(TOPICS):
            proposer = voters[(i * 3) % len(voters)]
            topic = GroupTopic.objects.create(
                title=title,
                description=description,
                organisation_id=proposer.organisation_id,
                proposed_by=proposer,
            )
            for voter, (recommendation, difficulty) in zip(
                voters[i + 1 :] + voters[: i + 1], scores, strict=False
            ):
                TopicVote.objects.create(
                    topic=topic, person=voter, recommendation=recommendation, difficulty=difficulty
                )

    if not JointAction.objects.exists():
        taking_part = partners[: len(JOINT_PARTS)]
        lead = taking_part[0]
        action = JointAction.objects.create(
            title="“安全小玩童”婴幼儿居家安全联合行动",
            description="几家伙伴机构在各自社区同步开展婴幼儿居家安全宣传：工作坊、知识问答和商户倡导，各自记录服务数据。",
            starts_on=max(start, today - datetime.timedelta(days=90)),
            ends_on=today + datetime.timedelta(days=60),
            lead=lead,
            created_by=_person_of(lead),
        )
        activities = [
            JointActivity.objects.create(action=action, title=title, order=i)
            for i, title in enumerate(JOINT_ACTIVITIES)
        ]
        for n, (org, parts) in enumerate(zip(taking_part, JOINT_PARTS, strict=False)):
            person = _person_of(org)
            JointParticipant.objects.create(action=action, organisation=org, invited_by=_person_of(lead))
            for k, (sessions, people, volunteers, materials) in enumerate(parts):
                JointPart.objects.create(
                    action=action,
                    activity=activities[(n + k) % len(activities)],
                    organisation=org,
                    held_on=max(action.starts_on, today - datetime.timedelta(days=70 - 15 * k - 3 * n)),
                    sessions=sessions,
                    people_served=people,
                    volunteers=volunteers,
                    materials=materials,
                    note="按统一教案开展，家长反馈好。",
                    recorded_by=person,
                )
