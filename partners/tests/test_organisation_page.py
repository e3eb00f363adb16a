import datetime

import pytest
from django.urls import reverse

from partners.choices import OrganisationStatus, Rating


def url(organisation):
    return reverse("partners:organisation_detail", args=[organisation.pk])


@pytest.fixture
def profile(org_a, centre_a, hub_staff, partner, director, enrich):
    enrich(org_a, 2, hub_staff)
    centre_a.record_assessment(
        assessed_on=datetime.date(2024, 3, 1), rating=Rating.MEETS_STANDARD, assessor="督导"
    )
    return org_a


def test_it_shows_profile_centres_awards_plans_experience_assessments_and_history(client_for, other, profile):
    html = client_for(other).get(url(profile)).content.decode()
    for text in (
        "都安瑶山社会工作服务中心",
        "都安县城亲子园",  # its centre
        "心和基金会",  # an award
        "计划新增 2 个点",  # an expansion plan
        "经验1",  # shareable experience
        "已由枢纽同工认可",
        "达标",  # an assessment of its centre
        "暂停",  # status history
        "恢复",
        "韦老师",  # public contact
    ):
        assert text in html, text


@pytest.mark.parametrize("persona", ["hub_admin", "hub_staff", "director", "partner"])
def test_its_people_are_shown_to_hub_staff_and_its_own_people(persona, request, client_for, profile):
    html = client_for(request.getfixturevalue(persona)).get(url(profile)).content.decode()
    assert 'id="people"' in html
    assert "partner@example.org" in html
    assert "韦主任" in html


@pytest.mark.parametrize("persona", ["other", "viewer"])
def test_its_people_are_hidden_from_other_organisations_and_viewers(persona, request, client_for, profile):
    html = client_for(request.getfixturevalue(persona)).get(url(profile)).content.decode()
    assert 'id="people"' not in html
    assert "partner@example.org" not in html
    assert "蓝老师" not in html


def test_partners_see_edit_contact_details_only_on_their_own_organisation(
    client_for, partner, profile, org_b
):
    client = client_for(partner)
    assert (
        reverse("partners:organisation_edit", args=[profile.pk]) in client.get(url(profile)).content.decode()
    )
    assert (
        reverse("partners:organisation_edit", args=[org_b.pk]) not in client.get(url(org_b)).content.decode()
    )


def test_a_prospect_is_404_for_partners_but_visible_to_hub_staff(client_for, other, hub_staff, prefectures):
    from partners.models import Organisation

    prospect = Organisation.objects.create(
        name="意向机构", prefecture=prefectures["450100"], status=OrganisationStatus.PROSPECT
    )
    assert client_for(other).get(url(prospect)).status_code == 404
    assert client_for(hub_staff).get(url(prospect)).status_code == 200


def test_it_escapes_script_in_names_and_text(client_for, partner, org_a, centre_a):
    from partners.models import SharedExperience

    org_a.name = "<script>alert('org')</script>"
    org_a.description = "<img src=x onerror=alert(1)>"
    org_a.save()
    centre_a.name = "<script>alert('centre')</script>"
    centre_a.save()
    SharedExperience.objects.create(
        organisation=org_a, area="teaching", title="<b>bold</b>", text="<script>x</script>"
    )
    html = client_for(partner).get(url(org_a)).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#x27;org&#x27;)&lt;/script&gt;" in html


# The hub and the organisation's own people also see its targets (reports' organisation panel: 1 query).
@pytest.mark.parametrize(
    ("persona", "queries"), [("hub_staff", 11), ("director", 11), ("other", 9), ("viewer", 9)]
)
def test_it_runs_a_fixed_number_of_queries_whatever_the_size(
    persona, queries, request, client_for, org_a, hub_admin, enrich, django_assert_num_queries
):
    # session, user, organisation, centres, awards, plans, experience, assessments, status history
    # (+ people for those who may see them)
    client = client_for(request.getfixturevalue(persona))
    enrich(org_a, 1, hub_admin)
    with django_assert_num_queries(queries):
        assert client.get(url(org_a)).status_code == 200
    enrich(org_a, 12, hub_admin)
    with django_assert_num_queries(queries):
        assert client.get(url(org_a)).status_code == 200
