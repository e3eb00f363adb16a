"""Partner people apply (the server sets their organisation), the director endorses, and another
organisation never reaches the application."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hubsite.core.models import Notification
from training.choices import ApplicationStatus, Education
from training.models import Application

pytestmark = pytest.mark.django_db


def apply_data(*modules, **extra):
    data = {
        "modules": [m.pk for m in modules],
        "years_in_child_services": "3",
        "education": str(Education.BACHELOR),
        "certificates": "社工证",
        "motivation": "想更好地引导家长",
    }
    data.update(extra)
    return data


def test_a_teacher_applies_to_two_modules_for_her_own_organisation_whatever_she_posts(
    client_for, partner, org_b, make_module, director
):
    first, second = make_module("家长引导师"), make_module("儿童引导师")
    response = client_for(partner).post(
        reverse("training:apply", args=[first.programme_id]),
        apply_data(first, second, organisation=org_b.pk),
    )
    assert response.status_code == 302
    applications = Application.objects.filter(applicant=partner)
    assert {a.module_id for a in applications} == {first.pk, second.pk}
    assert {a.organisation_id for a in applications} == {partner.organisation_id}
    assert all(a.status == ApplicationStatus.SUBMITTED for a in applications)
    # The director is asked to endorse each.
    assert Notification.objects.filter(recipient=director, kind="training.endorsement").count() == 2


def test_the_rules_of_the_module_refuse_an_ineligible_applicant_next_to_the_fields(
    client_for, partner, make_module
):
    module = make_module(
        min_years=2,
        min_education=Education.BACHELOR,
        required_certificate="社工证",
        evidence_label="活动总结",
    )
    response = client_for(partner).post(
        reverse("training:apply", args=[module.programme_id]),
        apply_data(module, years_in_child_services="1", education=str(Education.COLLEGE)),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"years_in_child_services", "education", "holds_required_certificate", "evidence"}
    assert not Application.objects.exists()


def test_evidence_is_stored_under_a_random_name_and_served_to_the_organisation_only(
    client_for, partner, other, make_module, media
):
    module = make_module(evidence_label="活动总结")
    upload = SimpleUploadedFile("活动总结.pdf", b"%PDF-1.4 summary", content_type="application/pdf")
    client_for(partner).post(
        reverse("training:apply", args=[module.programme_id]),
        apply_data(module, evidence=upload),
    )
    application = Application.objects.get()
    assert "活动总结" not in application.evidence.name
    assert application.evidence_name == "活动总结.pdf"
    url = reverse("training:evidence", args=[application.pk])
    response = client_for(partner).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 summary"
    assert client_for(other).get(url).status_code == 404


def test_a_closed_window_refuses_applications_to_the_minute(client_for, partner, make_module):
    now = timezone.now()
    module = make_module(
        opens_at=now - datetime.timedelta(days=5), closes_at=now - datetime.timedelta(minutes=1)
    )
    # A closed module is not even offered.
    response = client_for(partner).post(
        reverse("training:apply", args=[module.programme_id]), apply_data(module)
    )
    assert response.status_code == 200
    assert "modules" in response.context["form"].errors
    assert not Application.objects.exists()


def test_the_director_endorses_an_application_of_her_organisation(
    client_for, director, partner, module, make_application
):
    application = make_application(module, partner)
    response = client_for(director).post(reverse("training:endorse", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ENDORSED
    assert application.endorsed_by == director


def test_a_partner_of_org_b_gets_404_on_org_a_application(
    client_for, other, partner, module, make_application
):
    application = make_application(module, partner)
    client = client_for(other)
    for name in ("application_detail", "withdraw", "practice_log", "certificate_pdf", "evidence"):
        assert client.get(reverse(f"training:{name}", args=[application.pk])).status_code == 404, name
    listed = client.get(reverse("training:application_list")).context["table"].data
    assert len(listed) == 0
