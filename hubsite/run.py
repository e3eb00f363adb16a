"""`make run`: set up everything, then serve web, Celery worker and Celery beat in the foreground.

Ctrl-C (or SIGTERM) stops all three and the embedded services this run started, leaving no process
behind. A second run reuses var/ and its data.
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


def wait_for_port(host: str, port: int, children: list[subprocess.Popen], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and all(child.poll() is None for child in children):
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, check=True)


def main() -> int:
    # A shell that starts us in the background hands SIGINT down ignored; Ctrl-C must still stop us.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubsite.settings.local")
    started_db = not os.environ.get("DATABASE_URL") and not services.postgres_running()
    started_redis = not os.environ.get("REDIS_URL") and not services.redis_running()
    os.environ.update(services.start())

    children: list[subprocess.Popen] = []
    names: dict[int, str] = {}

    def shutdown(*_args) -> None:
        # A second Ctrl-C (or the one make and timeout pass on) must not abandon the clean-up halfway.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for child in children:
            if child.poll() is None:
                try:
                    os.killpg(child.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        if started_db:
            services.stop_postgres()
        if started_redis:
            services.stop_redis()

    try:
        manage("migrate", "--no-input", "-v", "0")
        manage("compilemessages", "--ignore", ".venv/*", "--ignore", "var/*", "-v", "0")
        manage("seed_demo", "--if-empty")
        MAIL_DIR.mkdir(parents=True, exist_ok=True)
        commands = {
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
        for name, command in commands.items():
            # Each child leads its own process group so that one signal stops it and its children.
            children.append(subprocess.Popen(command, cwd=BASE_DIR, start_new_session=True))
            names[children[-1].pid] = name
            print(f"started {name} (pid {children[-1].pid})", flush=True)
        for stop_signal in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(stop_signal, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
        # The banner comes last, once the web server answers, so it is not buried in start-up logs.
        if wait_for_port(HOST, int(PORT), children):
            print(f"\n  hubsite is running at http://{HOST}:{PORT}/\n{DEMO_LOGINS}", flush=True)
            print(f"  E-mails are written to {MAIL_DIR}/. Press Ctrl-C to stop everything.\n", flush=True)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        failed = [names[child.pid] for child in children if child.poll() is not None]
        print(f"{', '.join(failed)} stopped; stopping the rest", flush=True)
        return 1
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
