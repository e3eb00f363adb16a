"""Yearly targets: set by the hub for an organisation and year, seen by the organisation, achievement
to date through the roll-up (a stock is compared as its average month, never as a sum of months)."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from reports import targets
from reports.choices import ReportStatus
from reports.models import Target
from reports.tests.factories import make_report, submitted

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# Late April 2024: January to March are reported, their due dates passed.
NOW = datetime.datetime(2024, 4, 20, 10, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _first_quarter(org, **kwargs):
    for month in (1, 2, 3):
        submitted(org, datetime.date(2024, month, 1), **kwargs)


def _target(org, indicator, value, *, centre=None, year=2024):
    return Target.objects.create(organisation=org, indicator=indicator, year=year, value=value, centre=centre)


def _achievement(org, code):
    (row,) = [a for a in targets.achievements([org.pk], 2024)[org.pk] if a.indicator.code == code]
    return row


def test_a_flow_is_compared_as_the_total_of_the_months_so_far(org_a, centre_a, indicators):
    _first_quarter(org_a)  # 300 child visits a month
    _target(org_a, indicators["child_visits"], 3600)

    row = _achievement(org_a, "child_visits")

    assert row.achieved == 900
    assert row.percent == 25


def test_a_stock_is_compared_as_its_average_month_not_the_sum_of_months(
    org_a, centre_a, make_centre, indicators
):
    make_centre(org_a, "都安第二亲子园", datetime.date(2023, 1, 1))
    _first_quarter(org_a)  # each centre: 60 distinct families every month
    _target(org_a, indicators["families_served"], 150)

    row = _achievement(org_a, "families_served")

    # Two centres of 60 families in an average month: 120, not 3 months x 120 = 360.
    assert row.achieved == 120
    assert row.percent == 80


def test_only_reports_handed_in_count_and_only_those_of_the_year(org_a, centre_a, indicators):
    submitted(org_a, datetime.date(2024, 1, 1))
    make_report(org_a, datetime.date(2024, 2, 1), status=ReportStatus.DRAFT)
    make_report(org_a, datetime.date(2024, 3, 1), status=ReportStatus.RETURNED)
    submitted(org_a, datetime.date(2023, 12, 1))
    _target(org_a, indicators["classes"], 80)

    assert _achievement(org_a, "classes").achieved == 8


def test_a_centre_target_is_compared_with_that_centre_only(org_a, centre_a, make_centre, indicators):
    second = make_centre(org_a, "都安第二亲子园", datetime.date(2023, 1, 1))
    _first_quarter(org_a, values={"child_visits": 100})
    _target(org_a, indicators["child_visits"], 1000, centre=second)
    _target(org_a, indicators["child_visits"], 1000)

    rows = {row.target.centre_id: row for row in targets.achievements([org_a.pk], 2024)[org_a.pk]}

    assert rows[second.pk].achieved == 300
    assert rows[None].achieved == 600


def test_a_target_without_reports_has_no_achievement_yet(org_a, centre_a, indicators):
    _target(org_a, indicators["book_loans"], 1200)

    row = _achievement(org_a, "book_loans")

    assert row.achieved is None
    assert row.percent is None


# ---------------------------------------------------------------------------------------------
# The hub's form


def _edit_url(org, year=2024):
    return reverse("reports:targets_edit", args=[org.pk, year])


def _loaded(client, org):
    response = client.get(_edit_url(org))
    assert response.status_code == 200
    return response.context["form"]["loaded"].value()


def test_the_hub_sets_an_organisations_targets_for_a_year_in_one_save(
    client_for, hub_staff, org_a, centre_a, indicators
):
    client = client_for(hub_staff)
    data = {
        "loaded": _loaded(client, org_a),
        "org__child_visits": "3600",
        "org__families_served": "70",
        f"c{centre_a.pk}__classes": "96",
    }

    response = client.post(_edit_url(org_a), data)

    assert response.status_code == 302
    saved = {
        (t.centre_id, t.indicator.code): t.value for t in Target.objects.filter(organisation=org_a, year=2024)
    }
    assert saved == {
        (None, "child_visits"): Decimal(3600),
        (None, "families_served"): Decimal(70),
        (centre_a.pk, "classes"): Decimal(96),
    }
    assert Target.objects.filter(set_by=hub_staff).count() == 3


def test_emptying_a_field_removes_its_target(client_for, hub_staff, org_a, centre_a, indicators):
    _target(org_a, indicators["child_visits"], 3600)
    _target(org_a, indicators["classes"], 90)
    client = client_for(hub_staff)

    client.post(_edit_url(org_a), {"loaded": _loaded(client, org_a), "org__classes": "90"})

    assert list(Target.objects.values_list("indicator__code", flat=True)) == ["classes"]


def test_a_negative_target_is_refused_beside_its_field_and_nothing_is_saved(
    client_for, hub_staff, org_a, centre_a, indicators
):
    client = client_for(hub_staff)
    data = {"loaded": _loaded(client, org_a), "org__child_visits": "3600", "org__classes": "-5"}

    response = client.post(_edit_url(org_a), data)

    assert response.status_code == 200
    assert response.context["form"].errors["org__classes"]
    html = response.content.decode()
    assert 'id="id_org__classes_error"' in html
    assert not Target.objects.exists()


def test_a_save_over_someone_elses_is_refused_and_keeps_what_was_typed(
    client_for, hub_staff, hub_admin, org_a, centre_a, indicators
):
    client = client_for(hub_staff)
    loaded = _loaded(client, org_a)
    # Someone else saves this organisation's targets after the form was loaded.
    other = client_for(hub_admin)
    other.post(_edit_url(org_a), {"loaded": loaded, "org__child_visits": "2000"})

    response = client.post(_edit_url(org_a), {"loaded": loaded, "org__child_visits": "3600"})

    assert response.status_code == 409
    assert Target.objects.get().value == 2000
    assert response.context["form"]["org__child_visits"].value() == "3600"


def test_a_year_out_of_bounds_is_not_found(client_for, hub_staff, org_a):
    assert client_for(hub_staff).get(_edit_url(org_a, 1999)).status_code == 404


# ---------------------------------------------------------------------------------------------
# Who sees them


def test_the_organisation_sees_its_targets_and_achievement_on_its_page(
    client_for, partner, other, org_a, centre_a, indicators
):
    _first_quarter(org_a)
    _target(org_a, indicators["child_visits"], 3600)
    url = reverse("partners:organisation_detail", args=[org_a.pk])

    html = client_for(partner).get(url).content.decode()

    assert 'id="targets"' in html
    assert "3600" in html
    assert "25%" in html
    # Another organisation's people see the public profile, not the targets.
    assert 'id="targets"' not in client_for(other).get(url).content.decode()


def test_the_partner_home_shows_the_years_targets_with_achievement(
    client_for, partner, org_a, centre_a, indicators
):
    _first_quarter(org_a)
    _target(org_a, indicators["child_visits"], 3600)

    response = client_for(partner).get(reverse("home"))

    html = response.content.decode()
    assert 'id="targets"' in html
    assert 'data-indicator="child_visits"' in html
    assert "25%" in html


def test_the_partner_home_has_no_targets_box_without_targets(client_for, partner, org_a, centre_a):
    html = client_for(partner).get(reverse("home")).content.decode()
    assert 'id="targets"' not in html


def test_the_demo_aims_each_organisation_a_tenth_above_its_year_before(org_a, centre_a, indicators):
    from reports.demo import seed_targets

    for month in range(1, 13):
        submitted(org_a, datetime.date(2023, month, 1))  # 300 child visits and 60 families a month

    assert seed_targets(2024) > 0
    assert seed_targets(2024) == 0  # organisations with targets keep them

    found = dict(Target.objects.filter(organisation=org_a, year=2024).values_list("indicator__code", "value"))
    assert found["child_visits"] == 3960  # 3,600 in the year, plus a tenth
    assert found["families_served"] == 66  # 60 in an average month, plus a tenth


def test_the_directors_are_told_at_once_when_the_hub_sets_or_changes_targets(
    client_for, hub_staff, director, partner, org_a, centre_a, indicators
):
    from hubsite.core.models import Notification

    client = client_for(hub_staff)
    client.post(_edit_url(org_a), {"loaded": _loaded(client, org_a), "org__child_visits": "3600"})
    client.post(
        _edit_url(org_a), {"loaded": _loaded(client, org_a), "org__child_visits": "3600"}
    )  # no change

    (notice,) = Notification.objects.filter(kind="reports.targets_set")
    assert notice.recipient == director  # the director, not the partner staff
    assert notice.subject == "枢纽已设定都安瑶山 2024 年的目标"
    assert notice.url == org_a.get_absolute_url()

    client.post(_edit_url(org_a), {"loaded": _loaded(client, org_a), "org__child_visits": "4000"})
    assert Notification.objects.filter(kind="reports.targets_set", recipient=director).count() == 2
