import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.choices import OrganisationStatus
from partners.models import (
    Award,
    County,
    ExpansionPlan,
    Organisation,
    OrganisationStatusChange,
    SharedExperience,
)


def edit_url(organisation):
    return reverse("partners:organisation_edit", args=[organisation.pk])


def hub_data(organisation, **changes):
    data = {
        "name": organisation.name,
        "short_name": organisation.short_name,
        "prefecture": organisation.prefecture_id,
        "county": organisation.county_id or "",
        "address": organisation.address,
        "contact_name": organisation.contact_name,
        "contact_phone": organisation.contact_phone,
        "contact_email": organisation.contact_email,
        "website": organisation.website,
        "description": organisation.description,
        "project_started_on": organisation.project_started_on or "",
        "stage": organisation.stage,
        "version": organisation.version,
    }
    data.update(changes)
    return data


def contact_data(target, **changes):
    data = {
        "contact_name": "新联系人",
        "contact_phone": "13800000000",
        "contact_email": "contact@example.org",
        "website": "https://example.org",
        "address": "都安县城某路1号",
        "description": "简介",
        "version": target.version,
    }
    data.update(changes)
    return data


def test_hub_staff_create_an_organisation(client_for, hub_staff, prefectures):
    response = client_for(hub_staff).post(
        reverse("partners:organisation_create"),
        {
            "name": "田东晨曦社会工作服务中心",
            "short_name": "田东晨曦",
            "prefecture": prefectures["451000"].pk,
            "stage": "sprouting",
        },
    )
    organisation = Organisation.objects.get(name="田东晨曦社会工作服务中心")
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.status == OrganisationStatus.PROSPECT


def test_hub_staff_edit_the_whole_profile(client_for, hub_staff, org_a):
    response = client_for(hub_staff).post(
        edit_url(org_a), hub_data(org_a, short_name="都安", stage="growing")
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert (org_a.short_name, org_a.stage, org_a.version) == ("都安", "growing", 2)


def test_an_unknown_prefecture_is_refused_next_to_the_field(client_for, hub_staff, org_a):
    response = client_for(hub_staff).post(
        edit_url(org_a), hub_data(org_a, prefecture=999999, short_name="改")
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in str(response.context["form"].errors["prefecture"])
    org_a.refresh_from_db()
    assert org_a.short_name == "都安瑶山"


def test_a_county_outside_the_prefecture_is_refused(client_for, hub_staff, org_a, prefectures):
    guilin_county = County.objects.create(prefecture=prefectures["450300"], name="阳朔县")
    response = client_for(hub_staff).post(edit_url(org_a), hub_data(org_a, county=guilin_county.pk))
    assert response.context["form"].errors["county"] == ["该区县不属于所选地市。"]
    assert 'class="invalid-feedback d-block field-error">该区县不属于所选地市。' in response.content.decode()
    org_a.refresh_from_db()
    assert org_a.county is None


def test_partners_edit_only_their_own_contact_details(client_for, partner, org_a, prefectures, org_b):
    response = client_for(partner).post(
        edit_url(org_a),
        contact_data(
            org_a,
            # Tampered fields the form does not have: all ignored.
            name="改名",
            status="exited",
            prefecture=prefectures["450100"].pk,
            is_hub="on",
            organisation=org_b.pk,
            stage="growing",
        ),
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.contact_name == "新联系人" and org_a.website == "https://example.org"
    assert org_a.name == "都安瑶山社会工作服务中心"
    assert org_a.status == OrganisationStatus.ACTIVE
    assert org_a.prefecture.code == "451200"
    assert not org_a.is_hub
    assert org_a.stage == "startup"


def test_the_partner_form_has_no_organisation_or_profile_fields(client_for, director, org_a):
    form = client_for(director).get(edit_url(org_a)).context["form"]
    assert set(form.fields) == {
        "contact_name",
        "contact_phone",
        "contact_email",
        "website",
        "address",
        "description",
        "version",
    }


def test_another_organisations_edit_url_is_404_for_partners(client_for, partner, org_b):
    client = client_for(partner)
    assert client.get(edit_url(org_b)).status_code == 404
    assert client.post(edit_url(org_b), contact_data(org_b)).status_code == 404
    org_b.refresh_from_db()
    assert org_b.contact_name == ""


def test_a_concurrent_edit_is_refused_not_overwritten(client_for, partner, director, org_a):
    loaded = org_a.version
    assert (
        client_for(director).post(edit_url(org_a), contact_data(org_a, contact_name="主任改的")).status_code
        == 302
    )
    response = client_for(partner).post(
        edit_url(org_a), contact_data(org_a, contact_name="老师改的", version=loaded)
    )
    assert response.status_code == 409
    assert "已有其他人修改了这条记录" in response.content.decode()
    org_a.refresh_from_db()
    assert org_a.contact_name == "主任改的"


def test_hub_staff_change_the_status_and_the_history_is_kept(client_for, hub_staff, org_a):
    response = client_for(hub_staff).post(
        reverse("partners:organisation_status", args=[org_a.pk]),
        {"status": "paused", "effective_on": "2024-07-01", "reason": "负责人离职"},
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.status == "paused" and org_a.status_changed_on == datetime.date(2024, 7, 1)
    change = OrganisationStatusChange.objects.get(organisation=org_a)
    assert (change.from_status, change.to_status, change.reason, change.changed_by) == (
        "active",
        "paused",
        "负责人离职",
        hub_staff,
    )
    assert "负责人离职" in client_for(hub_staff).get(org_a.get_absolute_url()).content.decode()


def test_a_status_the_lifecycle_does_not_allow_is_refused(client_for, hub_staff, org_a):
    response = client_for(hub_staff).post(
        reverse("partners:organisation_status", args=[org_a.pk]),
        {"status": "prospect", "effective_on": "2024-07-01"},
    )
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    assert not OrganisationStatusChange.objects.exists()


def test_hub_staff_add_and_edit_awards(client_for, hub_staff, org_a):
    client = client_for(hub_staff)
    response = client.post(
        reverse("partners:award_create", args=[org_a.pk]),
        {
            "issuer": "活力未来",
            "year": 2023,
            "title": "年度优秀伙伴",
            "from_programme_funder": "on",
            "organisation": 999,
        },
    )
    assert response.status_code == 302
    award = Award.objects.get()
    assert award.organisation == org_a and award.from_programme_funder
    client.post(
        reverse("partners:award_edit", args=[award.pk]), {"issuer": "活力未来", "year": 2024, "title": "改"}
    )
    award.refresh_from_db()
    assert (award.year, award.title, award.from_programme_funder) == (2024, "改", False)


@pytest.mark.parametrize("which", ["before-1990", "after-next-year"])
def test_an_award_year_out_of_range_is_refused(client_for, hub_staff, org_a, which):
    # The local year, asked when the test runs (not at collection, nor in the system's time zone).
    next_year = timezone.localdate().year + 1
    year = 1989 if which == "before-1990" else next_year + 1
    response = client_for(hub_staff).post(
        reverse("partners:award_create", args=[org_a.pk]), {"issuer": "活力未来", "year": year, "title": "奖"}
    )
    assert response.context["form"].errors["year"] == [f"请输入 1990 至 {next_year} 之间的年份。"]
    assert not Award.objects.exists()


def test_hub_staff_add_and_edit_expansion_plans(client_for, hub_staff, org_a):
    client = client_for(hub_staff)
    client.post(
        reverse("partners:expansion_plan_create", args=[org_a.pk]),
        {"planned_sites": 2, "target_date": "2025-09-01", "status": "planned", "description": "大化县"},
    )
    plan = ExpansionPlan.objects.get(organisation=org_a)
    assert org_a.has_active_expansion_plan()
    client.post(
        reverse("partners:expansion_plan_edit", args=[plan.pk]), {"planned_sites": 2, "status": "done"}
    )
    plan.refresh_from_db()
    assert plan.status == "done"
    refused = client.post(
        reverse("partners:expansion_plan_create", args=[org_a.pk]), {"planned_sites": 0, "status": "planned"}
    )
    assert "planned_sites" in refused.context["form"].errors


def test_hub_staff_add_edit_and_endorse_shareable_experience(client_for, hub_staff, org_a):
    client = client_for(hub_staff)
    client.post(
        reverse("partners:experience_create", args=[org_a.pk]),
        {"area": "teaching", "title": "瑶族儿歌", "text": "把本地儿歌编进课程"},
    )
    experience = SharedExperience.objects.get(organisation=org_a)
    client.post(
        reverse("partners:experience_edit", args=[experience.pk]),
        {"area": "teaching", "title": "瑶族儿歌进课堂", "text": "把本地儿歌编进课程"},
    )
    response = client.post(reverse("partners:experience_endorse", args=[experience.pk]))
    assert response.status_code == 302
    experience.refresh_from_db()
    assert experience.title == "瑶族儿歌进课堂"
    assert experience.is_endorsed and experience.endorsed_by == hub_staff


def test_partners_cannot_add_records_to_their_own_organisation(client_for, director, org_a):
    client = client_for(director)
    response = client.post(
        reverse("partners:award_create", args=[org_a.pk]), {"issuer": "自己", "year": 2023, "title": "自封"}
    )
    assert response.status_code == 403
    assert not Award.objects.exists()
