"""The host rotation follows membership dates: nobody hosts before joining or while paused or exited,
judged for the meeting's month by the status history, not by today's status."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import actions, planner
from meetings.choices import MeetingKind
from meetings.models import Meeting, RotationSkip
from partners.choices import OrganisationStatus
from partners.models import Organisation

pytestmark = pytest.mark.django_db

WED = 2
YEAR = 2027


@pytest.fixture
def mid_year(make_partner_org, hub_org, hub_staff):
    """Two steady partners, one that pauses on 1 May and one that joins on 1 June of the year."""
    steady_a = make_partner_org("稳定甲", joined=datetime.date(2023, 1, 1))
    steady_b = make_partner_org("稳定乙", joined=datetime.date(2023, 2, 1))
    pauser = make_partner_org("暂停丙", joined=datetime.date(2023, 3, 1))
    pauser.change_status(OrganisationStatus.PAUSED, by=hub_staff, on=datetime.date(YEAR, 5, 1))
    joiner = make_partner_org("新加入丁", joined=None, status=OrganisationStatus.PROSPECT)
    joiner.change_status(OrganisationStatus.ACTIVE, by=hub_staff, on=datetime.date(YEAR, 6, 1))
    return steady_a, steady_b, pauser, joiner


def monthly(items) -> list[dict]:
    return sorted((i for i in items if i["kind"] == MeetingKind.MONTHLY_TOPIC), key=lambda i: i["sequence"])


def test_a_year_with_a_mid_year_joiner_and_a_pause_rotates_only_among_partners_of_each_month(mid_year):
    a, b, pauser, joiner = mid_year
    items = monthly(planner.build_proposal(YEAR, WED, 2).items)
    # The pauser still takes its turn in March (paused today, a partner then); the joiner is first
    # in the queue (never hosted) but waits for June.
    assert [i["host"] for i in items] == [
        a.pk, b.pk, pauser.pk, a.pk, b.pk, joiner.pk, a.pk, b.pk, joiner.pk, a.pk, b.pk, joiner.pk,
    ]  # fmt: skip
    for item in items:
        day = datetime.date.fromisoformat(item["date"])
        assert item["host"] != joiner.pk or day >= datetime.date(YEAR, 6, 1)
        assert item["host"] != pauser.pk or day < datetime.date(YEAR, 5, 1)


def test_supervision_is_planned_only_in_months_of_membership(mid_year):
    _a, _b, pauser, joiner = mid_year
    sup = [i for i in planner.build_proposal(YEAR, WED, 2).items if i["kind"] == MeetingKind.SUPERVISION]
    assert {i["month"] for i in sup if i["organisation"] == joiner.pk} == set(range(6, 13))  # first year
    pauser_months = {i["month"] for i in sup if i["organisation"] == pauser.pk}
    assert pauser_months and max(pauser_months) < 5


def test_membership_reads_joining_pauses_and_resumption_from_the_history(make_partner_org, hub_staff):
    org = make_partner_org(joined=datetime.date(2023, 3, 1))
    org.change_status(OrganisationStatus.PAUSED, by=hub_staff, on=datetime.date(2024, 1, 15))
    org.change_status(OrganisationStatus.ACTIVE, by=hub_staff, on=datetime.date(2024, 5, 6))
    member = planner.membership(org)
    assert [member.on(datetime.date(*d)) for d in ((2023, 2, 28), (2023, 3, 1), (2024, 1, 14))] == [
        False,
        True,
        True,
    ]
    assert not member.on(datetime.date(2024, 1, 15)) and not member.on(datetime.date(2024, 5, 5))
    assert member.on(datetime.date(2024, 5, 6)) and member.on(datetime.date(2030, 1, 1))
    # The planner reads the same history from its one query.
    (annotated,) = [o for o in planner.rotation_pool(2024) if o.pk == org.pk]
    assert annotated.membership == member


def test_an_organisation_paused_without_a_recorded_change_stops_on_its_status_date(make_partner_org):
    org = make_partner_org(joined=datetime.date(2023, 1, 1), status=OrganisationStatus.EXITED)
    org.status_changed_on = datetime.date(2025, 7, 1)
    org.save()
    member = planner.membership(org)
    assert member.on(datetime.date(2025, 6, 30)) and not member.on(datetime.date(2025, 7, 1))
    assert org.pk not in {o.pk for o in planner.rotation_pool(2026)}


def test_a_swap_that_puts_a_host_before_it_joined_is_refused_on_that_month(mid_year, hub_staff):
    _a, _b, _pauser, joiner = mid_year
    draft = actions.do_create_plan(year=YEAR, weekday=WED, week_of_month=2, by=hub_staff)
    before = [i["host"] for i in monthly(draft.items)]
    with pytest.raises(ValidationError) as error:
        actions.do_swap_hosts(draft, first="monthly_topic-1", second="monthly_topic-6", expected_version=1)
    assert set(error.value.message_dict) == {"first"}
    assert error.value.message_dict["first"] == ["新加入丁在2027-01不是合作中的伙伴机构（见其状态历史）。"]
    draft.refresh_from_db()
    assert [i["host"] for i in monthly(draft.items)] == before and draft.version == 1


def test_a_swap_that_puts_a_paused_host_after_its_pause_is_refused_on_that_month(mid_year, hub_staff):
    _a, _b, pauser, _joiner = mid_year
    draft = actions.do_create_plan(year=YEAR, weekday=WED, week_of_month=2, by=hub_staff)
    with pytest.raises(ValidationError) as error:
        actions.do_swap_hosts(draft, first="monthly_topic-3", second="monthly_topic-7", expected_version=1)
    assert error.value.message_dict == {"second": ["暂停丙在2027-07不是合作中的伙伴机构（见其状态历史）。"]}
    # Swapping within the months both were partners in still works.
    actions.do_swap_hosts(draft, first="monthly_topic-3", second="monthly_topic-4", expected_version=1)
    assert monthly(draft.items)[3]["host"] == pauser.pk


def test_the_planner_page_shows_the_refused_swap(mid_year, hub_staff, client_for):
    draft = actions.do_create_plan(year=YEAR, weekday=WED, week_of_month=2, by=hub_staff)
    response = client_for(hub_staff).post(
        reverse("meetings:plan_adjust", args=[draft.pk]),
        {"op": "swap", "first": "monthly_topic-1", "second": "monthly_topic-6", "version": 1},
        follow=True,
    )
    assert "新加入丁在2027-01不是合作中的伙伴机构" in response.content.decode()


def test_skipping_an_organisation_in_a_month_before_it_joined_is_refused(mid_year, hub_staff):
    _a, _b, _pauser, joiner = mid_year
    draft = actions.do_create_plan(year=YEAR, weekday=WED, week_of_month=2, by=hub_staff)
    with pytest.raises(ValidationError) as error:
        actions.do_skip_in_plan(
            draft, organisation=joiner, month=3, reason="尚未加入", by=hub_staff, expected_version=1
        )
    assert error.value.message_dict == {"month": ["新加入丁在2027-03不是合作中的伙伴机构（见其状态历史）。"]}
    assert not RotationSkip.objects.exists()
    # A skip in a month of membership re-rotates among that month's partners only.
    actions.do_skip_in_plan(
        draft, organisation=joiner, month=6, reason="换届", by=hub_staff, expected_version=1
    )
    hosts = [i["host"] for i in monthly(draft.items)]
    assert hosts[5] != joiner.pk and joiner.pk not in hosts[:6] and hosts[6] == joiner.pk


def test_the_demo_history_has_no_host_outside_its_membership(demo):
    hosted = list(
        Meeting.objects.filter(kind=MeetingKind.MONTHLY_TOPIC, host__isnull=False).select_related("host")
    )
    assert hosted
    members = planner.memberships({m.host_id for m in hosted})
    outside = [
        (m.host.display_name, timezone.localtime(m.starts_at).date())
        for m in hosted
        if not members[m.host_id].on(timezone.localtime(m.starts_at).date())
    ]
    assert outside == []
    yizhou = Organisation.objects.get(short_name="宜州阳光")
    first_turn = min(timezone.localtime(m.starts_at).date() for m in hosted if m.host_id == yizhou.pk)
    assert yizhou.joined_on == datetime.date(2024, 6, 1) and first_turn >= yizhou.joined_on
