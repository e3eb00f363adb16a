"""The growth file of the demo network (seed 001's incubation, adapted): every partner's stage
history, one support cycle per partner in 2026 with goals in the five areas and a mid-cycle
review, one graduation (出壳), and the 2026 needs questionnaire answered by most partners.

Called by ``partners.demo.seed``; idempotent like it (natural keys), dates fixed.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from .choices import DevelopmentStage, GoalProgress, GraduationDecision, GrowthArea
from .models import (
    CycleGoal,
    NeedsAnswer,
    NeedsAssessment,
    NeedsQuestion,
    Organisation,
    OrganisationStageChange,
    SupportCycle,
)

D = datetime.date
STAGES = [DevelopmentStage.SPROUTING, DevelopmentStage.STARTUP, DevelopmentStage.GROWING]
STAGE_REASONS = {
    DevelopmentStage.SPROUTING: "加入网络，开始筹备第一个亲子园。",
    DevelopmentStage.STARTUP: "第一个亲子园开园满半年，运营基本稳定。",
    DevelopmentStage.GROWING: "亲子园运营评估良好，开始独立开展家长课堂并筹划拓点。",
}
CYCLE_YEAR = 2026
NEEDS_YEAR = 2026

# (area, question, training topic)
QUESTIONS = [
    (GrowthArea.GOVERNANCE, "理事会与机构制度建设", "机构治理与理事会运作"),
    (GrowthArea.GOVERNANCE, "项目团队分工与人员留任", "团队建设与人才留任"),
    (GrowthArea.FINANCE, "项目财务管理与报销规范", "公益项目财务管理"),
    (GrowthArea.TEACHING_QUALITY, "早教课程设计与活动组织", "亲子早教课程设计"),
    (GrowthArea.TEACHING_QUALITY, "家长引导与家庭养育指导", "家长引导技巧"),
    (GrowthArea.TEACHING_QUALITY, "儿童发展观察与评估", "儿童发展观察与评估"),
    (GrowthArea.FUNDRAISING, "本地筹款与资源链接", "社区筹款与本地资源动员"),
    (GrowthArea.FUNDRAISING, "项目书撰写与基金会申请", "项目书撰写"),
    (GrowthArea.CENTRE_OPERATIONS, "家庭招募与会员管理", "亲子园家庭招募与会员管理"),
    (GrowthArea.CENTRE_OPERATIONS, "与社区、幼儿园的合作关系", "社区与幼儿园合作"),
]

# Scores per stage (1 = no need, 5 = urgent), one per question above: newer partners need the basics,
# grown ones fundraising and expansion.
NEEDS_BY_STAGE = {
    DevelopmentStage.SPROUTING: [3, 4, 5, 5, 4, 3, 3, 3, 5, 4],
    DevelopmentStage.STARTUP: [3, 4, 4, 4, 5, 4, 4, 3, 4, 3],
    DevelopmentStage.GROWING: [2, 3, 3, 2, 3, 4, 5, 4, 2, 3],
}

# (area, goal) per stage of the partner at the start of the cycle
GOALS = {
    DevelopmentStage.SPROUTING: [
        (GrowthArea.GOVERNANCE, "明确亲子园项目负责人和两名专职老师的分工。"),
        (GrowthArea.FINANCE, "建立项目专账，按月报销。"),
        (GrowthArea.TEACHING_QUALITY, "老师完成活力亲子园基础课程培训，每周开课不少于两次。"),
        (GrowthArea.CENTRE_OPERATIONS, "登记会员家庭不少于40户。"),
    ],
    DevelopmentStage.STARTUP: [
        (GrowthArea.GOVERNANCE, "理事会每半年听取一次亲子园项目汇报。"),
        (GrowthArea.FINANCE, "项目预算执行率达到90%，票据齐全。"),
        (GrowthArea.TEACHING_QUALITY, "运营评估达到“良好”。"),
        (GrowthArea.FUNDRAISING, "获得一笔本地资助或社区捐赠。"),
        (GrowthArea.CENTRE_OPERATIONS, "会员家庭稳定在60户以上，月均服务人次增长10%。"),
    ],
    DevelopmentStage.GROWING: [
        (GrowthArea.GOVERNANCE, "形成机构三年发展规划，包含0-3岁服务。"),
        (GrowthArea.FINANCE, "非活力未来资金占项目支出的30%以上。"),
        (GrowthArea.TEACHING_QUALITY, "培养一名可带教新机构老师的骨干教师。"),
        (GrowthArea.FUNDRAISING, "完成一次公开筹款活动。"),
        (GrowthArea.CENTRE_OPERATIONS, "第二个项目点开园或落实场地。"),
    ],
}
SUPPORT = {
    DevelopmentStage.SPROUTING: "每月一次个别督导；开园前实地陪伴两次；老师参加区域基础培训。",
    DevelopmentStage.STARTUP: "每两个月一次个别督导；运营评估后一对一反馈；推荐参加筹款培训。",
    DevelopmentStage.GROWING: "每季度一次个别督导；支持拓点选址与申请拓点资金；邀请分享经验、带教新伙伴。",
}
# Partners whose directors have not answered the 2026 questionnaire yet (the hub page lists them).
NOT_ANSWERED = {"宜州阳光", "来宾益家"}
# The partner that graduates (出壳) at the end of its 2026 cycle.
GRADUATING = "桂林现代"


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed(orgs: dict[str, Organisation], users: dict, demo_date: datetime.date) -> None:
    staff = users.get("staff@example.org")
    partners = [org for org in orgs.values() if not org.is_hub and org.stage and org.joined_on]
    for org in partners:
        _stage_history(org, staff, demo_date)
        _cycle(org, staff)
    questions = _questions()
    directors = {user.organisation_id: user for user in users.values() if user.role == "director"}
    for org in partners:
        if org.short_name not in NOT_ANSWERED:
            _needs(org, questions, directors.get(org.pk))


def _stage_history(org, staff, demo_date) -> None:
    """Sprouting when it joined, start-up a year later, growing a year after that, up to its stage."""
    path = STAGES[: STAGES.index(org.stage) + 1]
    previous = ""
    for step, stage in enumerate(path):
        on = min(org.joined_on + datetime.timedelta(days=365 * step), demo_date)
        OrganisationStageChange.objects.update_or_create(
            organisation=org,
            to_stage=stage,
            defaults={
                "from_stage": previous,
                "effective_on": on,
                "reason": STAGE_REASONS[stage],
                "decided_by": staff,
                "decided_at": _at(on),
            },
        )
        previous = stage


def _cycle(org, staff) -> None:
    stage = org.stage
    cycle, created = SupportCycle.objects.update_or_create(
        organisation=org,
        starts_on=D(CYCLE_YEAR, 1, 1),
        defaults={
            "ends_on": D(CYCLE_YEAR, 12, 31),
            "planned_support": SUPPORT[stage],
            "mid_reviewed_on": D(CYCLE_YEAR, 7, 15),
            "mid_review": "半年督导回顾：大部分目标按计划推进，财务与家庭招募仍需跟进。",
        },
    )
    for number, (area, goal) in enumerate(GOALS[stage]):
        progress = GoalProgress.ACHIEVED if number % 2 == 0 else GoalProgress.OPEN
        CycleGoal.objects.update_or_create(
            cycle=cycle, area=area, defaults={"goal": goal, "progress": progress}
        )
    if org.short_name == GRADUATING:
        SupportCycle.objects.filter(pk=cycle.pk).update(
            end_reviewed_on=D(CYCLE_YEAR, 11, 18),
            end_review="两个亲子园运营评估均为良好，非活力未来资金占比超过三成，骨干教师已带教新伙伴。",
            graduation=GraduationDecision.GRADUATED,
            graduation_evidence="2026年运营评估报告、年度财务报表、带教记录；理事会通过三年发展规划。",
            graduation_decided_on=D(CYCLE_YEAR, 11, 20),
            graduation_decided_by=staff,
        )
        cycle.goals.update(progress=GoalProgress.ACHIEVED)


def _questions() -> list[NeedsQuestion]:
    questions = []
    for order, (area, text, topic) in enumerate(QUESTIONS, start=1):
        question, _ = NeedsQuestion.objects.update_or_create(
            text=text, first_year=NEEDS_YEAR, defaults={"area": area, "topic": topic, "order": order * 10}
        )
        questions.append(question)
    return questions


def _needs(org, questions, director) -> None:
    assessment, _ = NeedsAssessment.objects.update_or_create(
        organisation=org,
        year=NEEDS_YEAR,
        defaults={"filled_by": director, "submitted_at": _at(D(NEEDS_YEAR, 3, 10 + org.pk % 10))},
    )
    for question, score in zip(questions, NEEDS_BY_STAGE[org.stage], strict=True):
        NeedsAnswer.objects.update_or_create(
            assessment=assessment, question=question, defaults={"score": score}
        )
