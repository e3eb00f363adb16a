"""An upload checked and a confirmed import written by a real Celery worker on real Redis."""

import pytest
from django.urls import reverse

from imports.choices import RunStatus
from imports.models import ImportRun
from partners.models import Organisation

from .conftest import sheet

pytestmark = pytest.mark.celery_worker


def test_a_confirmed_import_is_written_by_the_worker(
    celery_worker_process, client_for, hub_staff, prefectures
):
    worker = celery_worker_process
    client = client_for(hub_staff)
    header = ["机构全称", "地市", "状态"]
    client.post(
        reverse("imports:upload"),
        {"kind": "organisations", "file": sheet(header, [["柳州启航社会工作服务中心", "柳州市", "合作中"]])},
    )
    run = ImportRun.objects.get()
    assert worker.wait_until(lambda: ImportRun.objects.get(pk=run.pk).status == RunStatus.READY)

    client.post(reverse("imports:run_confirm", args=[run.pk]))

    assert worker.wait_until(lambda: ImportRun.objects.get(pk=run.pk).status == RunStatus.DONE)
    assert Organisation.objects.get(name="柳州启航社会工作服务中心").prefecture.name == "柳州市"
