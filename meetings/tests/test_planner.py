import datetime

import pytest

from meetings import actions, planner
from meetings.choices import DayKind, MeetingKind
from meetings.models import HolidayOverride, Invitation, Meeting, RotationSkip

pytestmark = pytest.mark.django_db

WED = 2


def test_the_package_knows_2026_but_not_2027():
    assert planner.package_knows(2026)
    assert not planner.package_knows(2027)
    first, last = planner.known_years()
    assert first <= 2004 and last == 2026


def test_a_meeting_on_a_statutory_holiday_moves_to_the_next_week():
    cal = planner.HolidayCalendar(2026)
    # 2026-10-07, the first Wednesday of October, is in the National Day holiday.
    day, moved = planner.pick_day(cal, 10, WED, 1)
    assert day == datetime.date(2026, 10, 14) and moved
    day, moved = planner.pick_day(cal, 3, WED, 2)
    assert day == datetime.date(2026, 3, 11) and not moved


def test_an_adjusted_working_weekend_is_never_a_meeting_day():
    cal = planner.HolidayCalendar(2026)
    # 2026-02-28 (Saturday) is a working day made up for the Spring Festival.
    weekend_workdays = [
        d for d in (datetime.date(2026, 2, 14), datetime.date(2026, 2, 28)) if cal.is_workday(d)
    ]
    assert weekend_workdays
    assert not any(cal.is_meeting_day(d) for d in weekend_workdays)


def test_an_unknown_year_falls_back_to_weekends_and_staff_entries_take_precedence():
    cal = planner.HolidayCalendar(2027)
    assert not cal.known
    assert cal.is_meeting_day(datetime.date(2027, 1, 13))  # a Wednesday
    HolidayOverride.objects.create(date=datetime.date(2027, 1, 13), kind=DayKind.HOLIDAY, name="test")
    cal = planner.HolidayCalendar(2027)
    day, moved = planner.pick_day(cal, 1, WED, 2)
    assert day == datetime.date(2027, 1, 20) and moved


def test_staff_entries_also_override_the_package_in_a_known_year():
    HolidayOverride.objects.create(date=datetime.date(2026, 3, 11), kind=DayKind.HOLIDAY)
    assert planner.pick_day(planner.HolidayCalendar(2026), 3, WED, 2)[0] == datetime.date(2026, 3, 18)


def test_the_rotation_puts_never_hosted_first_then_least_recent_then_join_date(
    make_partner_org, hub_org, make_meeting
):
    old = make_partner_org("老机构", joined=datetime.date(2020, 1, 1))
    recent = make_partner_org("最近发起", joined=datetime.date(2019, 1, 1))
    new_a = make_partner_org("新机构甲", joined=datetime.date(2024, 5, 1))
    new_b = make_partner_org("新机构乙", joined=datetime.date(2023, 5, 1))
    make_partner_org("暂停机构", joined=datetime.date(2018, 1, 1), status="paused")
    make_meeting(MeetingKind.MONTHLY_TOPIC, days=-300, host=old)
    make_meeting(MeetingKind.MONTHLY_TOPIC, days=-30, host=recent)
    queue = list(planner.rotation_candidates())
    assert queue == [new_b, new_a, old, recent]  # the hub and the paused partner are not in it


def test_a_proposal_has_the_whole_cadence_with_rotating_hosts(make_partner_org, hub_org):
    orgs = [make_partner_org(joined=datetime.date(2023, m, 1)) for m in range(1, 6)]
    first_year = make_partner_org("第一年", joined=datetime.date(2026, 6, 1))
    proposal = planner.build_proposal(2027, WED, 2)
    kinds = [i["kind"] for i in proposal.items]
    assert kinds.count(MeetingKind.MONTHLY_TOPIC) == 12
    assert kinds.count(MeetingKind.QUARTERLY_DIRECTORS) == 4
    assert kinds.count(MeetingKind.HALF_YEAR_REGIONAL) == 2
    sup = [i for i in proposal.items if i["kind"] == MeetingKind.SUPERVISION]
    assert sum(1 for i in sup if i["organisation"] in {o.pk for o in orgs}) == 5 * 4
    # First year monthly (Jan-May 2027, before its anniversary), then quarterly (June, Sept, Dec).
    assert len([i for i in sup if i["organisation"] == first_year.pk]) == 5 + 3
    monthly = sorted((i for i in proposal.items if i["kind"] == "monthly_topic"), key=lambda i: i["sequence"])
    hosts = [i["host"] for i in monthly]
    assert hosts[:6] == [orgs[0].pk, orgs[1].pk, orgs[2].pk, orgs[3].pk, orgs[4].pk, first_year.pk]
    assert hosts[6:] == hosts[:6] and hub_org.pk not in hosts
    assert not proposal.calendar_known
    for item in proposal.items:
        assert datetime.date.fromisoformat(item["date"]).weekday() < 5


def test_staff_swap_two_hosts_skip_an_organisation_and_confirm_once(
    make_partner_org, hub_staff, partner, other
):
    a, b, c = (make_partner_org(joined=datetime.date(2023, m, 1)) for m in (1, 2, 3))
    draft = actions.do_create_plan(year=2027, weekday=WED, week_of_month=2, by=hub_staff)
    before = {i["sequence"]: i["host"] for i in draft.items if i["kind"] == "monthly_topic"}
    assert [before[n] for n in range(1, 6)] == [
        partner.organisation_id,
        other.organisation_id,
        a.pk,
        b.pk,
        c.pk,
    ]
    actions.do_swap_hosts(draft, first="monthly_topic-1", second="monthly_topic-2", expected_version=1)
    hosts = {i["sequence"]: i["host"] for i in draft.items if i["kind"] == "monthly_topic"}
    assert (hosts[1], hosts[2]) == (before[2], before[1])
    actions.do_skip_in_plan(draft, organisation=c, month=5, reason="换届中", by=hub_staff, expected_version=2)
    assert RotationSkip.objects.get(organisation=c).reason == "换届中"
    hosts = {i["sequence"]: i["host"] for i in draft.items if i["kind"] == "monthly_topic"}
    assert hosts[5] != c.pk and hosts[6] == c.pk  # c's turn moves to June

    created = actions.do_confirm_plan(draft, by=hub_staff, expected_version=draft.version)
    count = Meeting.objects.count()
    assert len(created) == count and count >= 18
    assert Meeting.objects.filter(kind="monthly_topic", year=2027, sequence=5).get().host_id != c.pk
    # partner staff of active partners are invited to every monthly topic meeting
    assert Invitation.objects.filter(person=other, meeting__kind="monthly_topic").count() == 12

    again = actions.do_create_plan(year=2027, weekday=1, week_of_month=3, by=hub_staff)
    assert all(item["existing"] for item in again.items)
    assert actions.do_confirm_plan(again, by=hub_staff, expected_version=again.version) == []
    assert Meeting.objects.count() == count


def test_confirming_a_plan_whose_host_paused_before_its_meeting_saves_nothing(make_partner_org, hub_staff):
    from django.core.exceptions import ValidationError

    a = make_partner_org(joined=datetime.date(2023, 1, 1))
    draft = actions.do_create_plan(year=2027, weekday=WED, week_of_month=2, by=hub_staff)
    a.status = "paused"
    a.save()
    with pytest.raises(ValidationError) as error:
        actions.do_confirm_plan(draft, by=hub_staff, expected_version=draft.version)
    assert f"{a}在2027-01-13不是合作中的伙伴机构" in " ".join(error.value.messages)
    assert Meeting.objects.count() == 0
    draft.refresh_from_db()
    assert not draft.is_confirmed


def test_moving_a_plan_item_onto_a_holiday_is_refused(make_partner_org, hub_staff):
    from django.core.exceptions import ValidationError

    make_partner_org()
    draft = actions.do_create_plan(year=2026, weekday=WED, week_of_month=2, by=hub_staff)
    with pytest.raises(ValidationError):
        actions.do_move_plan_item(
            draft, key="monthly_topic-10", day=datetime.date(2026, 10, 1), expected_version=1
        )
    actions.do_move_plan_item(
        draft, key="monthly_topic-10", day=datetime.date(2026, 10, 21), expected_version=1
    )
    assert next(i for i in draft.items if i["key"] == "monthly_topic-10")["date"] == "2026-10-21"


def test_a_stale_plan_edit_is_detected(make_partner_org, hub_staff):
    from hubsite.core.models import StaleObjectError

    make_partner_org()
    make_partner_org()
    draft = actions.do_create_plan(year=2027, weekday=WED, week_of_month=2, by=hub_staff)
    actions.do_swap_hosts(draft, first="monthly_topic-1", second="monthly_topic-2", expected_version=1)
    with pytest.raises(StaleObjectError):
        actions.do_swap_hosts(draft, first="monthly_topic-3", second="monthly_topic-4", expected_version=1)
