"""The body of every daily reminder task (README: Reminders): an app's ``reminders.sweep`` at a moment.

Beat and tests call the tasks with plain JSON arguments; this turns them into what a sweep takes, so
each app's task is one line and the tasks cannot drift apart.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.utils.dateparse import parse_datetime


def run_sweep(
    sweep: Callable[..., dict],
    now: str | None = None,
    batch_size: int | None = None,
    delay_seconds: float = 0,
) -> dict:
    """Run ``sweep`` at ``now`` (ISO date-time; default: the present) and return its counts.

    ``delay_seconds`` (tests only) sleeps after every batch, so a test can kill the worker mid-sweep.
    """
    pause = (lambda: time.sleep(delay_seconds)) if delay_seconds else None
    return sweep(parse_datetime(now) if now else None, batch_size=batch_size, pause=pause)
