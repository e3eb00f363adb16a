"""Waiting for something another process does: poll with a deadline, never sleep a fixed time."""

import time


def wait_for(predicate, timeout: float = 20, what: str = "condition", interval: float = 0.05):
    """Return ``predicate()``'s first true value, or fail once ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
