"""The outbox: work for the broker is committed with the write, published after commit, and swept
when the broker was down. A dead broker here is a real address nothing listens on."""

import contextlib
import time

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from hubsite.core import outbox
from hubsite.core.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit runs and publishes for real


def _fresh_broker_pools(app):
    # Celery keeps its connection and producer pools (kombu's registry, keyed by connection): without
    # a reset they would go on using the old address, or stay closed.
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def broker_down(tmp_path):
    from hubsite.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = f"redis+socket://{tmp_path}/nobody-home.sock?db=0"
    _fresh_broker_pools(app)
    try:
        yield
    finally:
        app.conf.broker_url = previous
        _fresh_broker_pools(app)
        outbox._paused_until = 0.0  # the next test's broker is up: no pause carried over


def test_a_regional_request_with_the_broker_down_answers_fast_and_keeps_its_message(
    client_for, hub_staff, tmp_path
):
    from reports.models import GeneratedReport

    client = client_for(hub_staff)
    with broker_down(tmp_path):
        started = time.monotonic()
        response = client.post(
            reverse("reports:regional_list"),
            {"period_kind": "quarter", "period": "2024-03", "scope": "region"},
        )
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 3, elapsed
    report = GeneratedReport.objects.get()
    assert report.status == "queued"
    message = OutboxMessage.objects.get()
    assert (message.task, message.args, message.sent_at) == (
        "reports.generate_regional_report",
        [report.pk],
        None,
    )
    assert message.attempts == 1
    assert "nobody-home.sock" in message.last_error


def test_a_rolled_back_write_leaves_no_message(hub_staff):
    with contextlib.suppress(RuntimeError), transaction.atomic():
        outbox.enqueue("hubsite.ping", "token")
        raise RuntimeError("the write failed")
    assert not OutboxMessage.objects.exists()


def test_a_message_published_after_commit_is_marked_sent_and_the_sweep_leaves_it(hub_staff):
    with transaction.atomic():
        message = outbox.enqueue("hubsite.notifications.tasks.send_pending_notification_emails")
        assert OutboxMessage.objects.get().sent_at is None  # not before the commit
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1 and message.last_error == ""
    assert outbox.publish() == 0


def test_a_stuck_once_message_is_published_again_but_not_for_ever(hub_staff):
    import datetime

    from django.utils import timezone

    long_ago = timezone.now() - outbox.REDELIVER_AFTER - datetime.timedelta(minutes=1)
    stuck = OutboxMessage.objects.create(task="partners.send_invitation_email", args=[1], once=True)
    OutboxMessage.objects.filter(pk=stuck.pk).update(sent_at=long_ago, attempts=1)
    done = OutboxMessage.objects.create(task="x", once=True, sent_at=long_ago, done_at=long_ago)
    given_up = OutboxMessage.objects.create(
        task="x", once=True, sent_at=long_ago, attempts=outbox.MAX_ATTEMPTS
    )
    recent = OutboxMessage.objects.create(task="x", once=True, sent_at=timezone.now())
    assert outbox.redeliver_stuck() == 1
    assert OutboxMessage.objects.get(pk=stuck.pk).sent_at is None
    for other in (done, given_up, recent):
        assert OutboxMessage.objects.get(pk=other.pk).sent_at is not None


@pytest.mark.celery_worker
def test_work_held_back_by_a_dead_broker_runs_once_when_the_sweep_publishes_it(
    celery_worker_process, client_for, hub_staff, org_a, tmp_path
):
    from tests.worker_queue import wait_until_idle

    with broker_down(tmp_path):
        response = client_for(hub_staff).post(
            reverse("partners:person_invite"),
            {
                "email": "new.teacher@example.org",
                "full_name": "覃老师",
                "role": "partner_staff",
                "position": "teacher",
                "organisation": org_a.pk,
            },
        )
        assert response.status_code == 302
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and message.once

    # Beat's sweep, twice (a second beat, or a sweep racing the publisher): published once.
    assert outbox.sweep() == 1
    assert outbox.sweep() == 0
    assert celery_worker_process.wait_until(
        lambda: OutboxMessage.objects.filter(pk=message.pk, done_at__isnull=False).exists()
    )
    # The same message delivered again (a broker redelivery) sends nothing more.
    from hubsite.celery import app

    app.send_task(outbox.RUN_ONCE, args=[message.pk], ignore_result=True)
    wait_until_idle(celery_worker_process)
    sent = [m for m in celery_worker_process.sent_mails() if m["To"] == "new.teacher@example.org"]
    assert len(sent) == 1
    assert mail.outbox == []  # sent by the worker, not by the request
