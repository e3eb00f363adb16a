"""Demo meetings: the cadence since 2022 (held, attended, minuted, followed up) and the planned
calendar of the current year (and of the next one in December). Built with the planner and ``actions`` so the demo exercises the real
code paths; idempotent (natural keys; minutes and follow-ups only where missing). Past years are planned
like any other: the planner reads each partner's status history (seeded by ``partners.demo`` first), so
a month's host is a partner on that day (宜州阳光 takes its first turn after joining in June 2024)."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from partners.models import Organisation

from . import actions
from .choices import ActionStatus, Attendance, MeetingKind, MeetingStatus, Rsvp
from .models import ActionItem, Invitation, Meeting, Minutes, PlanDraft, SupervisionDiagnosis, TopicProposal

FIRST_YEAR = 2022
TOPICS = [
    ("家长签到与回访怎么做得更轻", "签到表格繁琐，老师下班后还要补录", "回访率决定家庭能否持续来园"),
    ("雨季如何保持来园人数", "梅雨季来园人次下降三成", "稳定的来园是亲子园活下去的根本"),
    ("志愿者招募与留存", "志愿者来两次就不来了", "志愿者时数是年度指标之一"),
    ("早教课程的家长参与", "家长在课上玩手机", "家长是孩子的第一任老师"),
    ("绘本借阅的管理", "绘本丢失和损坏多", "借阅量反映家庭阅读习惯"),
    ("与社区居委会合作", "场地经常被临时占用", "社区支持决定场地是否长久"),
]
DIAGNOSIS = {
    "teaching": "课程按活力未来大纲开展，老师能带领亲子游戏；观察记录还不够具体。",
    "operations": "开放时间稳定，家庭登记完整；经费使用台账需按月整理。",
    "integration": "与机构的社区项目共用志愿者队伍，可进一步共享场地与宣传。",
    "needs": "希望得到观察记录写作培训，以及拓点选址的建议。",
}


def seed(ctx: dict) -> None:
    partners = Organisation.objects.partners().active()
    if not partners.exists():
        return
    staff = get_user_model().objects.filter(email="staff@example.org").first() or (
        get_user_model().objects.filter(role__in=["hub_staff", "hub_admin"]).first()
    )
    today = timezone.localdate()
    # In December this year's last meeting is (nearly) over: next year's plan keeps one ahead.
    last_year = today.year + 1 if today.month == 12 else today.year
    for year in range(FIRST_YEAR, last_year + 1):
        if not PlanDraft.objects.filter(year=year, confirmed_at__isnull=False).exists():
            draft = actions.do_create_plan(year=year, weekday=2, week_of_month=2, by=staff)
            actions.do_confirm_plan(draft, by=staff, expected_version=draft.version)
    now = timezone.now()
    past = list(
        Meeting.objects.filter(year__gte=FIRST_YEAR, ends_at__lt=now, minutes__isnull=True)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("host", "organisation")
        .order_by("starts_at")
    )
    latest_held = max((m.starts_at for m in past), default=None)
    for meeting in past:
        _hold(meeting, staff, skip_minutes=meeting.starts_at == latest_held)
    _latest_supervision_items_open()
    ctx["meetings"] = Meeting.objects.count()


def _hold(meeting: Meeting, staff, *, skip_minutes: bool) -> None:
    # One generator per meeting, drawn in the same order each time, so the demo is the same on every seed.
    rng = random.Random(meeting.pk)  # noqa: S311 - demo data only
    _answer_and_attend(meeting, rng)
    meeting.status = MeetingStatus.HELD
    if meeting.is_monthly_topic and meeting.host_id:
        _host_proposes_topic(meeting, rng)
    meeting.save(update_fields=["status", "topic", "updated_at"])
    if skip_minutes:
        return  # one recent meeting without minutes, so the minutes check has something to show
    _record_outcome(meeting, staff)


def _answer_and_attend(meeting: Meeting, rng: random.Random) -> None:
    """Most invitees accept and most of those come; the others are excused or absent."""
    invitations = list(meeting.invitations.all())
    for invitation in invitations:
        invitation.rsvp = rng.choice([Rsvp.ACCEPTED, Rsvp.ACCEPTED, Rsvp.ACCEPTED, Rsvp.DECLINED])
        invitation.attendance = (
            Attendance.PRESENT
            if invitation.rsvp == Rsvp.ACCEPTED and rng.random() < 0.9
            else rng.choice([Attendance.EXCUSED, Attendance.ABSENT])
        )
    Invitation.objects.bulk_update(invitations, ["rsvp", "attendance"])


def _host_proposes_topic(meeting: Meeting, rng: random.Random) -> None:
    """The host's first person proposed the meeting's topic two weeks before it (the caller saves)."""
    title, problem, why = rng.choice(TOPICS)
    meeting.topic = title
    host_person = meeting.host.people.order_by("pk").first()
    TopicProposal.objects.get_or_create(
        meeting=meeting,
        defaults={
            "title": title,
            "problem": problem,
            "why_it_matters": why,
            "deadline": meeting.topic_deadline,
            "proposed_by": host_person,
            "proposed_at": meeting.starts_at - datetime.timedelta(days=14),
        },
    )


def _record_outcome(meeting: Meeting, staff) -> None:
    """Minutes; a supervision also gets its diagnosis and two action items, both done."""
    Minutes.objects.create(
        meeting=meeting,
        text=f"**{meeting.topic or meeting.title}**\n\n- 各机构分享了本月情况\n- 讨论了遇到的困难和做法\n\n下次会议前各自试行。",
        decisions="- 会后一周内分享做法清单\n- 下次会议回顾试行情况",
        recorded_by=staff,
    )
    if meeting.is_supervision:
        SupervisionDiagnosis.objects.get_or_create(
            meeting=meeting, defaults={**DIAGNOSIS, "recorded_by": staff}
        )
        director = meeting.organisation.people.filter(role="director").first()
        for what in ("整理本季度观察记录", "按月整理经费台账"):
            ActionItem.objects.create(
                meeting=meeting,
                what=what,
                owner_organisation=meeting.organisation,
                owner_person=director,
                due_on=timezone.localtime(meeting.starts_at).date() + datetime.timedelta(days=30),
                status=ActionStatus.DONE,
                note="已完成",
                closed_at=meeting.starts_at + datetime.timedelta(days=20),
            )


def _latest_supervision_items_open() -> None:
    """Items of each organisation's latest held supervision are still open; older ones are done."""
    latest = {}
    for meeting in Meeting.objects.filter(kind=MeetingKind.SUPERVISION, status=MeetingStatus.HELD).order_by(
        "starts_at"
    ):
        latest[meeting.organisation_id] = meeting.pk
    ActionItem.objects.filter(meeting__in=latest.values()).update(
        status=ActionStatus.OPEN, note="", closed_at=None
    )
