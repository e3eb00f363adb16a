import datetime

import pytest
from django.urls import reverse

from partners.choices import Rating


def url(centre):
    return reverse("partners:centre_detail", args=[centre.pk])


def test_it_shows_the_profile_and_the_rating_history(client_for, other, centre_a, hub_staff):
    centre_a.opening_hours = "周二至周六 9:00-17:00"
    centre_a.save()
    centre_a.record_assessment(
        assessed_on=datetime.date(2023, 5, 1), rating=Rating.NEEDS_IMPROVEMENT, by=hub_staff
    )
    centre_a.record_assessment(
        assessed_on=datetime.date(2024, 5, 1),
        rating=Rating.GOOD,
        assessor="李督导",
        notes="进步明显",
        by=hub_staff,
    )
    html = client_for(other).get(url(centre_a)).content.decode()
    for text in (
        "都安县城亲子园",
        "都安瑶山社会工作服务中心",
        "周二至周六",
        "待改进",
        "良好",
        "李督导",
        "进步明显",
        "2024-05-01",
    ):
        assert text in html, text
    # Another organisation's people may read the profile but get no edit button.
    assert reverse("partners:centre_edit", args=[centre_a.pk]) not in html


def test_the_own_organisation_and_the_hub_get_an_edit_button(client_for, partner, hub_staff, centre_a):
    edit = reverse("partners:centre_edit", args=[centre_a.pk])
    assess = reverse("partners:centre_assess", args=[centre_a.pk])
    partner_html = client_for(partner).get(url(centre_a)).content.decode()
    assert edit in partner_html and assess not in partner_html
    hub_html = client_for(hub_staff).get(url(centre_a)).content.decode()
    assert edit in hub_html and assess in hub_html


def test_a_centre_of_a_prospect_is_404_for_partners(client_for, other, prefectures, make_centre):
    from partners.models import Organisation

    prospect = Organisation.objects.create(name="意向机构", prefecture=prefectures["450100"])
    centre = make_centre(prospect, "意向亲子园", None, status="planned")
    assert client_for(other).get(url(centre)).status_code == 404


def test_it_escapes_script(client_for, partner, centre_a):
    centre_a.description = "<script>alert(1)</script>"
    centre_a.save()
    html = client_for(partner).get(url(centre_a)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("persona", ["hub_staff", "partner", "viewer"])
def test_it_runs_a_fixed_number_of_queries_whatever_the_size(
    persona, request, client_for, centre_a, hub_admin, django_assert_num_queries
):
    client = client_for(request.getfixturevalue(persona))
    centre_a.record_assessment(assessed_on=datetime.date(2020, 1, 1), rating=Rating.GOOD, by=hub_admin)
    # session, user, centre (with organisation, prefecture, county), assessments (with recorder)
    with django_assert_num_queries(4):
        assert client.get(url(centre_a)).status_code == 200
    for year in range(2021, 2035):
        centre_a.record_assessment(
            assessed_on=datetime.date(year, 1, 1), rating=Rating.EXCELLENT, by=hub_admin
        )
    with django_assert_num_queries(4):
        assert client.get(url(centre_a)).status_code == 200
