"""Run the suite at a chosen instant: ``HUBSITE_TEST_NOW=2026-12-31T23:30:00+08:00 pytest``.

Bugs that depend on the calendar (the first days of a month, the turn of the year, 29 February, the
hours when the UTC date is not yet the Shanghai date) hide on most days of the year. With the variable
set, every test (its fixtures included) and the collection start at that instant, with the clock
ticking from there, so ``date.today()``, ``timezone.now()`` and ``timezone.localdate()`` move together.
Each test starts again at the same instant: a long run at 23:30 never drifts past midnight halfway.

A zone in brackets after the instant, ``2026-12-31T16:30:00+00:00[UTC]`` (RFC 9557's annotation), also
sets the process's system time zone, as on a server whose clock runs in UTC: code that asks
``date.today()`` or ``datetime.now()`` instead of Django's ``timezone`` then disagrees with the local
date and fails there.

A Celery worker subprocess and Chromium cannot follow a clock set inside this process, so tests marked
``browser`` or ``celery_worker`` are deselected in this mode. Every run, set or not, refuses a test that
starts a worker or a browser without its marker, so none slips past that deselection.
"""

import datetime
import os
import re
import zoneinfo

import pytest
import time_machine

NOW_VARIABLE = "HUBSITE_TEST_NOW"
OUT_OF_PROCESS = {
    # marker: fixtures that start something this process's clock cannot reach
    "celery_worker": {"celery_worker_process", "regional_worker"},
    "browser": {"browser", "page_factory"},
}
_ANNOTATED = re.compile(r"^(?P<instant>[^\[]+)\[(?P<zone>[^\]]+)\]$")


def destination(value=None):
    """The instant ``HUBSITE_TEST_NOW`` names (aware, in the bracketed zone if any), or None."""
    value = os.environ.get(NOW_VARIABLE, "") if value is None else value
    value = value.strip()
    if not value:
        return None
    zone = None
    annotated = _ANNOTATED.match(value)
    if annotated:
        value, zone = annotated["instant"], annotated["zone"]
    try:
        instant = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise pytest.UsageError(f"{NOW_VARIABLE}={value!r} is not an ISO 8601 date and time") from error
    if instant.tzinfo is None:
        raise pytest.UsageError(f"{NOW_VARIABLE} needs a UTC offset (e.g. +08:00): {value!r} has none")
    if zone:
        try:
            # time-machine sets TZ for the travel when the instant carries a ZoneInfo.
            instant = instant.astimezone(zoneinfo.ZoneInfo(zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            raise pytest.UsageError(f"{NOW_VARIABLE}: unknown time zone {zone!r}") from error
    return instant


def pytest_configure(config):
    config._hubsite_clock = destination()


def pytest_report_header(config):
    instant = config._hubsite_clock
    if instant is None:
        return None
    zone = getattr(instant.tzinfo, "key", None)
    system = f", system time zone {zone}" if zone else ""
    return f"clock: every test starts at {instant.isoformat()}{system} (browser and worker tests deselected)"


def _travelling(config):
    instant = config._hubsite_clock
    return time_machine.travel(instant, tick=True) if instant is not None else None


@pytest.hookimpl(wrapper=True)
def pytest_collection(session):
    # Parametrize values and module constants are computed at import: give them the same date.
    travel = _travelling(session.config)
    if travel is None:
        return (yield)
    with travel:
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    travel = _travelling(item.config)
    if travel is None:
        return (yield)
    with travel:
        return (yield)


def pytest_collection_modifyitems(config, items):
    unmarked = []
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        for marker, starters in OUT_OF_PROCESS.items():
            if fixtures & starters and item.get_closest_marker(marker) is None:
                unmarked.append(
                    f"{item.nodeid} uses {', '.join(sorted(fixtures & starters))}: mark it {marker}"
                )
    if unmarked:
        raise pytest.UsageError("tests without the marker their fixtures need:\n  " + "\n  ".join(unmarked))

    if config._hubsite_clock is None:
        return
    kept, deselected = [], []
    for item in items:
        out = any(item.get_closest_marker(marker) for marker in OUT_OF_PROCESS)
        (deselected if out else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
