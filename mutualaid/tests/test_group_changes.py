"""Changing the group's plan and a joint action after the fact: the hub edits or deletes a stage goal,
changes a core-team role or takes someone off (the person is told), and the lead organisation (or the
hub) renames or deletes a sub-activity until parts are logged against it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hubsite.core.models import Notification
from meetings.models import ActionItem, Meeting
from mutualaid import actions
from mutualaid.group_models import CoreTeamMember, JointActivity, StageGoal
from mutualaid.models import Membership

TODAY = datetime.date(2025, 6, 16)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(datetime.datetime(2025, 6, 16, 10, 0, tzinfo=datetime.UTC))


@pytest.fixture
def plan(hub_staff):
    day = timezone.make_aware(datetime.datetime(2025, 6, 6, 14))
    quarterly = Meeting.objects.create(
        kind="quarterly_directors",
        title="第二季度机构负责人会议",
        starts_at=day,
        ends_at=day + datetime.timedelta(hours=3),
    )
    return actions.do_save_plan(
        by=hub_staff,
        title="互助小组第一阶段计划",
        starts_on=TODAY,
        ends_on=datetime.date(2026, 6, 30),
        meeting=quarterly,
        ways_of_working="核心团队每季度线上碰头一次。",
    )


@pytest.fixture
def member(plan, hub_staff, director, org_a):
    Membership.objects.create(organisation=org_a, cohort="2024", joined_on=TODAY)
    return actions.do_add_core_member(by=hub_staff, plan_id=plan.pk, person=director, role="召集人")


def core_notices():
    return list(Notification.objects.filter(kind="mutualaid.core_team").order_by("pk"))


# --- Stage goals ----------------------------------------------------------------------------------


def test_the_hub_corrects_a_goal_and_an_edit_over_someone_elses_is_refused(
    plan, hub_staff, director, client_for, django_assert_num_queries
):
    goal = actions.do_add_goal(by=hub_staff, plan_id=plan.pk, title="3家机构拓点", due_on=TODAY)
    url = reverse("mutualaid:plan_goal_edit", args=[goal.pk])
    client = client_for(hub_staff)
    client.get(url)
    with django_assert_num_queries(4):
        page = client.get(url).content.decode()
    assert 'value="3家机构拓点"' in page
    data = {
        "title": "5家机构拓点",
        "description": "含两个新县",
        "due_on": "2026-03-31",
        "version": goal.version,
    }
    assert client.post(url, data).status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.description, goal.due_on) == (
        "5家机构拓点",
        "含两个新县",
        datetime.date(2026, 3, 31),
    )
    # The same form sent again carries the old version: refused, not merged.
    response = client.post(url, {**data, "title": "覆盖"})
    assert response.status_code == 409
    assert StageGoal.objects.get().title == "5家机构拓点"
    # The plan offers the hub the links, and a partner none of them.
    assert url in client.get(reverse("mutualaid:plan")).content.decode()
    assert url not in client_for(director).get(reverse("mutualaid:plan")).content.decode()


def test_deleting_a_goal_keeps_its_action_items_on_the_plan_without_a_goal(
    plan, hub_staff, org_a, client_for, django_assert_num_queries
):
    goal = actions.do_add_goal(by=hub_staff, plan_id=plan.pk, title="开展一次联合行动", due_on=TODAY)
    actions.do_add_plan_item(
        by=hub_staff,
        plan_id=plan.pk,
        what="写联合行动方案",
        owner_organisation=org_a,
        due_on=TODAY,
        goal=goal,
    )
    url = reverse("mutualaid:plan_goal_delete", args=[goal.pk])
    client = client_for(hub_staff)
    client.get(url)
    with django_assert_num_queries(4):
        page = client.get(url).content.decode()
    assert "开展一次联合行动" in page and "仍保留在计划中" in page
    stale = client.post(url, {"version": goal.version + 1})
    assert stale.status_code == 409 and StageGoal.objects.exists()
    assert client.post(url, {"version": goal.version}).status_code == 302
    assert not StageGoal.objects.exists()
    item = ActionItem.objects.get()
    assert item.group_plan_link.goal is None
    assert "写联合行动方案" in client.get(reverse("mutualaid:plan")).content.decode()


# --- The core team --------------------------------------------------------------------------------


def test_a_role_change_is_told_to_the_person_with_the_new_role(
    member, hub_staff, director, client_for, django_assert_num_queries
):
    url = reverse("mutualaid:plan_team_role", args=[member.pk])
    client = client_for(hub_staff)
    client.get(url)
    with django_assert_num_queries(4):
        page = client.get(url).content.decode()
    assert "韦主任" in page and 'value="召集人"' in page
    assert client.post(url, {"role": "秘书", "version": member.version}).status_code == 302
    member.refresh_from_db()
    assert member.role == "秘书"
    named, changed = core_notices()
    assert changed.recipient == director
    assert "秘书" in changed.subject and "召集人" in changed.body and "秘书" in changed.body
    # A second change is a second notice (the step is the row's version); a stale form is refused.
    assert client.post(url, {"role": "副召集人", "version": member.version}).status_code == 302
    assert client.post(url, {"role": "过期", "version": member.version}).status_code == 409
    assert [n.step for n in core_notices()] == ["named", "role-2", "role-3"]
    assert CoreTeamMember.objects.get().role == "副召集人"


def test_taking_someone_off_the_core_team_tells_them_and_the_plan_no_longer_lists_them(
    member, hub_staff, director, other, client_for
):
    url = reverse("mutualaid:plan_team_remove", args=[member.pk])
    client = client_for(hub_staff)
    assert "韦主任" in client.get(url).content.decode()
    assert client.post(url, {"version": member.version}).status_code == 302
    assert not CoreTeamMember.objects.exists()
    removed = core_notices()[-1]
    assert (removed.recipient, removed.step) == (director, "removed")
    assert "不再" in removed.subject and "召集人" in removed.body
    assert f'id="member-{member.pk}"' not in client_for(other).get(reverse("mutualaid:plan")).content.decode()
    # Partners cannot reach these pages at all.
    assert client_for(director).get(reverse("mutualaid:plan_team_role", args=[member.pk])).status_code == 403


# --- Sub-activities of a joint action -------------------------------------------------------------


@pytest.fixture
def joint(director):
    return actions.do_create_joint_action(
        by=director,
        title="儿童食品安全联合行动",
        description="各机构在自己的社区开展",
        starts_on=TODAY - datetime.timedelta(days=20),
        ends_on=TODAY + datetime.timedelta(days=40),
        activities=["启动仪式", "趣玩零食工作坊"],
    )


def test_the_lead_renames_and_the_hub_deletes_a_sub_activity_but_another_partner_may_not(
    joint, director, hub_staff, other, client_for, django_assert_num_queries
):
    opening, workshop = joint.activities.all()
    edit = reverse("mutualaid:joint_activity_edit", args=[opening.pk])
    lead = client_for(director)
    lead.get(edit)
    with django_assert_num_queries(3):
        page = lead.get(edit).content.decode()
    assert 'value="启动仪式"' in page
    assert client_for(other).get(edit).status_code == 403
    lead = client_for(director)  # one test client: log the lead in again
    # Two sub-activities of one action cannot share a name.
    response = lead.post(edit, {"title": "趣玩零食工作坊", "version": opening.version})
    assert response.status_code == 200 and "title" in response.context["form"].errors
    assert lead.post(edit, {"title": "社区启动仪式", "version": opening.version}).status_code == 302
    assert lead.post(edit, {"title": "过期", "version": opening.version}).status_code == 409
    detail = lead.get(joint.get_absolute_url()).content.decode()
    assert "社区启动仪式" in detail and edit in detail

    delete = reverse("mutualaid:joint_activity_delete", args=[workshop.pk])
    assert client_for(other).post(delete, {"version": workshop.version}).status_code == 403
    assert client_for(hub_staff).post(delete, {"version": workshop.version}).status_code == 302
    assert [a.title for a in JointActivity.objects.all()] == ["社区启动仪式"]
    # The last sub-activity stays: a joint action without one could log nothing.
    last = JointActivity.objects.get()
    lead = client_for(director)
    response = lead.post(
        reverse("mutualaid:joint_activity_delete", args=[last.pk]), {"version": last.version}
    )
    assert response.status_code == 200 and JointActivity.objects.exists()


def test_a_sub_activity_with_parts_logged_is_fixed_and_the_page_says_why(
    joint, director, client_for, django_assert_num_queries
):
    workshop = joint.activities.get(title="趣玩零食工作坊")
    actions.do_log_joint_part(
        by=director,
        action_id=joint.pk,
        activity=workshop,
        held_on=TODAY,
        sessions=2,
        people_served=40,
        volunteers=3,
        materials=50,
        note="",
    )
    lead = client_for(director)
    edit = reverse("mutualaid:joint_activity_edit", args=[workshop.pk])
    delete = reverse("mutualaid:joint_activity_delete", args=[workshop.pk])
    page = lead.get(edit).content.decode()
    assert "已有机构记录" in page and "<form" not in page.split('id="notice"')[1]
    response = lead.post(delete, {"version": workshop.version})
    assert response.status_code == 200 and "已有机构记录" in response.content.decode()
    response = lead.post(edit, {"title": "改名", "version": workshop.version})
    assert response.status_code == 200
    assert JointActivity.objects.get(pk=workshop.pk).title == "趣玩零食工作坊"
    # The action's page offers no link for it, only the reason.
    detail = lead.get(joint.get_absolute_url()).content.decode()
    assert edit not in detail and delete not in detail and "已记录" in detail
