"""The group's own work: its plan (with the meetings' action items), topic voting and joint actions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hubsite.core.models import Notification
from meetings.models import ActionItem, Meeting, TopicProposal
from mutualaid import actions
from mutualaid.group_models import GroupPlan, GroupTopic, JointAction, JointPart, TopicVote
from mutualaid.models import Membership

TODAY = datetime.date(2025, 6, 16)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(datetime.datetime(2025, 6, 16, 10, 0, tzinfo=datetime.UTC))


def at(day: datetime.date, hour: int = 14) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def quarterly(hub_staff):
    day = TODAY - datetime.timedelta(days=10)
    return Meeting.objects.create(
        kind="quarterly_directors", title="第二季度机构负责人会议", starts_at=at(day), ends_at=at(day, 17)
    )


@pytest.fixture
def topic_meeting(org_a):
    day = TODAY + datetime.timedelta(days=20)
    return Meeting.objects.create(
        kind="monthly_topic", title="7月小议题会议", host=org_a, starts_at=at(day), ends_at=at(day, 16)
    )


@pytest.fixture
def plan(quarterly, hub_staff):
    return actions.do_save_plan(
        by=hub_staff,
        title="互助小组第一阶段计划",
        starts_on=TODAY,
        ends_on=datetime.date(2026, 6, 30),
        meeting=quarterly,
        ways_of_working="核心团队每季度线上碰头一次；微信群日常沟通。",
    )


def notices(kind):
    return list(Notification.objects.filter(kind=kind).order_by("recipient__email"))


# --- The plan ---------------------------------------------------------------------------------


def test_the_plan_lists_goals_team_and_items_that_are_the_meetings_action_items(
    plan, hub_staff, director, partner, other, org_a, client_for, django_assert_num_queries
):
    Membership.objects.create(organisation=org_a, cohort="2024", joined_on=TODAY)
    hub = client_for(hub_staff)
    response = hub.post(
        reverse("mutualaid:plan_goal"),
        {"title": "3家成员机构开设第二个服务点", "description": "", "due_on": "2026-03-31"},
    )
    assert response.status_code == 302
    goal = plan.goals.get()
    hub.post(reverse("mutualaid:plan_team"), {"person": director.pk, "role": "召集人"})
    hub.post(
        reverse("mutualaid:plan_item"),
        {
            "what": "整理拓点经验手册初稿",
            "owner_organisation": org_a.pk,
            "owner_person": partner.pk,
            "due_on": "2025-09-30",
            "goal": goal.pk,
        },
    )

    # The item is the meetings' own follow-up of the meeting that agreed the plan.
    item = ActionItem.objects.get()
    assert (item.meeting_id, item.owner_person, item.due_on) == (
        plan.meeting_id,
        partner,
        datetime.date(2025, 9, 30),
    )
    assert item.group_plan_link.goal == goal
    # Its owner is told by the meetings' own notice (and reminded by the meetings' digest).
    (assigned,) = notices("meetings.action_item_assigned")
    assert assigned.recipient == partner and "整理拓点经验手册初稿" in assigned.subject
    # The core-team member is told, with the role.
    (notice,) = notices("mutualaid.core_team")
    assert notice.recipient == director and "召集人" in notice.body

    # Another organisation's teacher reads the whole plan (the plan is the group's), in fixed queries.
    reader = client_for(other)
    reader.get(reverse("mutualaid:plan"))
    with django_assert_num_queries(6):
        html = reader.get(reverse("mutualaid:plan")).content.decode()
    for text in (
        "3家成员机构开设第二个服务点",
        "韦主任",
        "召集人",
        "微信群日常沟通",
        "整理拓点经验手册初稿",
        "蓝老师",
    ):
        assert text in html
    # Only the owner's people get the link to update the item on the action-item list.
    update = f'id="update-{item.pk}"'
    assert update not in html
    assert update in client_for(partner).get(reverse("mutualaid:plan")).content.decode()


def test_the_core_team_takes_people_of_member_organisations_only(plan, hub_staff, other, client_for):
    response = client_for(hub_staff).post(
        reverse("mutualaid:plan_team"), {"person": other.pk, "role": "秘书"}
    )
    assert response.status_code == 200 and "person" in response.context["form"].errors
    assert not plan.core_team.exists()
    with pytest.raises(ValidationError):
        actions.do_add_core_member(by=hub_staff, plan_id=plan.pk, person=other, role="秘书")


def test_an_item_owner_must_belong_to_the_owner_organisation(plan, hub_staff, other, org_a, client_for):
    response = client_for(hub_staff).post(
        reverse("mutualaid:plan_item"),
        {"what": "写总结", "owner_organisation": org_a.pk, "owner_person": other.pk, "due_on": "2025-07-01"},
    )
    assert response.status_code == 200
    assert "负责人" in str(response.context["form"].errors["owner_person"])
    assert not ActionItem.objects.exists()


def test_the_hub_marks_a_goal_reached_once_and_not_in_the_future(plan, hub_staff, client_for):
    goal = actions.do_add_goal(by=hub_staff, plan_id=plan.pk, title="开展一次联合行动", due_on=TODAY)
    url = reverse("mutualaid:plan_goal_reached", args=[goal.pk])
    client = client_for(hub_staff)
    response = client.post(url, {"reached_on": "2025-06-17"})
    assert response.status_code == 200 and "reached_on" in response.context["form"].errors
    assert client.post(url, {"reached_on": "2025-06-10"}).status_code == 302
    goal.refresh_from_db()
    assert goal.reached_on == datetime.date(2025, 6, 10)
    assert "已达成 2025-06-10" in client.get(reverse("mutualaid:plan")).content.decode()
    response = client.post(url, {"reached_on": "2025-06-11"})
    assert response.status_code == 200 and "reached_on" in response.context["form"].errors


def test_an_edit_of_the_plan_over_someone_elses_is_refused(plan, quarterly, hub_staff, client_for):
    data = {
        "title": "改过的计划",
        "starts_on": "2025-06-16",
        "ends_on": "2026-06-30",
        "meeting": quarterly.pk,
        "ways_of_working": "每月一次",
        "version": plan.version,
    }
    client = client_for(hub_staff)
    assert client.post(reverse("mutualaid:plan_edit"), data).status_code == 302
    assert client.post(reverse("mutualaid:plan_edit"), data).status_code == 409
    assert GroupPlan.objects.get().title == "改过的计划"


# --- Topic voting -----------------------------------------------------------------------------


def _topics(director, partner, other):
    a = actions.do_propose_group_topic(by=director, title="家长参与度低", description="周末课家长来得少")
    b = actions.do_propose_group_topic(by=other, title="新老师流失", description="半年走了两位")
    c = actions.do_propose_group_topic(by=partner, title="绘本借阅怎么管", description="丢书多")
    return a, b, c


def test_topics_are_ranked_by_recommendation_then_difficulty(director, partner, other, client_for):
    a, b, c = _topics(director, partner, other)
    for person, scores in ((director, (5, 4)), (other, (5, 2)), (partner, (4, 1))):
        for topic in (a, b):
            actions.do_vote_topic(
                by=person, topic_id=topic.pk, recommendation=scores[0], difficulty=scores[1]
            )
    actions.do_vote_topic(by=director, topic_id=b.pk, recommendation=5, difficulty=1)  # replaces 5/4
    actions.do_vote_topic(by=other, topic_id=c.pk, recommendation=3, difficulty=1)
    assert TopicVote.objects.filter(topic=b).count() == 3

    ranked = list(GroupTopic.objects.ranked())
    # b: 4.67 / 1.33; a: 4.67 / 2.33 (as recommended, less difficult first); c: 3 / 1.
    assert [t.title for t in ranked] == ["新老师流失", "家长参与度低", "绘本借阅怎么管"]
    page = client_for(other).get(reverse("mutualaid:topic_list")).content.decode()
    assert page.index("新老师流失") < page.index("家长参与度低") < page.index("绘本借阅怎么管")


def test_a_score_outside_1_to_5_is_refused_next_to_the_field(director, other, client_for):
    topic = actions.do_propose_group_topic(by=director, title="家长参与度低", description="周末课家长来得少")
    response = client_for(other).post(
        reverse("mutualaid:topic_vote", args=[topic.pk]), {"recommendation": "9", "difficulty": "0"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"recommendation", "difficulty"}
    assert not TopicVote.objects.exists()


def test_a_vote_saved_without_choosing_scores_is_refused_rather_than_counted_as_one(
    director, other, client_for
):
    topic = actions.do_propose_group_topic(by=director, title="家长参与度低", description="周末课家长来得少")
    client = client_for(other)
    form = client.get(reverse("mutualaid:topic_vote", args=[topic.pk])).context["form"]
    assert form["recommendation"].value() in (None, "") and form["difficulty"].value() in (None, "")
    response = client.post(
        reverse("mutualaid:topic_vote", args=[topic.pk]), {"recommendation": "", "difficulty": ""}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"recommendation", "difficulty"}
    assert "请选择分数" in response.content.decode()
    assert not TopicVote.objects.exists()


def test_the_host_sees_the_ranking_on_the_meeting_and_chooses_a_topic(
    topic_meeting, director, partner, other, client_for, django_assert_num_queries
):
    a, b, _c = _topics(director, partner, other)
    actions.do_vote_topic(by=other, topic_id=b.pk, recommendation=5, difficulty=2)
    meeting_url = reverse("meetings:meeting_detail", args=[topic_meeting.pk])

    host = client_for(partner)
    html = host.get(meeting_url).content.decode()
    assert 'id="topic-ranking"' in html and "新老师流失" in html
    # Another organisation's teacher does not host: no ranking, and choosing is refused.
    assert 'id="topic-ranking"' not in client_for(other).get(meeting_url).content.decode()
    choose = reverse("mutualaid:topic_choose", args=[b.pk, topic_meeting.pk])
    assert client_for(other).post(choose).status_code == 403

    topics_url = reverse("mutualaid:topic_list")
    host = client_for(partner)  # one test client: logging in as someone else switched it
    host.get(topics_url)
    with django_assert_num_queries(6):
        assert choose in host.get(topics_url).content.decode()

    assert host.post(choose).status_code == 302
    topic_meeting.refresh_from_db()
    assert topic_meeting.topic == "新老师流失"
    proposal = TopicProposal.objects.get(meeting=topic_meeting)
    assert proposal.problem == "半年走了两位" and "5.0" in proposal.why_it_matters
    (notice,) = notices("mutualaid.topic_chosen")
    assert notice.recipient == other and "新老师流失" in notice.subject
    # Chosen: out of the ranking, voting closed.
    assert [t.pk for t in GroupTopic.objects.open().ranked()] == [a.pk, _c.pk]
    assert (
        client_for(director)
        .post(reverse("mutualaid:topic_vote", args=[b.pk]), {"recommendation": "5", "difficulty": "1"})
        .status_code
        == 200
    )


# --- Joint actions ----------------------------------------------------------------------------


def test_a_joint_action_invites_organisations_and_adds_up_their_parts(
    director, partner, other, org_b, make_user, client_for, django_assert_num_queries
):
    director_b = make_user("director-b@example.org", "director", org_b, full_name="黄主任")
    lead = client_for(director)
    response = lead.post(
        reverse("mutualaid:joint_create"),
        {
            "title": "为食小玩童儿童食品安全联合行动",
            "description": "各机构在自己的社区开展",
            "starts_on": "2025-05-01",
            "ends_on": "2025-08-31",
            "activities": "启动仪式\n趣玩零食工作坊\n\n食品安全知识问答",
        },
    )
    assert response.status_code == 302
    action = JointAction.objects.get()
    assert action.lead_id == director.organisation_id
    assert [a.title for a in action.activities.all()] == ["启动仪式", "趣玩零食工作坊", "食品安全知识问答"]

    # Org B cannot log before it is invited; once invited its director is told.
    log_url = reverse("mutualaid:joint_log", args=[action.pk])
    assert client_for(other).get(log_url).status_code == 403
    assert (
        client_for(director)
        .post(reverse("mutualaid:joint_invite", args=[action.pk]), {"organisation": org_b.pk})
        .status_code
        == 302
    )
    (notice,) = notices("mutualaid.joint_invited")
    assert notice.recipient == director_b and "为食小玩童" in notice.subject

    workshop = action.activities.get(title="趣玩零食工作坊")
    quiz = action.activities.get(title="食品安全知识问答")
    part = {"held_on": "2025-06-10", "note": "", "version": ""}
    assert (
        client_for(partner)
        .post(
            log_url,
            {
                **part,
                "activity": workshop.pk,
                "sessions": 3,
                "people_served": 60,
                "volunteers": 5,
                "materials": 100,
            },
        )
        .status_code
        == 302
    )
    assert (
        client_for(other)
        .post(
            log_url,
            {
                **part,
                "activity": quiz.pk,
                "sessions": 2,
                "people_served": 45,
                "volunteers": 4,
                "materials": 80,
            },
        )
        .status_code
        == 302
    )
    # A day outside the action's period is refused next to the date.
    response = client_for(other).post(
        log_url,
        {
            **part,
            "held_on": "2025-04-01",
            "activity": quiz.pk,
            "sessions": 1,
            "people_served": 1,
            "volunteers": 0,
            "materials": 0,
        },
    )
    assert response.status_code == 200 and "held_on" in response.context["form"].errors

    url = reverse("mutualaid:joint_detail", args=[action.pk])
    reader = client_for(other)
    reader.get(url)
    with django_assert_num_queries(8):
        response = reader.get(url)
    figures = response.context["figures"]
    assert (
        figures.organisations,
        figures.sessions,
        figures.people_served,
        figures.volunteers,
        figures.materials,
    ) == (
        2,
        5,
        105,
        9,
        180,
    )
    assert 'id="figure-people">105<' in response.content.decode()

    # Org B corrects only its own part: org A's answers 404.
    part_a = JointPart.objects.get(organisation_id=director.organisation_id)
    assert client_for(other).get(reverse("mutualaid:joint_part_edit", args=[part_a.pk])).status_code == 404


def test_an_edit_of_a_part_over_someone_elses_is_refused(director, partner, client_for):
    action = actions.do_create_joint_action(
        by=director,
        title="绘本漂流",
        description="",
        starts_on=TODAY - datetime.timedelta(days=5),
        ends_on=TODAY,
        activities=["漂流站"],
    )
    part = actions.do_log_joint_part(
        by=director,
        action_id=action.pk,
        activity=action.activities.get(),
        held_on=TODAY,
        sessions=1,
        people_served=10,
        volunteers=1,
        materials=20,
        note="",
    )
    data = {
        "activity": part.activity_id,
        "held_on": TODAY.isoformat(),
        "sessions": 2,
        "people_served": 12,
        "volunteers": 1,
        "materials": 20,
        "note": "补一场",
        "version": part.version,
    }
    url = reverse("mutualaid:joint_part_edit", args=[part.pk])
    assert client_for(partner).post(url, data).status_code == 302
    assert client_for(director).post(url, data).status_code == 409
    assert JointAction.objects.get().figures().sessions == 2


@pytest.mark.parametrize("size", [1, 6])
def test_list_pages_of_the_group_work_run_a_fixed_number_of_queries(
    size, director, other, hub_staff, client_for, django_assert_num_queries
):
    for i in range(size):
        topic = actions.do_propose_group_topic(by=director, title=f"议题{i}", description="说明")
        actions.do_vote_topic(by=other, topic_id=topic.pk, recommendation=3, difficulty=2)
        action = actions.do_create_joint_action(
            by=director,
            title=f"联合行动{i}",
            description="",
            starts_on=TODAY - datetime.timedelta(days=5),
            ends_on=TODAY,
            activities=["工作坊"],
        )
        actions.do_log_joint_part(
            by=director,
            action_id=action.pk,
            activity=action.activities.get(),
            held_on=TODAY,
            sessions=1,
            people_served=10,
            volunteers=1,
            materials=20,
            note="",
        )
    client = client_for(other)
    for name, queries in (("mutualaid:topic_list", 6), ("mutualaid:joint_list", 3)):
        client.get(reverse(name))
        with django_assert_num_queries(queries):
            html = client.get(reverse(name)).content.decode()
        assert f"{'议题' if 'topic' in name else '联合行动'}{size - 1}" in html


# --- Demo ---------------------------------------------------------------------------------------


def test_the_demo_holds_one_plan_scored_topics_and_a_joint_action_of_four_and_is_idempotent(
    make_partner, make_user, hub_staff, director, org_a, centre_a, org_b, centre_b, other, quarterly
):
    from mutualaid import demo

    for i in range(6):
        make_user(f"p{i}@example.org", "director", make_partner(f"伙伴{i}"))
    demo.seed({})
    counts = [model.objects.count() for model in (GroupPlan, GroupTopic, TopicVote, JointAction, JointPart)]
    demo.seed({})
    assert [
        model.objects.count() for model in (GroupPlan, GroupTopic, TopicVote, JointAction, JointPart)
    ] == counts

    plan = GroupPlan.objects.get()
    assert plan.meeting == quarterly
    assert (plan.goals.count(), plan.core_team.count(), plan.actions.count()) == (3, 4, 5)
    # The plan's items are the meetings' action items of the meeting that agreed it.
    assert ActionItem.objects.filter(meeting=quarterly, group_plan_link__plan=plan).count() == 5
    assert GroupTopic.objects.ranked().first().title == "家长参与度低，周末课来的人少"
    figures = JointAction.objects.get().figures()
    assert (figures.organisations, figures.sessions, figures.people_served) == (4, 12, 333)
    assert (figures.volunteers, figures.materials) == (31, 510)
