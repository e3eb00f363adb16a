"""The growth file: stage history, support cycles with goals, reviews and the graduation decision."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from hubsite.core.models import Notification
from partners.choices import DevelopmentStage, GraduationDecision
from partners.models import CycleGoal, Organisation, OrganisationStageChange, SupportCycle
from partners.tests.test_organisation_forms import hub_data

NOW = datetime.datetime.fromisoformat("2026-06-15T10:00:00+08:00")
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def cycle(org_a):
    return SupportCycle.objects.create(
        organisation=org_a,
        starts_on=TODAY - datetime.timedelta(days=160),
        ends_on=TODAY + datetime.timedelta(days=200),
        planned_support="每月督导一次，财务培训两次",
    )


# --- Stage history


def test_hub_staff_change_the_stage_and_the_history_says_who_when_and_why(
    client_for, hub_staff, org_a, director
):
    org_a.stage = DevelopmentStage.STARTUP
    org_a.save()
    response = client_for(hub_staff).post(
        reverse("partners:organisation_stage", args=[org_a.pk]),
        {"stage": DevelopmentStage.GROWING, "effective_on": "2026-06-01", "reason": "两个亲子园稳定运营一年"},
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.stage == DevelopmentStage.GROWING
    change = OrganisationStageChange.objects.get(organisation=org_a)
    assert (change.from_stage, change.to_stage, change.effective_on, change.decided_by) == (
        DevelopmentStage.STARTUP,
        DevelopmentStage.GROWING,
        datetime.date(2026, 6, 1),
        hub_staff,
    )
    notice = Notification.objects.get(recipient=director, kind="partners.stage")
    assert "两个亲子园稳定运营一年" in notice.body
    page = (
        client_for(director).get(reverse("partners:organisation_timeline", args=[org_a.pk])).content.decode()
    )
    assert "两个亲子园稳定运营一年" in page and "枢纽同工" in page


def test_a_backdated_stage_decision_joins_the_history_without_replacing_the_latest(org_a, hub_staff):
    org_a.change_stage(DevelopmentStage.GROWING, by=hub_staff, reason="新", on=datetime.date(2026, 5, 1))
    org_a.change_stage(DevelopmentStage.STARTUP, by=hub_staff, reason="补录", on=datetime.date(2025, 3, 1))
    org_a.refresh_from_db()
    assert org_a.stage == DevelopmentStage.GROWING
    assert org_a.stage_changes.count() == 2


def test_a_stage_decision_needs_a_reason_and_no_future_date(client_for, hub_staff, org_a):
    response = client_for(hub_staff).post(
        reverse("partners:organisation_stage", args=[org_a.pk]),
        {"stage": DevelopmentStage.GROWING, "effective_on": "2026-07-01", "reason": ""},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"effective_on", "reason"}
    assert not OrganisationStageChange.objects.exists()


def test_a_stage_set_on_the_profile_joins_the_history(client_for, hub_staff, org_a):
    before = org_a.stage
    response = client_for(hub_staff).post(
        reverse("partners:organisation_edit", args=[org_a.pk]),
        hub_data(org_a, stage=DevelopmentStage.GROWING),
    )
    assert response.status_code == 302
    change = OrganisationStageChange.objects.get(organisation=org_a)
    assert (change.from_stage, change.to_stage, change.decided_by) == (
        before,
        DevelopmentStage.GROWING,
        hub_staff,
    )


def test_the_hub_may_rename_the_stages(settings, org_a):
    settings.PARTNERS_STAGE_LABELS = {"sprouting": "种子期"}
    org_a.stage = DevelopmentStage.SPROUTING
    assert org_a.get_stage_display() == "种子期"


def test_the_migration_gives_every_organisation_with_a_stage_one_history_entry(org_a, org_b, hub_org):
    migration = importlib.import_module("partners.migrations.0005_stage_history")
    migration.record_current_stages(django_apps, None)
    entries = {entry.organisation_id: entry.to_stage for entry in OrganisationStageChange.objects.all()}
    expected = {org.pk: org.stage for org in Organisation.objects.exclude(stage="")}
    assert entries == expected and len(entries) >= 2


# --- Support cycles


def test_hub_staff_open_a_cycle_set_goals_and_review_it(client_for, hub_staff, org_a):
    client = client_for(hub_staff)
    response = client.post(
        reverse("partners:cycle_create", args=[org_a.pk]),
        {"starts_on": "2026-01-01", "ends_on": "2026-12-31", "planned_support": "季度督导"},
    )
    cycle = SupportCycle.objects.get(organisation=org_a)
    assert response["Location"] == cycle.get_absolute_url()
    client.post(
        reverse("partners:goal_create", args=[cycle.pk]),
        {"area": "finance", "goal": "建立独立财务账目", "progress": "open", "note": ""},
    )
    response = client.post(
        reverse("partners:cycle_edit", args=[cycle.pk]),
        {
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "planned_support": "季度督导",
            "mid_reviewed_on": "2026-06-10",
            "mid_review": "财务账目已建立一半",
            "end_reviewed_on": "",
            "end_review": "",
            "version": cycle.version,
        },
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.mid_review == "财务账目已建立一半"
    assert cycle.goals.get().goal == "建立独立财务账目"


def test_a_review_needs_its_date_and_a_cycle_ends_after_it_starts(client_for, hub_staff, cycle):
    response = client_for(hub_staff).post(
        reverse("partners:cycle_edit", args=[cycle.pk]),
        {
            "starts_on": "2026-01-01",
            "ends_on": "2025-12-31",
            "planned_support": "",
            "mid_reviewed_on": "",
            "mid_review": "写了评估却没有日期",
            "end_reviewed_on": "",
            "end_review": "",
            "version": cycle.version,
        },
    )
    assert response.status_code == 200
    assert {"ends_on", "mid_reviewed_on"} <= set(response.context["form"].errors)
    cycle.refresh_from_db()
    assert cycle.mid_review == ""


def test_the_graduation_decision_tells_the_directors_and_shows_its_evidence(
    client_for, hub_staff, director, cycle
):
    response = client_for(hub_staff).post(
        reverse("partners:cycle_graduation", args=[cycle.pk]),
        {
            "decision": GraduationDecision.GRADUATED,
            "decided_on": "2026-06-12",
            "evidence": "三个亲子园评估均为良好",
        },
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.graduation, cycle.graduation_decided_by) == (GraduationDecision.GRADUATED, hub_staff)
    notice = Notification.objects.get(recipient=director, kind="partners.graduation")
    assert "三个亲子园评估均为良好" in notice.body and notice.url == cycle.get_absolute_url()
    page = client_for(director).get(cycle.get_absolute_url()).content.decode()
    assert "三个亲子园评估均为良好" in page


def test_a_graduation_decision_without_evidence_is_refused(client_for, hub_staff, cycle):
    response = client_for(hub_staff).post(
        reverse("partners:cycle_graduation", args=[cycle.pk]),
        {"decision": GraduationDecision.GRADUATED, "decided_on": "2026-06-12", "evidence": ""},
    )
    assert response.status_code == 200 and "evidence" in response.context["form"].errors
    cycle.refresh_from_db()
    assert cycle.graduation == ""
    assert not Notification.objects.filter(kind="partners.graduation").exists()


@pytest.mark.parametrize("goals", [1, 5])
def test_the_cycle_page_costs_the_same_whatever_the_goals(
    goals, client_for, partner, cycle, django_assert_num_queries
):
    for number in range(goals):
        CycleGoal.objects.create(cycle=cycle, area="governance", goal=f"理事会制度 {number}")
    client = client_for(partner)
    # session, user, the cycle (with its organisation and decider), the goals
    with django_assert_num_queries(4):
        response = client.get(cycle.get_absolute_url())
    assert response.content.decode().count('class="goal"') == goals


def test_a_new_cycle_proposes_a_year_even_from_29_february(client_for, hub_staff, org_a, time_machine):
    time_machine.move_to(datetime.datetime.fromisoformat("2028-02-29T10:00:00+08:00"), tick=False)
    form = client_for(hub_staff).get(reverse("partners:cycle_create", args=[org_a.pk])).context["form"]
    assert (form.initial["starts_on"], form.initial["ends_on"]) == (
        datetime.date(2028, 2, 29),
        datetime.date(2029, 2, 27),
    )
