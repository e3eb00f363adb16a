"""Large exports go to the worker (issue #19: no request over 3 s); small ones stay in the request."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from hubsite.core.exportjobs.build import run
from hubsite.core.exportjobs.models import ExportJob, ExportStatus
from hubsite.core.models import Notification
from reports.tests.factories import submitted


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def media_root(settings, tmp_path, monkeypatch):
    """Files go to a temporary MEDIA_ROOT, in this process and in a worker started after."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    monkeypatch.setenv("MEDIA_ROOT", str(root))
    return root


@pytest.fixture
def year_of_reports(org_a, org_b, centre_a, centre_b):
    from reports.defaults import load_default_indicators
    from reports.models import Indicator

    # A transactional test (the worker's) flushes what the data migration loaded.
    load_default_indicators(Indicator)
    return [submitted(org, datetime.date(2024, month, 1)) for org in (org_a, org_b) for month in (1, 2, 3)]


@pytest.mark.django_db
def test_a_small_figures_export_is_still_written_in_the_request(
    client_for, hub_staff, year_of_reports, centre_a, media_root
):
    response = client_for(hub_staff).get(reverse("reports:figures_export"), {"year": 2024, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert any(row[3] == centre_a.name for row in _csv(response.content)[1:])
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_a_small_list_export_is_still_written_in_the_request(client_for, hub_staff, year_of_reports, org_a):
    response = client_for(hub_staff).get(reverse("reports:review_queue"), {"_export": "csv"})
    assert response.status_code == 200
    assert org_a.name in {cell for row in _csv(response.content)[1:] for cell in row}
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_a_large_export_becomes_a_job_of_the_requester_that_others_cannot_see(
    client_for, hub_staff, hub_admin, partner, year_of_reports, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    with django_capture_on_commit_callbacks() as published:
        response = client_for(hub_staff).get(
            reverse("reports:figures_export"), {"year": 2024, "format": "xlsx"}
        )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:detail", args=[job.pk])
    assert (job.requested_by, job.format, job.status) == (hub_staff, "xlsx", ExportStatus.QUEUED)
    assert job.path == reverse("reports:figures_export") and "year=2024" in job.query
    assert job.estimated_rows == 6
    assert len(published) == 1  # the task leaves once the job row has committed

    # Asking again while it is queued gives the same job, not a second file.
    again = client_for(hub_staff).get(reverse("reports:figures_export"), {"year": 2024, "format": "xlsx"})
    assert ExportJob.objects.count() == 1 and again["Location"] == response["Location"]

    page = client_for(hub_staff).get(response["Location"])
    # Says why there is no file yet, and how big it will be.
    assert "此次导出约有 6 行，将在后台生成" in page.content.decode()
    assert client_for(hub_staff).get(reverse("exports:status", args=[job.pk])).json() == {
        "status": "queued",
        "progress": 0,
    }
    for user in (hub_admin, partner):
        for name in ("exports:detail", "exports:status", "exports:download"):
            assert client_for(user).get(reverse(name, args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_job_built_twice_stores_one_file_and_tells_the_requester_once(
    client_for, hub_staff, year_of_reports, org_a, settings, media_root
):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    client_for(hub_staff).get(reverse("reports:figures_export"), {"year": 2024, "format": "csv"})
    job = ExportJob.objects.get()
    assert run(job.pk) == "done"
    assert run(job.pk) == "already done"
    job.refresh_from_db()
    assert (job.status, job.progress, job.file_name) == (ExportStatus.DONE, 100, "report-figures-2024.csv")
    assert len(list(media_root.rglob("*.csv"))) == 1
    assert Notification.objects.filter(recipient=hub_staff, kind="hubsite.export_ready").count() == 1
    rows = _csv(
        b"".join(client_for(hub_staff).get(reverse("exports:download", args=[job.pk])).streaming_content)
    )
    assert org_a.name in {row[2] for row in rows[1:]}


@pytest.mark.django_db
def test_a_job_whose_requester_lost_access_fails_without_a_file(
    client_for, partner, year_of_reports, settings, media_root
):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    client_for(partner).get(reverse("reports:figures_export"), {"year": 2024, "format": "csv"})
    job = ExportJob.objects.get()
    partner.is_active = False
    partner.save()
    assert run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and not job.file
    assert not list(media_root.rglob("*.csv"))


@pytest.mark.django_db
def test_the_job_page_and_its_status_cost_a_fixed_number_of_queries(
    client_for, hub_staff, year_of_reports, settings, django_assert_num_queries
):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    client = client_for(hub_staff)
    client.get(reverse("reports:figures_export"), {"year": 2024})
    job = ExportJob.objects.get()
    client.get(reverse("exports:detail", args=[job.pk]))  # warm the session and the user
    with django_assert_num_queries(4):
        client.get(reverse("exports:detail", args=[job.pk]))
    with django_assert_num_queries(4):
        client.get(reverse("exports:status", args=[job.pk]))


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_a_large_export_and_only_the_requester_downloads_it(
    media_root,
    celery_worker_process,
    client_for,
    hub_staff,
    hub_admin,
    year_of_reports,
    settings,
    centre_a,
    centre_b,
):
    from tests.polling import wait_for
    from tests.worker_queue import wait_until_idle

    settings.EXPORT_SYNC_MAX_ROWS = 2
    client = client_for(hub_staff)
    response = client.get(reverse("reports:figures_export"), {"year": 2024, "format": "csv"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    wait_for(
        lambda: ExportJob.objects.filter(pk=job.pk, status=ExportStatus.DONE).exists(),
        timeout=60,
        what="the worker to build the export",
    )
    wait_until_idle(celery_worker_process)
    assert client.get(reverse("exports:status", args=[job.pk])).json() == {"status": "done", "progress": 100}
    page = client.get(response["Location"]).content.decode()
    assert reverse("exports:download", args=[job.pk]) in page
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download["Content-Type"].startswith("text/csv")
    rows = _csv(b"".join(download.streaming_content))
    # Both organisations' centres, three months each: the whole network the hub may see.
    centre_rows = [row[:4] for row in rows[1:] if row[3] in (centre_a.name, centre_b.name)]
    assert len(centre_rows) == 6 and {row[0] for row in centre_rows} == {"2024-01", "2024-02", "2024-03"}
    assert client_for(hub_admin).get(reverse("exports:download", args=[job.pk])).status_code == 404
