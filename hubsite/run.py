"""`make run`: set up everything, then serve web, Celery worker and Celery beat in the foreground.

A child that dies (a crash, an OOM kill, `kill -9` of the worker) is started again, with a logged
line each time; only a child that keeps dying quickly (``MAX_RESTARTS`` times within
``RESTART_WINDOW`` seconds) makes `make run` give up and stop the rest. Ctrl-C (or SIGTERM) stops all
three and the embedded services this run started, leaving no process behind. A second run reuses
var/ and its data; the embedded Redis keeps its queue on disk, so queued tasks survive too.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from hubsite import services

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")

DEMO_LOGINS = """
  Demo logins (password: demo-hub-2024)
    hub@example.org       hub admin
    staff@example.org     hub staff
    director@example.org  partner director
    partner@example.org   partner staff (teacher), same organisation as the director
    other@example.org     partner staff at another organisation
    viewer@example.org    viewer
"""


MAIL_DIR = BASE_DIR / "var" / "mail"
# A child that dies more than this many times within the window is broken, not unlucky.
MAX_RESTARTS = int(os.environ.get("HUBSITE_RUN_MAX_RESTARTS", "5"))
RESTART_WINDOW = float(os.environ.get("HUBSITE_RUN_RESTART_WINDOW", "60"))


class Supervisor:
    """Runs named commands, each leading its own process group, and restarts the ones that die.

    Restarts wait a little longer after each recent death (``backoff`` doubled, at most 10 s), so a
    child that fails at start-up does not spin; a child that dies more than ``max_restarts`` times
    within ``window`` seconds makes ``run`` give up.
    """

    def __init__(
        self,
        commands: dict[str, list[str]],
        *,
        cwd=None,
        max_restarts: int = MAX_RESTARTS,
        window: float = RESTART_WINDOW,
        backoff: float = 1.0,
        poll: float = 0.5,
        log=None,
    ):
        self.commands = commands
        self.cwd = cwd
        self.max_restarts = max_restarts
        self.window = window
        self.backoff = backoff
        self.poll = poll
        self.log = log or (lambda line: print(line, flush=True))
        self.processes: dict[str, subprocess.Popen] = {}
        self.deaths: dict[str, list[float]] = {name: [] for name in commands}
        self.restart_at: dict[str, float] = {}
        # Every process group ever started: a killed worker's pool processes outlive their leader.
        self.groups: list[int] = []
        self.gave_up: str | None = None

    def start(self, name: str) -> subprocess.Popen:
        process = subprocess.Popen(self.commands[name], cwd=self.cwd, start_new_session=True)
        self.processes[name] = process
        self.groups.append(process.pid)
        return process

    def start_all(self) -> None:
        for name in self.commands:
            process = self.start(name)
            self.log(f"started {name} (pid {process.pid})")

    def check(self, now: float | None = None) -> bool:
        """One pass: note the children that died, restart those whose wait is over.

        Returns False once a child has died too often (``gave_up`` names it)."""
        now = time.monotonic() if now is None else now
        # Forget emptied groups, so that stop_all never signals a group id the system has reused.
        self.groups = [group for group in self.groups if _group_alive(group)]
        for name, process in self.processes.items():
            code = process.poll()
            if code is None or name in self.restart_at:
                continue
            recent = [moment for moment in self.deaths[name] if now - moment <= self.window] + [now]
            self.deaths[name] = recent
            if len(recent) > self.max_restarts:
                self.log(
                    f"{name} exited with code {code}, {len(recent)} times within {self.window:g} s; giving up"
                )
                self.gave_up = name
                return False
            delay = min(self.backoff * 2 ** (len(recent) - 1), 10.0)
            self.restart_at[name] = now + delay
            self.log(
                f"{name} exited with code {code}; restarting in {delay:g} s "
                f"({len(recent)} of {self.max_restarts} within {self.window:g} s)"
            )
        for name, moment in list(self.restart_at.items()):
            if moment <= now:
                del self.restart_at[name]
                process = self.start(name)
                self.log(f"restarted {name} (pid {process.pid})")
        return True

    def run(self) -> int:
        """Supervise until a child gives up (returns 1); Ctrl-C raises KeyboardInterrupt to the caller."""
        while self.check():
            time.sleep(self.poll)
        return 1

    def stop_all(self, timeout: float = 15) -> None:
        """SIGTERM every process group started, then SIGKILL whatever is left after ``timeout``."""
        for group in self.groups:
            _signal_group(group, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        while time.monotonic() < deadline and any(_group_alive(group) for group in self.groups):
            time.sleep(0.1)
        for group in self.groups:
            _signal_group(group, signal.SIGKILL)
        for process in self.processes.values():
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass


def _signal_group(group: int, sig: int) -> None:
    try:
        os.killpg(group, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def wait_for_port(host: str, port: int, supervisor: Supervisor, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    # Supervising meanwhile: a child that dies during start-up is restarted here too.
    while time.monotonic() < deadline and supervisor.check():
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, check=True)


def _prepare() -> None:
    """Schema, compiled translations and (once) the demo data, before anything serves a page."""
    manage("migrate", "--no-input", "-v", "0")
    manage("compilemessages", "--ignore", ".venv/*", "--ignore", "var/*", "-v", "0")
    manage("seed_demo", "--if-empty")
    MAIL_DIR.mkdir(parents=True, exist_ok=True)


def _commands() -> dict[str, list[str]]:
    """The three processes the supervisor keeps running: web server, Celery worker and beat."""
    return {
        "web": [PYTHON, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"],
        "worker": [PYTHON, "-m", "celery", "-A", "hubsite", "worker", "-l", "info", "-c", "2"],
        "beat": [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "hubsite",
            "beat",
            "-l",
            "info",
            "--scheduler",
            "django_celery_beat.schedulers:DatabaseScheduler",
            "--pidfile=",
        ],
    }


def main() -> int:
    # A shell that starts us in the background hands SIGINT down ignored; Ctrl-C must still stop us.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubsite.settings.local")
    started_db = not os.environ.get("DATABASE_URL") and not services.postgres_running()
    started_redis = not os.environ.get("REDIS_URL") and not services.redis_running()
    os.environ.update(services.start())

    supervisor: Supervisor | None = None

    def shutdown(*_args) -> None:
        # A second Ctrl-C (or the one make and timeout pass on) must not abandon the clean-up halfway.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if supervisor is not None:
            supervisor.stop_all()
        if started_db:
            services.stop_postgres()
        if started_redis:
            services.stop_redis()

    try:
        _prepare()
        supervisor = Supervisor(_commands(), cwd=BASE_DIR)
        supervisor.start_all()
        for stop_signal in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(stop_signal, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
        # The banner comes last, once the web server answers, so it is not buried in start-up logs.
        if wait_for_port(HOST, int(PORT), supervisor):
            print(f"\n  hubsite is running at http://{HOST}:{PORT}/\n{DEMO_LOGINS}", flush=True)
            print(f"  E-mails are written to {MAIL_DIR}/. Press Ctrl-C to stop everything.\n", flush=True)
        code = supervisor.run()
        print(f"{supervisor.gave_up} keeps stopping; stopping the rest", flush=True)
        return code
    except KeyboardInterrupt:
        print("\nstopping ...", flush=True)
        return 0
    finally:
        shutdown()
        print(
            "stopped: web, worker, beat"
            + (" and the embedded services" if started_db or started_redis else "")
        )


if __name__ == "__main__":
    sys.exit(main())
