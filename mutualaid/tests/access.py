"""Every mutual-aid URL for every role. Org A's objects: `other` (org B) must get 404 for them.

Viewers (funders, government) see the group's page only: checklists, applications, claims and
coaching are internal to one organisation and the hub, so they get 403 there.
"""

import datetime
from decimal import Decimal

from tests.matrix import Case, everyone, expect, hub_admin_only, hub_only, own_org

PARTNERS_AND_HUB = expect(hub_admin=200, director=200, other=200, viewer=403)
PARTNERS_ONLY = expect(hub_admin=403, director=200, other=200, viewer=403)
OWN_ORG_PARTNERS = expect(hub_admin=403, director=200, other=404, viewer=403)
# A request between org A (asked) and org B (``other``, who asked): both sides and the hub see it.
BOTH_SIDES = expect(hub_admin=200, director=200, other=200, viewer=403)
# Only the side asked acts on it: org A's director (the mentor / a person of the provider).
ASKED_SIDE = expect(hub_admin=403, director=200, partner=403, other=403, viewer=403)


def setup(world):
    from django.utils import timezone

    from mutualaid.actions import do_run_review
    from mutualaid.choices import ClaimStatus, VisitStatus
    from mutualaid.models import (
        CoachingRequest,
        CoachingSession,
        ExpansionFundingApplication,
        Membership,
        StudyVisit,
        StudyVisitBudget,
    )

    today = timezone.localdate()
    world.round = do_run_review(by=world.hub_staff, as_of=today, name="2024", cohort="2024")
    world.result_a = world.round.results.get(organisation=world.org_a)
    world.membership_a = Membership.objects.create(organisation=world.org_a, cohort="2024", joined_on=today)
    world.application_a = ExpansionFundingApplication.objects.create(
        organisation=world.org_a,
        applicant=world.director,
        site_name="都安第二亲子园",
        prefecture=world.org_a.prefecture,
        site_type="community",
        budget=Decimal("30000"),
        justification="社区需求大",
    )
    visit_day = today - datetime.timedelta(days=1)
    StudyVisitBudget.objects.create(year=visit_day.year, amount_per_member=Decimal("5000"))
    world.visit_a = StudyVisit.objects.create(
        organisation=world.org_a,
        requested_by=world.director,
        visitors="韦主任、蓝老师",
        host_centre=world.centre_b,
        visit_on=visit_day,
        estimated_cost=Decimal("800"),
        status=VisitStatus.APPROVED,
    )
    world.session_a = CoachingSession.objects.create(
        organisation=world.org_a,
        director=world.director,
        held_on=today,
        coach="张教练",
        topic="筹款",
        notes="内部记录",
    )
    CoachingRequest.objects.create(organisation=world.org_a, director=world.director, topic="团队管理")
    world.claim_a = StudyVisit.objects.create(
        organisation=world.org_a,
        requested_by=world.director,
        visitors="韦主任",
        host_centre=world.centre_b,
        visit_on=visit_day,
        estimated_cost=Decimal("600"),
        status=VisitStatus.CLAIMED,
        claim_status=ClaimStatus.SUBMITTED,
        actual_cost=Decimal("550"),
        learning_note="学到了",
    )
    _help_between_partners(world)
    _group_work(world)


def _group_work(world):
    """The group's plan (agreed in a quarterly meeting), a topic voted for org A's coming monthly
    topic meeting, and a joint action led by org A with one part of org A; org B is not invited."""
    from django.utils import timezone

    from meetings.models import ActionItem, Meeting
    from mutualaid.group_models import (
        CoreTeamMember,
        GroupPlan,
        GroupTopic,
        JointAction,
        JointActivity,
        JointPart,
        JointParticipant,
        PlanAction,
        StageGoal,
    )

    now = timezone.now()
    today = timezone.localdate()
    quarterly = Meeting.objects.create(
        kind="quarterly_directors",
        title="机构负责人季度会议",
        starts_at=now - datetime.timedelta(days=20),
        ends_at=now - datetime.timedelta(days=20) + datetime.timedelta(hours=2),
    )
    world.topic_meeting = Meeting.objects.create(
        kind="monthly_topic",
        title="月度小议题会议",
        host=world.org_a,
        starts_at=now + datetime.timedelta(days=12),
        ends_at=now + datetime.timedelta(days=12, hours=2),
    )
    world.plan = GroupPlan.objects.create(
        title="互助小组 2025 行动计划",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=365),
        ways_of_working="每季度核心团队会议",
        meeting=quarterly,
        created_by=world.hub_staff,
    )
    item = ActionItem.objects.create(
        meeting=quarterly, what="整理拓点经验", owner_organisation=world.org_a, due_on=today
    )
    PlanAction.objects.create(plan=world.plan, action_item=item)
    world.goal = StageGoal.objects.create(plan=world.plan, title="3家机构拓点", due_on=today)
    world.core_member = CoreTeamMember.objects.create(
        plan=world.plan, person=world.director, organisation=world.org_a, role="召集人"
    )
    world.topic = GroupTopic.objects.create(
        title="家长参与度低怎么办",
        description="周末课家长来得少",
        organisation=world.org_a,
        proposed_by=world.director,
    )
    world.joint = JointAction.objects.create(
        title="儿童食品安全联合行动",
        description="多家机构共同开展",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
        lead=world.org_a,
        created_by=world.director,
    )
    activity = JointActivity.objects.create(action=world.joint, title="趣玩零食工作坊")
    # No part logged against this one, so its lead may still rename or delete it.
    world.free_activity = JointActivity.objects.create(action=world.joint, title="零食知识问答", order=1)
    JointParticipant.objects.create(action=world.joint, organisation=world.org_a, invited_by=world.director)
    world.part_a = JointPart.objects.create(
        action=world.joint,
        activity=activity,
        organisation=world.org_a,
        held_on=today,
        sessions=2,
        people_served=40,
        recorded_by=world.director,
    )


def _help_between_partners(world):
    """Org A's director mentors; org A lists an activity; org B (``other``) asks for both, accepted, with
    hours. A second mentor of org A waits for the hub. Org B's requests are visible to both sides."""
    from django.utils import timezone

    from mutualaid.choices import HelpKind, HelpRequestStatus, OfferStatus
    from mutualaid.models import Activity, ActivityRequest, HelpHours, Mentor, MentorRequest, PioneerPairing

    today = timezone.localdate()
    world.mentor_a = Mentor.objects.create(
        person=world.director,
        organisation=world.org_a,
        areas=["operations"],
        availability="每月两次",
        introduction="办园经验",
        status=OfferStatus.APPROVED,
    )
    world.pending_mentor = Mentor.objects.create(
        person=world.partner,
        organisation=world.org_a,
        areas=["teaching"],
        availability="周末",
        introduction="绘本",
    )
    world.activity_a = Activity.objects.create(
        organisation=world.org_a,
        created_by=world.director,
        kind="parent_workshop",
        title="家长沙龙",
        description="两小时",
        capacity=20,
    )
    world.mentor_request = MentorRequest.objects.create(
        mentor=world.mentor_a,
        organisation=world.org_b,
        requested_by=world.other,
        message="请教排班",
        status=HelpRequestStatus.ACCEPTED,
    )
    world.activity_request = ActivityRequest.objects.create(
        activity=world.activity_a,
        organisation=world.org_b,
        requested_by=world.other,
        message="中秋活动",
        wanted_on=today,
        status=HelpRequestStatus.ACCEPTED,
    )
    world.pairing = PioneerPairing.objects.create(
        pioneer=world.org_a,
        partner=world.org_b,
        starts_on=today,
        ends_on=today,
        goals="开办第一个亲子园",
        created_by=world.hub_staff,
    )
    HelpHours.objects.create(
        kind=HelpKind.MENTORING,
        giver=world.org_a,
        giver_person=world.director,
        receiver=world.org_b,
        given_on=today,
        hours=2,
        mentor_request=world.mentor_request,
        recorded_by=world.director,
    )


CASES = [
    Case("mutualaid:group", everyone()),
    Case("mutualaid:overview", hub_only()),
    Case("mutualaid:overview", hub_only(), query="missing=1"),
    Case("mutualaid:my_checklist", expect(hub_admin=302, director=302, other=302, viewer=403)),
    Case("mutualaid:checklist", own_org(viewer=403), kwargs=lambda w: {"pk": w.org_a.pk}),
    Case("mutualaid:policy", hub_only()),
    Case("mutualaid:policy_edit", hub_admin_only()),
    Case("mutualaid:round_list", hub_only()),
    Case("mutualaid:round_run", hub_only()),
    Case("mutualaid:round_detail", hub_only(), kwargs=lambda w: {"pk": w.round.pk}),
    Case("mutualaid:decide", hub_only(), kwargs=lambda w: {"pk": w.result_a.pk}),
    Case(
        "mutualaid:decide",
        expect(hub_admin=302, director=403, other=403, viewer=403),
        kwargs=lambda w: {"pk": w.result_a.pk},
        method="post",
        data={"decision": "declined", "note": "还需一年"},
    ),
    Case("mutualaid:membership_end", hub_only(), kwargs=lambda w: {"pk": w.membership_a.pk}),
    Case("mutualaid:application_list", PARTNERS_AND_HUB),
    Case("mutualaid:application_create", PARTNERS_ONLY),
    Case("mutualaid:application_detail", own_org(viewer=403), kwargs=lambda w: {"pk": w.application_a.pk}),
    Case("mutualaid:application_review", hub_only(), kwargs=lambda w: {"pk": w.application_a.pk}),
    Case("mutualaid:application_withdraw", OWN_ORG_PARTNERS, kwargs=lambda w: {"pk": w.application_a.pk}),
    Case(
        "mutualaid:application_withdraw",
        expect(hub_admin=403, director=302, other=404, viewer=403),
        kwargs=lambda w: {"pk": w.application_a.pk},
        method="post",
    ),
    Case("mutualaid:visit_list", PARTNERS_AND_HUB),
    Case("mutualaid:visit_create", PARTNERS_ONLY),
    Case("mutualaid:visit_detail", own_org(viewer=403), kwargs=lambda w: {"pk": w.visit_a.pk}),
    Case("mutualaid:visit_decide", hub_only(), kwargs=lambda w: {"pk": w.visit_a.pk}),
    Case("mutualaid:visit_claim", OWN_ORG_PARTNERS, kwargs=lambda w: {"pk": w.visit_a.pk}),
    Case(
        "mutualaid:visit_claim",
        expect(hub_admin=403, director=302, other=404, viewer=403),
        kwargs=lambda w: {"pk": w.visit_a.pk},
        method="post",
        data={"actual_cost": "700", "learning_note": "学到了家长志愿者的排班办法"},
    ),
    Case("mutualaid:session_list", PARTNERS_AND_HUB),
    Case("mutualaid:session_create", hub_only()),
    Case("mutualaid:session_detail", own_org(viewer=403), kwargs=lambda w: {"pk": w.session_a.pk}),
    Case(
        "mutualaid:waiting_list_join",
        expect(hub_admin=403, director=200, partner=403, other=403, viewer=403),
    ),
    Case("mutualaid:visit_check", hub_only(), kwargs=lambda w: {"pk": w.claim_a.pk}),
    Case(
        "mutualaid:visit_check",
        expect(hub_admin=302, director=403, other=403, viewer=403),
        kwargs=lambda w: {"pk": w.claim_a.pk},
        method="post",
        data={"decision": "verified", "amount": "550"},
    ),
    Case("mutualaid:mentor_list", PARTNERS_AND_HUB),
    Case("mutualaid:mentor_list", PARTNERS_AND_HUB, query="q=办园&area=operations&format=online"),
    Case("mutualaid:mentor_offer", PARTNERS_ONLY),
    Case("mutualaid:mentor_detail", PARTNERS_AND_HUB, kwargs=lambda w: {"pk": w.mentor_a.pk}),
    # An offer waiting for the hub is its organisation's and the hub's.
    Case("mutualaid:mentor_detail", own_org(viewer=403), kwargs=lambda w: {"pk": w.pending_mentor.pk}),
    Case("mutualaid:mentor_review", hub_only(), kwargs=lambda w: {"pk": w.pending_mentor.pk}),
    Case("mutualaid:mentor_request", PARTNERS_ONLY, kwargs=lambda w: {"pk": w.mentor_a.pk}),
    Case(
        "mutualaid:mentor_request",
        expect(hub_admin=403, director=200, other=302, viewer=403),
        kwargs=lambda w: {"pk": w.mentor_a.pk},
        method="post",
        data={"message": "请教家长工作", "format": "online"},
    ),
    Case("mutualaid:activity_list", PARTNERS_AND_HUB),
    Case("mutualaid:activity_list", PARTNERS_AND_HUB, query="q=沙龙&kind=parent_workshop"),
    Case("mutualaid:activity_create", PARTNERS_ONLY),
    Case("mutualaid:activity_detail", PARTNERS_AND_HUB, kwargs=lambda w: {"pk": w.activity_a.pk}),
    Case("mutualaid:activity_request", PARTNERS_ONLY, kwargs=lambda w: {"pk": w.activity_a.pk}),
    Case("mutualaid:help_requests", PARTNERS_AND_HUB),
    Case("mutualaid:hours", PARTNERS_AND_HUB),
    Case("mutualaid:hours", PARTNERS_AND_HUB, query="year=2024&q=a&kind=mentoring"),
    Case("mutualaid:mentor_request_detail", BOTH_SIDES, kwargs=lambda w: {"pk": w.mentor_request.pk}),
    Case("mutualaid:mentor_request_answer", ASKED_SIDE, kwargs=lambda w: {"pk": w.mentor_request.pk}),
    Case("mutualaid:mentor_request_log", ASKED_SIDE, kwargs=lambda w: {"pk": w.mentor_request.pk}),
    Case(
        "mutualaid:mentor_request_log",
        expect(hub_admin=403, director=302, partner=403, other=403, viewer=403),
        kwargs=lambda w: {"pk": w.mentor_request.pk},
        method="post",
        data={"given_on": "2024-01-05", "hours": "1.5", "note": "电话辅导"},
    ),
    Case("mutualaid:activity_request_detail", BOTH_SIDES, kwargs=lambda w: {"pk": w.activity_request.pk}),
    Case(
        "mutualaid:activity_request_answer",
        expect(hub_admin=403, director=200, partner=200, other=403, viewer=403),
        kwargs=lambda w: {"pk": w.activity_request.pk},
    ),
    Case(
        "mutualaid:activity_request_deliver",
        expect(hub_admin=403, director=200, partner=200, other=403, viewer=403),
        kwargs=lambda w: {"pk": w.activity_request.pk},
    ),
    Case("mutualaid:pairing_list", PARTNERS_AND_HUB),
    Case("mutualaid:pairing_create", hub_only()),
    Case("mutualaid:pairing_detail", BOTH_SIDES, kwargs=lambda w: {"pk": w.pairing.pk}),
    # The pioneer's people log visits; the organisation accompanied may not.
    Case(
        "mutualaid:pairing_visit",
        expect(hub_admin=403, director=200, other=403, viewer=403),
        kwargs=lambda w: {"pk": w.pairing.pk},
    ),
    Case("mutualaid:pairing_outcome", hub_only(), kwargs=lambda w: {"pk": w.pairing.pk}),
    # The group's own work: shared with partners and the hub; viewers see none of it.
    Case("mutualaid:plan", PARTNERS_AND_HUB),
    Case("mutualaid:plan_edit", hub_only()),
    Case("mutualaid:plan_goal", hub_only()),
    Case("mutualaid:plan_goal_reached", hub_only(), kwargs=lambda w: {"pk": w.goal.pk}),
    Case("mutualaid:plan_goal_edit", hub_only(), kwargs=lambda w: {"pk": w.goal.pk}),
    Case("mutualaid:plan_goal_delete", hub_only(), kwargs=lambda w: {"pk": w.goal.pk}),
    Case("mutualaid:plan_team", hub_only()),
    Case("mutualaid:plan_team_role", hub_only(), kwargs=lambda w: {"pk": w.core_member.pk}),
    Case("mutualaid:plan_team_remove", hub_only(), kwargs=lambda w: {"pk": w.core_member.pk}),
    Case("mutualaid:plan_item", hub_only()),
    Case("mutualaid:topic_list", PARTNERS_AND_HUB),
    Case("mutualaid:topic_create", PARTNERS_ONLY),
    Case("mutualaid:topic_vote", PARTNERS_ONLY, kwargs=lambda w: {"pk": w.topic.pk}),
    Case(
        "mutualaid:topic_vote",
        expect(hub_admin=403, director=302, other=302, viewer=403),
        kwargs=lambda w: {"pk": w.topic.pk},
        method="post",
        data={"recommendation": "5", "difficulty": "2"},
    ),
    # Only the host of the monthly topic meeting (org A) and the hub choose its topic.
    Case(
        "mutualaid:topic_choose",
        expect(hub_admin=200, director=200, other=403, viewer=403),
        kwargs=lambda w: {"pk": w.topic.pk, "meeting": w.topic_meeting.pk},
    ),
    Case("mutualaid:joint_list", PARTNERS_AND_HUB),
    Case("mutualaid:joint_create", PARTNERS_AND_HUB),
    Case("mutualaid:joint_detail", PARTNERS_AND_HUB, kwargs=lambda w: {"pk": w.joint.pk}),
    # Org A leads: it (and the hub) invites; org B, not invited, cannot log a part.
    Case(
        "mutualaid:joint_invite",
        expect(hub_admin=200, director=200, other=403, viewer=403),
        kwargs=lambda w: {"pk": w.joint.pk},
    ),
    Case(
        "mutualaid:joint_log",
        expect(hub_admin=403, director=200, other=403, viewer=403),
        kwargs=lambda w: {"pk": w.joint.pk},
    ),
    Case("mutualaid:joint_part_edit", OWN_ORG_PARTNERS, kwargs=lambda w: {"pk": w.part_a.pk}),
    # Org A leads: it (and the hub) renames or deletes a sub-activity; org B, not leading, may not.
    Case(
        "mutualaid:joint_activity_edit",
        expect(hub_admin=200, director=200, other=403, viewer=403),
        kwargs=lambda w: {"pk": w.free_activity.pk},
    ),
    Case(
        "mutualaid:joint_activity_delete",
        expect(hub_admin=200, director=200, other=403, viewer=403),
        kwargs=lambda w: {"pk": w.free_activity.pk},
    ),
]
