"""Hand-typed years, months and versions go through forms: bad values answer a message, never a 500."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import actions
from meetings.checks import unsupervised
from meetings.models import HolidayOverride, PlanDraft, RotationSkip
from partners.models import Organisation

BAD_NUMBERS = ["abc", "1e400", "NaN", "99999999999999999999", "-1", "²", "\x00"]


@pytest.mark.parametrize("year", BAD_NUMBERS + ["1999", "9999"])
def test_a_rotation_skip_with_a_bad_year_is_refused_and_nothing_is_saved(hub_staff, org_b, client_for, year):
    response = client_for(hub_staff).post(
        reverse("meetings:rotation_skip"),
        {"organisation": org_b.pk, "month": 3, "reason": "换届", "year": year, "version": 0},
    )
    assert response.status_code == 302
    assert not RotationSkip.objects.exists()


def test_a_rotation_skip_without_a_year_is_for_this_year(hub_staff, org_b, client_for):
    client_for(hub_staff).post(
        reverse("meetings:rotation_skip"),
        {"organisation": org_b.pk, "month": 3, "reason": "换届", "version": 0},
    )
    assert RotationSkip.objects.get().month == datetime.date(timezone.localdate().year, 3, 1)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2024-02-30", "1999-12-31"])
def test_a_holiday_outside_the_bounds_is_refused_beside_the_field(hub_staff, client_for, day):
    response = client_for(hub_staff).post(
        reverse("meetings:holidays"), {"date": day, "kind": "holiday", "name": "远"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["date"]
    assert not HolidayOverride.objects.exists()


@pytest.mark.parametrize("year", BAD_NUMBERS)
def test_year_filters_that_do_not_parse_are_ignored(hub_staff, client_for, year):
    client = client_for(hub_staff)
    assert client.get(reverse("meetings:attendance_rates"), {"year": year}).status_code == 200
    assert client.get(reverse("meetings:holidays"), {"year": year}).status_code == 200


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2024-13", "abc", "99999999999999999999-1"])
def test_the_calendar_shows_this_month_for_a_month_outside_the_bounds(director, client_for, month):
    response = client_for(director).get(reverse("meetings:calendar"), {"month": month})
    assert response.status_code == 200


@pytest.mark.parametrize("version", BAD_NUMBERS)
def test_confirming_a_plan_with_a_bad_version_changes_nothing(hub_staff, client_for, version):
    draft = actions.do_create_plan(year=2027, weekday=2, week_of_month=2, by=hub_staff)
    response = client_for(hub_staff).post(
        reverse("meetings:plan_confirm", args=[draft.pk]), {"version": version}
    )
    assert response.status_code == 302
    assert PlanDraft.objects.get(pk=draft.pk).confirmed_at is None


def test_the_supervision_check_copes_with_a_partner_since_9999_12_31(org_a):
    Organisation.objects.filter(pk=org_a.pk).update(joined_on=datetime.date(9999, 12, 31))
    assert org_a.pk not in {o.organisation.pk for o in unsupervised()}


def close_action_item(make_meeting, org_a, director, client, next_url):
    """A supervision's action item marked done by ``client``, posted from ``next_url``."""
    from meetings.choices import MeetingKind
    from meetings.models import ActionItem

    meeting = make_meeting(MeetingKind.SUPERVISION, organisation=org_a)
    item = ActionItem.objects.create(
        meeting=meeting,
        what="签到表",
        owner_organisation=org_a,
        owner_person=director,
        due_on=timezone.localdate(),
    )
    response = client.post(
        reverse("meetings:action_update", args=[item.pk]),
        {"status": "done", "version": item.version, "next": next_url(meeting)},
    )
    return meeting, response


@pytest.mark.parametrize(
    "target",
    ["a b", "/x\x00y", "//evil.example/", "//evil.example", "/\\evil.example", "https://evil.example/"],
)
def test_an_action_item_update_with_a_next_that_is_no_path_goes_to_the_list(
    make_meeting, hub_staff, org_a, director, client_for, target
):
    _meeting, response = close_action_item(
        make_meeting, org_a, director, client_for(hub_staff), lambda meeting: target
    )
    assert response["Location"] == reverse("meetings:action_list")


def test_an_action_item_update_goes_back_to_the_page_on_this_site_it_came_from(
    make_meeting, hub_staff, org_a, director, client_for
):
    meeting, response = close_action_item(
        make_meeting, org_a, director, client_for(hub_staff), lambda meeting: meeting.get_absolute_url()
    )
    assert response["Location"] == meeting.get_absolute_url()
