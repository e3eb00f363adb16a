"""Celery tasks of the meetings app: the daily reminder sweep (beat, see docs/reminders.md)."""

import time

from celery import shared_task
from django.utils.dateparse import parse_datetime


@shared_task
def send_meeting_reminders(
    now: str | None = None, batch_size: int | None = None, delay_seconds: float = 0
) -> dict:
    """Create and e-mail every meeting and action-item reminder due at ``now`` (ISO date-time).

    Idempotent: run twice, or retried after the worker died, it creates each reminder once.
    ``delay_seconds`` (tests only) sleeps after every batch, so a test can kill the worker mid-sweep.
    """
    from . import reminders

    pause = (lambda: time.sleep(delay_seconds)) if delay_seconds else None
    return reminders.sweep(parse_datetime(now) if now else None, batch_size=batch_size, pause=pause)
