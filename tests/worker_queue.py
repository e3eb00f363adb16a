"""Knowing that a real Celery worker (the ``celery_worker_process`` fixture) has nothing left to do.

"Sent once when enqueued twice" is only proven once every copy of the task, and every task those
copies enqueued, has finished: a count taken while the second copy still waits in the queue passes
whether or not the code is idempotent. Sleeping "long enough" is a guess that a slow machine loses;
these helpers ask the broker and the worker instead.
"""

import json
import os
import time


def pending(worker) -> list[str]:
    """What the worker still has to do: messages waiting in its queue, taken from it but not yet
    acknowledged (tasks acknowledge late, so a running task counts here), and what the worker itself
    reports as running, prefetched or scheduled for later (a retry's countdown). Empty when idle."""
    from hubsite.celery import app

    queue = worker.queue_name
    left = []
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        client = channel.client
        waiting = sum(client.llen(channel._q_for_pri(queue, step)) for step in channel.priority_steps)
        if waiting:
            left.append(f"{waiting} waiting in {queue}")
        unacked = sum(1 for payload in client.hvals(channel.unacked_key) if json.loads(payload)[2] == queue)
        if unacked:
            left.append(f"{unacked} taken, not acknowledged")
    node = f"{queue}@{os.uname().nodename}"
    inspect = app.control.inspect(destination=[node], timeout=1.0)
    for state in ("active", "reserved", "scheduled"):
        replies = getattr(inspect, state)()
        if not replies or node not in replies:
            left.append(f"no answer from the worker about {state} tasks")
        elif replies[node]:
            names = ", ".join(
                task.get("name") or task.get("request", {}).get("name", "?") for task in replies[node]
            )
            left.append(f"{state}: {names}")
    return left


def wait_until_idle(worker, timeout: float = 60) -> None:
    """Poll until the worker has nothing pending on two polls in a row, or fail at the deadline.

    Two in a row: a message the worker has just popped from the queue but not yet registered as
    unacknowledged is invisible for a moment; it shows on the next poll as running.
    """
    deadline = time.monotonic() + timeout
    quiet = 0
    left: list[str] = []
    while time.monotonic() < deadline:
        left = pending(worker)
        quiet = 0 if left else quiet + 1
        if quiet == 2:
            return
        time.sleep(0.2)
    raise AssertionError(f"the worker still had work after {timeout} s: {'; '.join(left)}")


def results(async_results, timeout: float = 60) -> list:
    """The return values of tasks sent with ``.delay()``, waiting on each (and re-raising its error)."""
    return [result.get(timeout=timeout) for result in async_results]
