"""`make run` restarts a child that dies and gives up only on one that keeps dying (real processes)."""

import os
import signal
import sys
import time

import pytest

from hubsite.run import Supervisor
from tests.polling import wait_for

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = f"/proc/{pid}/status"
    return not os.path.exists(status) or "State:\tZ" not in open(status).read()


@pytest.fixture
def supervisors():
    made = []

    def make(commands, **options):
        options = {"backoff": 0.05, "poll": 0.05, "window": 30, "max_restarts": 3, **options}
        lines = []
        supervisor = Supervisor(commands, log=lines.append, **options)
        supervisor.lines = lines
        made.append(supervisor)
        return supervisor

    yield make
    for supervisor in made:
        supervisor.stop_all(timeout=5)


def test_a_child_that_dies_is_restarted_and_logged_while_the_others_keep_running(supervisors):
    supervisor = supervisors({"web": SLEEPER, "worker": SLEEPER})
    supervisor.start_all()
    web, worker = supervisor.processes["web"], supervisor.processes["worker"]

    os.killpg(worker.pid, signal.SIGKILL)  # as `kill -9` of the Celery worker
    wait_for(
        lambda: supervisor.check() and supervisor.processes["worker"] is not worker,
        what="the worker to be restarted",
    )
    restarted = supervisor.processes["worker"]
    assert restarted.poll() is None and restarted.pid != worker.pid
    assert supervisor.processes["web"] is web and web.poll() is None
    assert f"worker exited with code -{signal.SIGKILL}; restarting in 0.05 s (1 of 3 within 30 s)" in (
        supervisor.lines
    )
    assert f"restarted worker (pid {restarted.pid})" in supervisor.lines
    assert supervisor.gave_up is None


def test_a_child_that_keeps_dying_quickly_makes_it_give_up_and_stop_the_rest(supervisors):
    broken = [sys.executable, "-c", "raise SystemExit(3)"]
    supervisor = supervisors({"web": SLEEPER, "beat": broken}, max_restarts=2)
    supervisor.start_all()
    web = supervisor.processes["web"]
    started = time.monotonic()
    assert supervisor.run() == 1
    assert time.monotonic() - started < 10
    assert supervisor.gave_up == "beat"
    restarts = [line for line in supervisor.lines if line.startswith("restarted beat")]
    assert len(restarts) == 2
    assert supervisor.lines[-1] == "beat exited with code 3, 3 times within 30 s; giving up"
    assert web.poll() is None  # the caller stops the rest
    supervisor.stop_all(timeout=5)
    assert web.poll() is not None


def test_deaths_further_apart_than_the_window_never_add_up(supervisors):
    dies = [sys.executable, "-c", "raise SystemExit(1)"]
    supervisor = supervisors({"worker": dies}, max_restarts=1, window=5, backoff=0)
    supervisor.start_all()
    moment = 1000.0
    for _death in range(4):
        process = supervisor.processes["worker"]
        wait_for(lambda process=process: process.poll() is not None, what="the child to exit")
        moment += 6  # each death more than a window after the last
        assert supervisor.check(now=moment) is True
        assert supervisor.processes["worker"] is not process
    assert supervisor.gave_up is None
    assert sum(line.startswith("restarted worker") for line in supervisor.lines) == 4


def test_stopping_ends_every_process_group_even_the_orphans_of_a_killed_child(supervisors, tmp_path):
    # The Celery worker's pool processes outlive a `kill -9` of the main process.
    pids = tmp_path / "pool.pid"
    spawner = [
        sys.executable,
        "-c",
        "import subprocess, sys, time\n"
        f"child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
        f"open({str(pids)!r}, 'a').write(f'{{child.pid}}\\n')\n"
        "time.sleep(120)\n",
    ]
    supervisor = supervisors({"worker": spawner, "web": SLEEPER})
    supervisor.start_all()
    first = supervisor.processes["worker"]
    wait_for(lambda: pids.exists() and len(pids.read_text().split()) == 1, what="the first pool process")
    orphan = int(pids.read_text().split()[0])
    os.kill(first.pid, signal.SIGKILL)
    wait_for(lambda: supervisor.check() and supervisor.processes["worker"] is not first, what="a restart")
    wait_for(lambda: len(pids.read_text().split()) == 2, what="the second pool process")
    second_pool = int(pids.read_text().split()[1])
    assert _alive(orphan) and _alive(second_pool)

    supervisor.stop_all(timeout=5)
    wait_for(lambda: not _alive(orphan) and not _alive(second_pool), what="every process to stop")
    assert all(process.poll() is not None for process in supervisor.processes.values())
