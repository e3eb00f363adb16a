"""The outbox: work for the broker is a row committed with the write, so a broker outage loses nothing.

    from hubsite.core import outbox
    with transaction.atomic():
        report = GeneratedReport.objects.create(...)
        outbox.enqueue("reports.generate_regional_report", report.pk)

After commit the message is published once, without retries (a dead broker costs a request about a
second, see the CELERY_* timeouts in settings), and the row is marked sent. Whatever was not sent is
published by ``sweep``: beat runs it every minute (hubsite/core/migrations/0003_outbox.py) and every worker
asks for one when it starts. Rows are taken with ``select_for_update(skip_locked=True)``, so the
publisher after commit and a sweep never publish the same row; a message can still arrive twice (the
broker redelivers after a lost worker, a publish whose row update failed), which is why every task
is idempotent, and why side effects that are not (an invitation e-mail) use ``once=True``.

Results are never stored for outbox work (``ignore_result``): its outcome lives in the database, and
asking Celery to listen for a result would contact the result backend (Redis too) on publish.
"""

from __future__ import annotations

import datetime
import logging
import time

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# Stored in beat's schedule and in outbox rows: stable names, not module paths.
RUN_ONCE = "hubsite.outbox.run_once"
SWEEP = "hubsite.outbox.sweep"
# After a failed publish this process leaves new messages to the sweep for a few seconds instead of
# waiting on the broker in every request (one connect timeout, then none, until the pause is over).
PAUSE_AFTER_FAILURE = 5.0
# A `once` message published but not done this long after (its worker died, the broker lost it) is
# published again, up to MAX_ATTEMPTS publications in all.
REDELIVER_AFTER = datetime.timedelta(minutes=15)
MAX_ATTEMPTS = 10

_paused_until = 0.0


def enqueue(task, *args, once: bool = False, **kwargs):
    """Record ``task(*args, **kwargs)`` in the current transaction; publish it once it commits.

    ``task`` is a Celery task or its registered name; arguments must be JSON (ids, not objects).
    """
    from hubsite.core.models import OutboxMessage

    message = OutboxMessage.objects.create(
        task=getattr(task, "name", task), args=list(args), kwargs=kwargs, once=once
    )
    # robust: whatever happens while publishing, the write has committed and the request succeeds.
    transaction.on_commit(lambda: publish_after_commit(message.pk), robust=True)
    return message


def publish_after_commit(message_id: int) -> bool:
    if time.monotonic() < _paused_until:
        return False
    return publish(ids=[message_id]) == 1


def publish(ids=None, limit: int | None = None) -> int:
    """Publish unsent messages (these ``ids``, or the oldest ``limit``); stop at the first failure.

    Returns how many were published. Each row is locked while it is published and marked sent in
    the same transaction.
    """
    from hubsite.core.models import OutboxMessage

    global _paused_until
    limit = limit or settings.OUTBOX_BATCH_SIZE
    published = 0
    with transaction.atomic():
        rows = OutboxMessage.objects.select_for_update(skip_locked=True).filter(sent_at__isnull=True)
        if ids is not None:
            rows = rows.filter(pk__in=ids)
        for message in rows.order_by("pk")[:limit]:
            if not _send(message):
                _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
                break
            published += 1
    return published


def _send(message) -> bool:
    from celery import current_app as app

    message.attempts += 1
    if getattr(settings, "OUTBOX_EAGER", False):
        return _run_here(message)
    try:
        if message.once:
            app.send_task(RUN_ONCE, args=[message.pk], ignore_result=True, retry=False)
        else:
            app.send_task(
                message.task, args=message.args, kwargs=message.kwargs, ignore_result=True, retry=False
            )
    except Exception as error:  # the broker is down or unreachable: the sweep tries again
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.save(update_fields=["attempts", "last_error"])
        logger.warning("broker unavailable; outbox message %s left for the sweep: %s", message.pk, error)
        return False
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["attempts", "last_error", "sent_at"])
    return True


def _task(app, name: str):
    if name not in app.tasks:
        app.loader.import_default_modules()  # autodiscovery is lazy outside a worker
    return app.tasks[name]


def _run_here(message) -> bool:
    """Tests without a worker (the `outbox_eager` fixture): run the task in this process instead."""
    from celery import current_app as app

    message.sent_at = timezone.now()
    message.save(update_fields=["attempts", "sent_at"])
    if message.once:
        _task(app, RUN_ONCE).apply(args=[message.pk], throw=True)
    else:
        _task(app, message.task).apply(args=message.args, kwargs=message.kwargs, throw=True)
    return True


def redeliver_stuck(now: datetime.datetime | None = None) -> int:
    """Make `once` messages that were published but never done unsent again (the sweep sends them)."""
    from hubsite.core.models import OutboxMessage

    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        once=True,
        done_at__isnull=True,
        sent_at__lt=now - REDELIVER_AFTER,
        attempts__lt=MAX_ATTEMPTS,
    ).update(sent_at=None)


@shared_task(name=SWEEP, ignore_result=True)
def sweep() -> int:
    """Publish everything unsent, oldest first, in batches; stops when the broker refuses."""
    redeliver_stuck()
    total = 0
    while True:
        published = publish()
        total += published
        if published < settings.OUTBOX_BATCH_SIZE:
            return total


@shared_task(name=RUN_ONCE, bind=True, ignore_result=True, max_retries=5)
def run_once(self, message_id: int) -> str:
    """Run a `once` message's task here, under its row's lock; a second delivery finds it done."""
    from hubsite.core.models import OutboxMessage

    failure = None
    with transaction.atomic():
        # Waits for the lock: the publisher holds it until its transaction commits, and a second
        # delivery running at the same time must find the first one's done_at, not skip ahead.
        message = (
            OutboxMessage.objects.select_for_update().filter(pk=message_id, done_at__isnull=True).first()
        )
        if message is None:
            return "done or running"
        task = _task(self.app, message.task)
        try:
            with transaction.atomic():
                task(*message.args, **message.kwargs)
        except Exception as error:
            failure = error
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            message.save(update_fields=["last_error"])
        else:
            message.done_at = timezone.now()
            message.last_error = ""
            message.save(update_fields=["done_at", "last_error"])
            return "done"
    logger.warning("outbox message %s (%s) failed: %s", message_id, message.task, failure)
    raise self.retry(exc=failure, countdown=min(60 * 2**self.request.retries, 3600))
