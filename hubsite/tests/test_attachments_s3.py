"""Attachments in an S3-compatible store: a local moto server on 127.0.0.1 stands in for OSS/COS/S3.

The storage settings come from the environment as in production (``ATTACHMENTS_S3_*``, read by
hubsite/settings/base.py in a separate process); files are stored in the bucket, never under
MEDIA_ROOT, and leave only through the checked views.
"""

import datetime
import io
import json
import os
import subprocess
import sys
import uuid

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from hubsite.core.models import Attachment
from hubsite.tests import attachment_files as files
from reports.models import MonthlyReport

KEYS = {
    "ATTACHMENTS_S3_ACCESS_KEY_ID": "hubsite-test",
    "ATTACHMENTS_S3_SECRET_ACCESS_KEY": "hubsite-test-secret",
}


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def storage_from_environment(**variables) -> dict:
    """``settings.ATTACHMENTS_STORAGE`` as a fresh process computes it from these variables."""
    env = {**os.environ, **variables, "DJANGO_SETTINGS_MODULE": "hubsite.settings.test"}
    code = "import json; from django.conf import settings; print(json.dumps(settings.ATTACHMENTS_STORAGE))"
    output = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


@pytest.fixture
def bucket(s3_endpoint, settings, tmp_path):
    name = f"attachments-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["ATTACHMENTS_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["ATTACHMENTS_S3_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name)
    settings.ATTACHMENTS_STORAGE = storage_from_environment(
        ATTACHMENTS_S3_BUCKET=name,
        ATTACHMENTS_S3_ENDPOINT_URL=s3_endpoint,
        ATTACHMENTS_S3_REGION="us-east-1",
        ATTACHMENTS_S3_PREFIX="hubsite",
        **KEYS,
    )
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client.bucket_name = name
    return client


def objects(bucket) -> dict[str, bytes]:
    listed = bucket.list_objects_v2(Bucket=bucket.bucket_name).get("Contents", [])
    return {
        item["Key"]: bucket.get_object(Bucket=bucket.bucket_name, Key=item["Key"])["Body"].read()
        for item in listed
    }


def test_without_a_bucket_attachments_stay_on_the_filesystem():
    assert storage_from_environment(ATTACHMENTS_S3_BUCKET="")["BACKEND"].endswith("FileSystemStorage")


def test_a_photo_is_stored_in_the_bucket_and_read_back_only_through_the_checked_view(
    bucket,
    tmp_path,
    client_for,
    partner,
    other,
    hub_staff,
    org_a,
    centre_a,
    outbox_eager,
    django_capture_on_commit_callbacks,
):
    assert django_settings.ATTACHMENTS_STORAGE["BACKEND"] == "storages.backends.s3.S3Storage"
    report = MonthlyReport.objects.create(organisation=org_a, month=datetime.date(2024, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(partner).post(
            reverse("attachments:add", args=["reports.monthlyreport", report.pk]),
            {
                "kind": "photo",
                "centre": centre_a.pk,
                "file": SimpleUploadedFile("IMG_0003.jpg", files.photo()),
            },
        )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    stored = objects(bucket)
    # The photo and its thumbnail, under the prefix, with random names; nothing on the local disk.
    assert sorted(stored) == sorted(
        f"hubsite/{name}" for name in (attachment.file.name, attachment.thumbnail.name)
    )
    assert not (tmp_path / "media").exists()
    acl = bucket.get_object_acl(Bucket=bucket.bucket_name, Key=f"hubsite/{attachment.file.name}")
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]  # the owner's only

    download = reverse("attachments:download", args=[attachment.pk])
    served = b"".join(client_for(hub_staff).get(download).streaming_content)
    assert served == stored[f"hubsite/{attachment.file.name}"]
    image = Image.open(io.BytesIO(served))
    assert files.GPS_IFD not in image.getexif() and image.size == (1707, 2560)
    thumbnail = client_for(partner).get(reverse("attachments:thumbnail", args=[attachment.pk]))
    assert b"".join(thumbnail.streaming_content) == stored[f"hubsite/{attachment.thumbnail.name}"]
    assert client_for(other).get(download).status_code == 404
