import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Centre, CentreAssessment, County

CREATE = reverse("partners:centre_create")


def edit_url(centre):
    return reverse("partners:centre_edit", args=[centre.pk])


@pytest.fixture
def new_centre(org_a):
    return {
        "organisation": org_a.pk,
        "name": "都安澄江亲子园",
        "prefecture": org_a.prefecture_id,
        "site_type": "community_service_centre",
        "status": "operating",
        "opened_on": "2024-03-01",
        "capacity": 30,
    }


def test_hub_staff_create_a_centre(client_for, hub_staff, new_centre, org_a):
    response = client_for(hub_staff).post(CREATE, new_centre)
    centre = Centre.objects.get(name="都安澄江亲子园")
    assert response.status_code == 302 and response["Location"] == centre.get_absolute_url()
    assert centre.organisation == org_a and centre.capacity == 30


def test_the_new_centre_form_starts_from_the_organisation_given(client_for, hub_staff, org_a):
    form = client_for(hub_staff).get(CREATE, {"organisation": org_a.pk}).context["form"]
    assert form.initial["organisation"] == org_a
    assert client_for(hub_staff).get(CREATE, {"organisation": "x"}).status_code == 200


def test_closing_before_opening_is_refused_next_to_the_field(client_for, hub_staff, new_centre):
    response = client_for(hub_staff).post(
        CREATE, {**new_centre, "status": "closed", "closed_on": "2024-02-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["closed_on"] == ["亲子园的关闭日期不能早于开园日期。"]
    assert not Centre.objects.filter(name="都安澄江亲子园").exists()


def test_a_duplicate_name_within_the_organisation_is_a_field_error(
    client_for, hub_staff, new_centre, centre_a
):
    response = client_for(hub_staff).post(CREATE, {**new_centre, "name": "都安县城亲子园 "})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["该机构已有同名的亲子园。"]
    assert not response.context["form"].non_field_errors()
    assert Centre.objects.filter(organisation=centre_a.organisation).count() == 1


def test_the_same_name_in_another_organisation_is_fine(client_for, hub_staff, new_centre, org_b, centre_a):
    response = client_for(hub_staff).post(
        CREATE,
        {**new_centre, "organisation": org_b.pk, "name": "都安县城亲子园", "prefecture": org_b.prefecture_id},
    )
    assert response.status_code == 302


def test_an_unknown_prefecture_and_a_county_outside_the_prefecture_are_refused(
    client_for, hub_staff, new_centre, prefectures
):
    response = client_for(hub_staff).post(CREATE, {**new_centre, "prefecture": 999999})
    assert "选择一个有效的选项" in str(response.context["form"].errors["prefecture"])
    county = County.objects.create(prefecture=prefectures["450300"], name="阳朔县")
    response = client_for(hub_staff).post(CREATE, {**new_centre, "county": county.pk})
    assert response.context["form"].errors["county"] == ["该区县不属于所选地市。"]
    assert not Centre.objects.filter(name="都安澄江亲子园").exists()


def test_partners_edit_only_the_descriptive_fields_of_their_own_centres(client_for, partner, centre_a, org_b):
    response = client_for(partner).post(
        edit_url(centre_a),
        {
            "address": "都安县城东路2号",
            "opening_hours": "周一至周五",
            "capacity": 25,
            "description": "社区里的亲子园",
            "version": centre_a.version,
            # Tampered: not in the partner's form, all ignored.
            "organisation": org_b.pk,
            "name": "改名",
            "status": "closed",
            "is_demonstration": "on",
        },
    )
    assert response.status_code == 302
    centre_a.refresh_from_db()
    assert (centre_a.address, centre_a.opening_hours, centre_a.capacity) == (
        "都安县城东路2号",
        "周一至周五",
        25,
    )
    assert centre_a.organisation.name == "都安瑶山社会工作服务中心"
    assert (centre_a.name, centre_a.status, centre_a.is_demonstration) == (
        "都安县城亲子园",
        "operating",
        False,
    )


def test_the_partner_centre_form_has_only_descriptive_fields(client_for, director, centre_a):
    form = client_for(director).get(edit_url(centre_a)).context["form"]
    assert set(form.fields) == {"address", "opening_hours", "capacity", "description", "version"}


def test_another_organisations_centre_edit_is_404_for_partners(client_for, other, centre_a):
    response = client_for(other).post(edit_url(centre_a), {"address": "x", "version": centre_a.version})
    assert response.status_code == 404
    centre_a.refresh_from_db()
    assert centre_a.address == ""


def test_a_concurrent_centre_edit_is_refused(client_for, partner, hub_staff, centre_a):
    loaded = centre_a.version
    data = {"address": "甲", "opening_hours": "", "capacity": "", "description": "", "version": loaded}
    assert (
        client_for(hub_staff)
        .post(
            edit_url(centre_a),
            {
                "organisation": centre_a.organisation_id,
                "name": centre_a.name,
                "prefecture": centre_a.prefecture_id,
                "site_type": centre_a.site_type,
                "status": centre_a.status,
                "opened_on": "2022-05-01",
                "address": "枢纽改的",
                "version": loaded,
            },
        )
        .status_code
        == 302
    )
    response = client_for(partner).post(edit_url(centre_a), data)
    assert response.status_code == 409
    assert "您的修改未保存" in response.content.decode()
    centre_a.refresh_from_db()
    assert centre_a.address == "枢纽改的"


def test_hub_staff_record_an_assessment_and_the_rating_follows(client_for, hub_staff, centre_a):
    client = client_for(hub_staff)
    url = reverse("partners:centre_assess", args=[centre_a.pk])
    client.post(url, {"assessed_on": "2023-06-01", "rating": "meets_standard", "assessor": "督导甲"})
    response = client.post(url, {"assessed_on": "2024-06-01", "rating": "excellent", "notes": "示范水平"})
    assert response.status_code == 302
    centre_a.refresh_from_db()
    assert (centre_a.rating, centre_a.rated_on) == ("excellent", datetime.date(2024, 6, 1))
    latest = CentreAssessment.objects.get(assessed_on=datetime.date(2024, 6, 1))
    assert (latest.previous_rating, latest.recorded_by) == ("meets_standard", hub_staff)


def test_an_assessment_in_the_future_is_refused(client_for, hub_staff, centre_a):
    response = client_for(hub_staff).post(
        reverse("partners:centre_assess", args=[centre_a.pk]),
        {"assessed_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(), "rating": "good"},
    )
    assert response.context["form"].errors["assessed_on"] == ["日期不能晚于今天。"]
    assert not CentreAssessment.objects.exists()


def test_partners_cannot_rate_their_own_centre(client_for, director, centre_a):
    response = client_for(director).post(
        reverse("partners:centre_assess", args=[centre_a.pk]),
        {"assessed_on": "2024-01-01", "rating": "excellent"},
    )
    assert response.status_code == 403
    assert not CentreAssessment.objects.exists()
