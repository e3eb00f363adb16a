"""The clock that `make test-dates` sets (tests/clock.py), and no code asking the system zone for today."""

import ast
import datetime
import os
import pathlib

import pytest
import time_machine
from django.utils import timezone

from tests.clock import destination

ROOT = pathlib.Path(__file__).resolve().parent.parent
APPS = [
    "hubsite",
    "partners",
    "reports",
    "meetings",
    "mutualaid",
    "training",
    "imports",
    "tests",
    "conftest.py",
]
# Naive "now" in the process's system zone is not Shanghai's for eight hours a day when the server's
# clock runs in UTC: timezone.localdate() / timezone.now() are the project's words.


def test_an_instant_with_an_offset_keeps_the_system_zone():
    instant = destination("2026-12-31T23:30:00+08:00")
    assert instant == datetime.datetime(2026, 12, 31, 15, 30, tzinfo=datetime.UTC)
    with time_machine.travel(instant, tick=False):
        assert timezone.localdate() == datetime.date.today() == datetime.date(2026, 12, 31)
        assert timezone.localtime().hour == 23


def test_a_bracketed_zone_also_sets_the_system_zone():
    zone_before = os.environ.get("TZ")
    with time_machine.travel(destination("2027-12-31T16:30:00+00:00[UTC]"), tick=False):
        # Shanghai is in the new year, a server clock in UTC is not: the dates that code must not mix.
        assert timezone.localdate() == datetime.date(2028, 1, 1)
        assert datetime.date.today() == datetime.date(2027, 12, 31)
    assert os.environ.get("TZ") == zone_before  # the run's own zone comes back (it may be [UTC] too)


@pytest.mark.parametrize(
    "value", ["2026-12-31T23:30:00", "31/12/2026", "2026-12-31T16:30:00+00:00[Mars/Base]"]
)
def test_an_instant_without_offset_or_with_an_unknown_zone_is_refused(value):
    with pytest.raises(pytest.UsageError):
        destination(value)


def test_an_unset_clock_is_none():
    assert destination("") is None


def test_every_test_starts_at_the_instant_of_hubsite_test_now_or_on_the_real_clock():
    instant = destination()
    if instant is None:
        assert not time_machine.escape_hatch.is_travelling()
    else:
        # Ticking since this test started: well under a minute, whatever ran before it.
        assert datetime.timedelta(0) <= timezone.now() - instant < datetime.timedelta(minutes=1)


def _system_zone_calls(source: str):
    """Lines calling date.today(), datetime.today(), datetime.now() without a zone, or utcnow()."""
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        name = node.func.attr
        if (
            (owner_name in {"date", "datetime"} and name == "today")
            or (owner_name == "datetime" and name == "now" and not node.args and not node.keywords)
            or name == "utcnow"
        ):
            yield node.lineno


def test_no_code_asks_the_system_zone_for_today():
    offenders = []
    for top in APPS:
        path = ROOT / top
        for file in [path] if path.is_file() else path.rglob("*.py"):
            if "migrations" in file.parts or file == pathlib.Path(__file__).resolve():
                continue  # this file compares the two on purpose
            source = file.read_text()
            lines = source.splitlines()
            for number in _system_zone_calls(source):
                offenders.append(f"{os.path.relpath(file, ROOT)}:{number}: {lines[number - 1].strip()}")
    assert offenders == [], "use timezone.localdate() / timezone.now():\n" + "\n".join(offenders)


def test_the_check_finds_each_way_of_asking():
    source = "date.today()\ndatetime.datetime.now()\ndatetime.utcnow()\ndatetime.now(tz)\ntimezone.now()\n"
    assert list(_system_zone_calls(source)) == [1, 2, 3]
