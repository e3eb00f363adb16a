"""Receipts on study-visit claims and budget sheets on expansion-funding applications (mutualaid)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hubsite.core.models import Attachment, AttachmentKind
from hubsite.tests import attachment_files as files
from mutualaid.models import ExpansionFundingApplication, StudyVisit


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def claim(org_a, director, centre_b):
    return StudyVisit.objects.create(
        organisation=org_a,
        requested_by=director,
        visitors="韦主任、蓝老师",
        host_centre=centre_b,
        visit_on=datetime.date(2024, 4, 10),
        estimated_cost=Decimal("800.00"),
        status="claimed",
        actual_cost=Decimal("760.00"),
        learning_note="学习了绘本馆的借阅流程",
        claim_status="submitted",
    )


@pytest.fixture
def application(org_a, director):
    return ExpansionFundingApplication.objects.create(
        organisation=org_a,
        applicant=director,
        site_name="都安高岭镇亲子园",
        prefecture=org_a.prefecture,
        site_type="community",
        budget=Decimal("30000.00"),
        justification="镇上有四十多户留守家庭",
    )


def attach(client, model, obj, name, content, kind):
    return client.post(
        reverse("attachments:add", args=[model, obj.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def test_a_director_attaches_the_receipts_of_a_claim_until_the_hub_has_checked_it(
    client_for, director, other, hub_staff, claim
):
    client = client_for(director)
    response = attach(
        client, "mutualaid.studyvisit", claim, "车票发票.pdf", files.pdf(), AttachmentKind.RECEIPT
    )
    assert response.status_code == 302
    assert response["Location"] == claim.get_absolute_url()
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "车票发票.pdf" in page and "发票" in page

    receipt = Attachment.objects.get()
    assert client_for(other).get(reverse("attachments:download", args=[receipt.pk])).status_code == 404
    assert client_for(hub_staff).get(reverse("attachments:download", args=[receipt.pk])).status_code == 200

    StudyVisit.objects.filter(pk=claim.pk).update(claim_status="verified", verified_amount=Decimal("760.00"))
    client = client_for(director)
    assert (
        attach(client, "mutualaid.studyvisit", claim, "more.pdf", files.pdf(), "receipt").status_code == 403
    )
    assert Attachment.objects.count() == 1


def test_an_application_takes_a_budget_sheet_and_a_plan_while_it_is_open(
    client_for, director, other, application
):
    client = client_for(director)
    model = "mutualaid.expansionfundingapplication"
    assert (
        attach(
            client, model, application, "预算表.xlsx", files.xlsx(), AttachmentKind.BUDGET_SHEET
        ).status_code
        == 302
    )
    assert (
        attach(client, model, application, "计划书.docx", files.docx(), AttachmentKind.PLAN).status_code
        == 302
    )
    page = client.get(application.get_absolute_url()).content.decode()
    assert "预算表.xlsx" in page and "计划书.docx" in page
    assert attach(client_for(other), model, application, "x.pdf", files.pdf(), "plan").status_code == 404

    ExpansionFundingApplication.objects.filter(pk=application.pk).update(status="withdrawn")
    client = client_for(director)
    assert attach(client, model, application, "late.pdf", files.pdf(), "plan").status_code == 403
