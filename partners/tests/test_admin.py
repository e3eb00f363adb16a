import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from partners.models import (
    Award,
    Centre,
    CentreAssessment,
    County,
    ExpansionPlan,
    Organisation,
    OrganisationStatusChange,
    Prefecture,
    Province,
    SharedExperience,
    User,
)

MODELS = [
    Province,
    Prefecture,
    County,
    Organisation,
    OrganisationStatusChange,
    Award,
    ExpansionPlan,
    SharedExperience,
    Centre,
    CentreAssessment,
    User,
]


def test_every_partners_model_is_registered():
    for model in MODELS:
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_changelist_searches_and_filters_in_chinese(model, client_for, hub_admin, centre_a, org_a):
    centre_a.record_assessment(assessed_on=datetime.date(2024, 1, 1), rating="good")
    org_a.change_status("paused", by=hub_admin, reason="x")
    url = reverse(f"admin:partners_{model._meta.model_name}_changelist")
    response = client_for(hub_admin).get(url, {"q": "都安"})
    assert response.status_code == 200
    assert str(model._meta.verbose_name_plural) in response.content.decode()


def test_the_organisation_page_has_centre_inlines_and_chinese_labels(client_for, hub_admin, org_a, centre_a):
    html = (
        client_for(hub_admin)
        .get(reverse("admin:partners_organisation_change", args=[org_a.pk]))
        .content.decode()
    )
    assert "都安县城亲子园" in html
    assert "对外联系人" in html and "地市" in html


def test_the_centre_page_shows_its_assessments(client_for, hub_admin, centre_a):
    centre_a.record_assessment(assessed_on=datetime.date(2024, 1, 1), rating="good", assessor="李督导")
    html = (
        client_for(hub_admin)
        .get(reverse("admin:partners_centre_change", args=[centre_a.pk]))
        .content.decode()
    )
    assert "李督导" in html and "运营评估" in html


def test_hub_admins_add_a_person_by_email_without_a_username(client_for, hub_admin, org_a):
    response = client_for(hub_admin).post(
        reverse("admin:partners_user_add"),
        {
            "email": "admin-made@example.org",
            "full_name": "后台新增",
            "role": "partner_staff",
            "organisation": org_a.pk,
            "usable_password": "false",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = User.objects.get(email="admin-made@example.org")
    assert person.organisation == org_a and not person.has_usable_password()


def test_the_person_change_page_opens(client_for, hub_admin, partner):
    response = client_for(hub_admin).get(reverse("admin:partners_user_change", args=[partner.pk]))
    assert response.status_code == 200
    assert "partner@example.org" in response.content.decode()
