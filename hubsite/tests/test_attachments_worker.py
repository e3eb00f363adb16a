"""Thumbnails on a real Celery worker: made after the upload commits, once however often asked."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hubsite.core.attachments.tasks import make_thumbnail
from hubsite.core.models import Attachment
from hubsite.tests import attachment_files as files
from reports.models import MonthlyReport
from tests.polling import wait_for
from tests.worker_queue import results, wait_until_idle

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media_root(settings, tmp_path, monkeypatch):
    """Attachments go to a temporary MEDIA_ROOT, in this process and in the worker started after."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    monkeypatch.setenv("MEDIA_ROOT", str(root))
    return root


@pytest.fixture
def worker(media_root, celery_worker_process):
    return celery_worker_process


def test_the_worker_makes_the_thumbnail_of_an_uploaded_photo_exactly_once(
    worker, media_root, client_for, partner, org_a, centre_a
):
    report = MonthlyReport.objects.create(organisation=org_a, month=datetime.date(2024, 3, 1))
    response = client_for(partner).post(
        reverse("attachments:add", args=["reports.monthlyreport", report.pk]),
        {"kind": "photo", "centre": centre_a.pk, "file": SimpleUploadedFile("IMG_0002.jpg", files.photo())},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    # The upload's own message (published after commit) plus two more, as a redelivery would send.
    sent = [make_thumbnail.delay(attachment.pk) for _ in range(2)]
    assert set(results(sent, timeout=60)) <= {"made", "already made"}
    wait_until_idle(worker)

    attachment = wait_for(lambda: Attachment.objects.exclude(thumbnail="").first(), what="the thumbnail")
    thumbnails = list((media_root / "attachments" / "thumbnails").rglob("*.jpg"))
    assert [path.name for path in thumbnails] == [attachment.thumbnail.name.rsplit("/", 1)[1]]
    response = client_for(partner).get(reverse("attachments:thumbnail", args=[attachment.pk]))
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
