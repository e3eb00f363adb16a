"""Generated reports on a real Celery worker and real Redis: end to end, a repeated task, a killed worker."""

import datetime
import json

import pytest
from django.urls import reverse

from hubsite.core.models import Notification
from reports.choices import ReportStatus
from reports.models import GeneratedReport
from reports.regional.choices import GenerationStatus
from reports.regional.generate import STEP_DELAY_ENV
from reports.regional.tasks import generate_regional_report
from reports.tests.factories import make_report
from tests.polling import wait_for
from tests.worker_queue import results, wait_until_idle

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _done(pk):
    return lambda: GeneratedReport.objects.filter(pk=pk, status__in=["done", "failed"]).first()


def _files(media_root, report):
    folder = media_root / "regional-reports" / str(report.pk)
    return sorted(p.suffix for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def data(indicators, org_a, centre_a):
    make_report(org_a, datetime.date(2024, 3, 1), status=ReportStatus.APPROVED)


def test_a_requested_report_is_generated_by_the_worker_and_the_requester_notified(
    data, regional_worker, media_root, client_for, hub_staff
):
    response = client_for(hub_staff).post(
        reverse("reports:regional_list"), {"period_kind": "quarter", "period": "2024-03", "scope": "region"}
    )
    assert response.status_code == 302
    report = wait_for(_done(GeneratedReport.objects.get().pk), timeout=90, what="the report")
    assert report.status == GenerationStatus.DONE, report.failure_reason
    assert _files(media_root, report) == [".pdf", ".xlsx"]
    assert (media_root / report.pdf.name).read_bytes()[:4] == b"%PDF"
    notification = Notification.objects.get(recipient=hub_staff, kind="reports.regional_ready")
    assert report.title in notification.subject


def test_the_task_sent_twice_generates_one_set_of_files(data, regional_worker, media_root, hub_staff):
    report = GeneratedReport.objects.create(
        period_kind="month", period_start=datetime.date(2024, 3, 1), scope="region", requested_by=hub_staff
    )
    sent = [generate_regional_report.delay(report.pk) for _ in range(2)]
    # The queue has one worker process: the second delivery runs after the first and finds it done.
    assert results(sent, timeout=90) == ["done", "already done"]
    wait_until_idle(regional_worker)  # the requester's e-mail too
    report.refresh_from_db()
    assert (report.status, report.attempts) == (GenerationStatus.DONE, 1)
    assert _files(media_root, report) == [".pdf", ".xlsx"]
    assert Notification.objects.filter(kind="reports.regional_ready").count() == 1


def _redeliver_unacked(queue: str) -> int:
    """What Redis does once the visibility timeout (an hour by default) has passed: put the messages a
    dead worker had taken but not acknowledged back on their queue. Only this test's queue."""
    from hubsite.celery import app

    restored = 0
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        client = channel.client
        for tag, payload in client.hgetall(channel.unacked_key).items():
            _message, _exchange, routing_key = json.loads(payload)
            if routing_key == queue:
                channel.qos.restore_by_tag(tag, leftmost=True)
                restored += 1
    return restored


def test_a_report_whose_worker_was_killed_is_finished_once_after_a_restart(
    data, regional_worker, media_root, hub_staff, monkeypatch
):
    worker = regional_worker
    worker.stop()
    monkeypatch.setenv(STEP_DELAY_ENV, "1.5")  # slow and deterministic: each step sleeps 1.5 s
    worker.start()
    report = GeneratedReport.objects.create(
        period_kind="quarter", period_start=datetime.date(2024, 1, 1), scope="region", requested_by=hub_staff
    )
    generate_regional_report.delay(report.pk)
    wait_for(
        lambda: GeneratedReport.objects.filter(pk=report.pk, status="running", progress__gte=25).exists(),
        timeout=90,
        what="the run to start",
    )
    worker.kill()  # SIGKILL while the task runs: no acknowledgement was sent
    report.refresh_from_db()
    assert report.status == GenerationStatus.RUNNING and report.attempts == 1
    assert _files(media_root, report) == []

    assert _redeliver_unacked(worker.queue_name) == 1
    monkeypatch.setenv(STEP_DELAY_ENV, "0")
    worker.start()
    finished = wait_for(_done(report.pk), timeout=90, what="the retried report")
    assert finished.status == GenerationStatus.DONE
    assert finished.attempts == 2
    assert _files(media_root, finished) == [".pdf", ".xlsx"]
    assert Notification.objects.filter(kind="reports.regional_ready", recipient=hub_staff).count() == 1
