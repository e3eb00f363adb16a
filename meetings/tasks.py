"""Celery tasks of the meetings app: the daily reminder sweep (beat; see README: Reminders)."""

from celery import shared_task

from hubsite.core.notifications.sweeps import run_sweep


# The name is in beat's schedule (migration hubsite/0002): it stays whatever this module is called.
@shared_task(name="meetings.tasks.send_meeting_reminders")
def send_meeting_reminders(
    now: str | None = None, batch_size: int | None = None, delay_seconds: float = 0
) -> dict:
    """Create and e-mail every meeting and action-item reminder due at ``now`` (ISO date-time).

    Idempotent: run twice, or retried after the worker died, it creates each reminder once.
    """
    from . import reminders

    return run_sweep(reminders.sweep, now, batch_size, delay_seconds)
