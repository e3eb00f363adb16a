"""Far dates stored before the bounds existed (shell, admin, an old form) must not break pages, and
the mutual-aid forms refuse them beside the field."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mutualaid.criteria import add_months
from mutualaid.models import ExpansionFundingApplication, ReviewRound
from partners.models import Organisation

LAST_DAY = datetime.date(9999, 12, 31)


@pytest.fixture
def far_started(org_a, centre_a):
    # `.update()`: no validation, as data written through the shell before the bounds.
    Organisation.objects.filter(pk=org_a.pk).update(project_started_on=LAST_DAY, joined_on=LAST_DAY)
    return org_a


def test_month_arithmetic_on_the_calendars_last_day_gives_a_date_instead_of_raising():
    assert add_months(LAST_DAY, 12) == datetime.date.max
    assert add_months(datetime.date(1, 1, 31), -1) == datetime.date.min
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)


@pytest.mark.parametrize("role", ["hub_admin", "hub_staff", "director", "partner"])
def test_the_home_page_answers_with_a_project_started_on_9999_12_31(far_started, personas, client_for, role):
    response = client_for(personas[role]).get("/")
    assert response.status_code == 200


def test_the_eligibility_overview_answers_and_counts_the_project_year_as_not_reached(
    far_started, hub_staff, client_for, policy
):
    response = client_for(hub_staff).get(reverse("mutualaid:overview"))
    assert response.status_code == 200
    evaluation = next(e for e in response.context["evaluations"] if e.organisation.pk == far_started.pk)
    assert not evaluation.result("project_year").is_met


def test_a_review_round_runs_with_a_project_started_on_9999_12_31(far_started, hub_staff, client_for, policy):
    response = client_for(hub_staff).post(
        reverse("mutualaid:round_run"),
        {"name": "边界", "cohort": "2026", "kind": "admission", "as_of": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    round_ = ReviewRound.objects.get(name="边界")
    assert round_.results.filter(organisation=far_started).exists()


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "2024-02-30", "abc"])
def test_the_overview_refuses_a_far_or_broken_date_with_a_message_and_shows_today(
    hub_staff, client_for, policy, as_of
):
    response = client_for(hub_staff).get(reverse("mutualaid:overview"), {"as_of": as_of})
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("budget", ["1e400", "NaN", "-1", "99999999999999999999", "20000000"])
def test_an_application_budget_out_of_bounds_is_refused_beside_the_field(director, client_for, budget):
    response = client_for(director).post(
        reverse("mutualaid:application_create"),
        {
            "site_name": "新点",
            "prefecture": director.organisation.prefecture_id,
            "site_type": "community",
            "budget": budget,
            "justification": "需要",
        },
    )
    assert response.status_code in (200, 400)
    assert "budget" in response.context["form"].errors
    assert not ExpansionFundingApplication.objects.exists()


def test_a_review_round_as_of_before_2000_is_refused_with_the_bounds_message(hub_staff, client_for, policy):
    response = client_for(hub_staff).post(
        reverse("mutualaid:round_run"),
        {"name": "早", "cohort": "1999", "kind": "admission", "as_of": "1999-12-31"},
    )
    assert response.context["form"].errors["as_of"][0].startswith("请输入 2000-01-01 至 ")
    assert not ReviewRound.objects.exists()
