"""The activity supply library carries its materials: the provider attaches plans and photos to its
listing, and every partner who reads the listing opens them (a photo of children only once the
parents' consent is recorded); only the provider and the hub add or change them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hubsite.core.models import Attachment, AttachmentKind
from hubsite.tests import attachment_files as files
from mutualaid.choices import ActivityKind
from mutualaid.models import Activity

MODEL = "mutualaid.activity"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def activity(org_a, director):
    return Activity.objects.create(
        organisation=org_a,
        created_by=director,
        kind=ActivityKind.PARENT_WORKSHOP,
        title="亲子绘本共读工作坊",
        description="两小时的家长工作坊，含流程和物料清单。",
        capacity=20,
    )


def attach(client, obj, name, content, kind, **flags):
    return client.post(
        reverse("attachments:add", args=[MODEL, obj.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content), **flags},
    )


def test_the_provider_attaches_a_plan_and_another_organisation_reads_it_on_the_listing(
    client_for, director, other, hub_staff, activity
):
    response = attach(client_for(director), activity, "工作坊方案.pdf", files.pdf(), AttachmentKind.PLAN)
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    plan = Attachment.objects.get()
    assert plan.organisation_id == activity.organisation_id
    page = client_for(other).get(activity.get_absolute_url()).content.decode()
    assert "工作坊方案.pdf" in page and reverse("attachments:download", args=[plan.pk]) in page
    download = client_for(other).get(reverse("attachments:download", args=[plan.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    # Reading is not adding: no button for the other organisation, and its upload is refused.
    assert reverse("attachments:add", args=[MODEL, activity.pk]) not in page
    assert attach(client_for(other), activity, "x.pdf", files.pdf(), AttachmentKind.PLAN).status_code == 403
    assert client_for(hub_staff).get(reverse("attachments:download", args=[plan.pk])).status_code == 200


def test_a_photo_of_children_reaches_other_organisations_only_with_consent(
    client_for, director, other, partner, activity
):
    attach(
        client_for(director),
        activity,
        "现场.jpg",
        files.photo(600, 400),
        AttachmentKind.PHOTO,
        shows_children="on",
    )
    photo = Attachment.objects.get()
    assert photo.needs_consent
    url = reverse("attachments:download", args=[photo.pk])
    assert client_for(other).get(url).status_code == 404
    assert "现场.jpg" not in client_for(other).get(activity.get_absolute_url()).content.decode()
    assert client_for(partner).get(url).status_code == 200  # the provider's own people
    client_for(director).post(
        reverse("attachments:consent", args=[photo.pk]), {"shows_children": "on", "consent_recorded": "on"}
    )
    photo.refresh_from_db()
    assert photo.consent_recorded
    assert client_for(other).get(url).status_code == 200


def test_other_owners_files_stay_with_their_organisation(client_for, director, other, org_a):
    """Sharing is the library's alone: a report's photo is still internal to its organisation."""
    from reports.models import MonthlyReport

    report = MonthlyReport.objects.create(organisation=org_a, month="2024-03-01")
    internal = Attachment.objects.create(
        owner=report,
        organisation=org_a,
        kind=AttachmentKind.SIGN_IN_SHEET,
        original_name="签到表.pdf",
        file="attachments/internal.pdf",
        mime_type="application/pdf",
        size=10,
    )
    assert not Attachment.objects.for_user(other).filter(pk=internal.pk).exists()
    assert client_for(other).get(reverse("attachments:download", args=[internal.pk])).status_code == 404


def test_viewers_never_reach_the_materials(client_for, director, viewer, activity):
    attach(client_for(director), activity, "工作坊方案.pdf", files.pdf(), AttachmentKind.PLAN)
    plan = Attachment.objects.get()
    assert client_for(viewer).get(reverse("attachments:download", args=[plan.pk])).status_code == 404


@pytest.mark.parametrize("count", [0, 3])
def test_the_listing_page_runs_a_fixed_number_of_queries(
    client_for, director, other, activity, count, django_assert_num_queries
):
    for i in range(count):
        attach(client_for(director), activity, f"方案{i}.pdf", files.pdf(), AttachmentKind.PLAN)
    client = client_for(other)
    client.get(activity.get_absolute_url())
    # session, user, activity, requests, attachments
    with django_assert_num_queries(5):
        assert client.get(activity.get_absolute_url()).status_code == 200
