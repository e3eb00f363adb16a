"""The report reminder sweep through a real Celery worker on real Redis: sent, sent once when the
task is enqueued twice, and sent once when the worker is killed (SIGKILL) in the middle of a sweep.

The e-mails are the worker's: its file backend writes them and ``worker.sent_mails()`` reads them.
"""

import datetime
import email.header

import pytest
from django.utils import timezone

from hubsite.core.models import Notification
from reports.tasks import send_report_reminders
from tests.worker_queue import results, wait_until_idle

pytestmark = pytest.mark.celery_worker

DUE = timezone.make_aware(datetime.datetime(2024, 4, 5, 8)).isoformat()


@pytest.fixture
def expected(org_a, org_b, centre_a, centre_b, partner, other, settings):
    """Two partner staff whose organisations have not handed in March 2024 (due 2024-04-05)."""
    # Nothing of February: its ladder is stale by April 5th with a 10-day limit. The worker reads the
    # same limit from the environment (the fixture below passes it).
    settings.REPORT_REMINDER_STALE_DAYS = 10
    return [partner.email, other.email]


def _recipients(worker):
    return sorted(address for message in worker.sent_mails() for address in [message["To"]])


@pytest.fixture
def worker_env(monkeypatch):
    monkeypatch.setenv("REPORT_REMINDER_STALE_DAYS", "10")


@pytest.fixture
def worker(worker_env, celery_worker_process):
    return celery_worker_process


def test_a_sweep_run_by_a_real_worker_emails_the_reminders(expected, worker):
    send_report_reminders.delay(now=DUE)
    assert worker.wait_until(lambda: len(worker.sent_mails()) >= 2)
    assert _recipients(worker) == sorted(expected)
    subject = worker.sent_mails()[0]["Subject"]
    assert "月报" in str(email.header.make_header(email.header.decode_header(subject)))


def test_the_same_sweep_enqueued_twice_sends_each_reminder_once(expected, worker):
    sweeps = [send_report_reminders.delay(now=DUE), send_report_reminders.delay(now=DUE)]
    # One worker process runs them in turn: the second finds every reminder already there.
    assert [sum(counts.values()) for counts in results(sweeps)] == [2, 0]
    wait_until_idle(worker)  # the e-mail tasks both sweeps enqueued have run too
    assert _recipients(worker) == sorted(expected)
    assert Notification.objects.count() == 2


@pytest.fixture
def fast_redelivery(monkeypatch):
    """A worker that gets back a message from a dead worker after 8 s instead of an hour.

    With ``task_acks_late`` the message of a killed worker stays "unacked" in Redis; kombu hands it
    out again once it is older than the visibility timeout, checking every restore interval.
    """
    monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", "8")
    monkeypatch.setenv("CELERY_UNACKED_RESTORE_INTERVAL", "1")
    monkeypatch.setenv("CELERY_UNACKED_RESTORE_THROTTLE", "1")


@pytest.fixture
def slow_worker(worker_env, fast_redelivery, celery_worker_process):
    return celery_worker_process


def test_a_sweep_killed_mid_task_is_redelivered_and_sends_each_reminder_exactly_once(
    org_a, centre_a, make_user, settings, slow_worker
):
    settings.REPORT_REMINDER_STALE_DAYS = 10
    people = sorted(make_user(f"staff{n}@example.org", "partner_staff", org_a).email for n in range(6))
    # Batches of 2 with a 1.5 s pause after each: the first batch is committed when the kill comes.
    send_report_reminders.delay(now=DUE, batch_size=2, delay_seconds=1.5)
    assert slow_worker.wait_until(lambda: Notification.objects.exists(), timeout=20)
    slow_worker.kill()
    assert 0 < Notification.objects.count() < 6  # killed half-way through the sweep
    assert slow_worker.sent_mails() == []  # the e-mails go out only at the end of a sweep

    slow_worker.start()
    assert slow_worker.wait_until(lambda: len(slow_worker.sent_mails()) >= 6, timeout=60)
    wait_until_idle(slow_worker)
    assert _recipients(slow_worker) == people
    assert Notification.objects.count() == 6
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}
