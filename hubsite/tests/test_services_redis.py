"""The embedded Redis keeps the Celery queue across a crash and a restart.

Each test runs its own throwaway Redis (the same command line as `make run`'s) in a temporary
directory: the shared embedded Redis that other processes use is never touched.
"""

import os
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

from hubsite import services
from tests.polling import wait_for


@pytest.fixture
def private_redis(monkeypatch):
    """Point the services module at a private var/ (short path: a unix socket path has a size limit)."""
    shared_socket = services.REDIS_SOCKET
    var = Path(tempfile.mkdtemp(prefix="h6r-", dir="/tmp"))
    monkeypatch.setattr(services, "VAR_DIR", var)
    monkeypatch.setattr(services, "REDIS_DIR", var / "redis")
    monkeypatch.setattr(services, "REDIS_LOG", var / "log" / "redis.log")
    monkeypatch.setattr(services, "SOCKET_DIR", var / "run")
    monkeypatch.setattr(services, "REDIS_SOCKET", var / "run" / "redis.sock")
    assert shared_socket != services.REDIS_SOCKET
    yield var
    pid_file = var / "redis" / "redis.pid"
    if pid_file.exists():
        try:
            os.kill(int(pid_file.read_text()), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass
    subprocess.run(["rm", "-rf", str(var)], check=False)


def _kill_dead(var: Path) -> None:
    """SIGKILL, as a power cut or an OOM kill: Redis gets no chance to save anything."""
    pid = int((var / "redis" / "redis.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: not _alive(pid), what="Redis to die")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed daemon stays a zombie until init reaps it; it no longer answers.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def test_the_command_line_turns_on_the_append_only_file_with_each_value_its_own_argument(tmp_path):
    command = services.redis_command(tmp_path, tmp_path / "r.sock", tmp_path / "r.log")

    def value(option):
        return command[command.index(option) + 1]

    assert value("--appendonly") == "yes"
    assert value("--appendfsync") == "everysec"
    assert value("--dir") == str(tmp_path)
    save = command.index("--save")
    assert command[save + 1 : save + 3] == ["60", "1"]
    assert not any(" " in part for part in command[1:])


def test_queued_tasks_survive_a_killed_and_restarted_redis(private_redis):
    assert services.start_redis() is True
    client = services._redis_client()
    assert client.config_get("appendonly") == {"appendonly": "yes"}
    assert client.config_get("dir")["dir"] == str(private_redis / "redis")
    client.lpush("celery", "task-1", "task-2")
    aof = private_redis / "redis" / services.REDIS_AOF
    # everysec: the write reaches the file within about a second.
    wait_for(lambda: aof.exists() and b"task-2" in aof.read_bytes(), what="the AOF to hold the write")

    _kill_dead(private_redis)
    assert not services.redis_running()
    assert services.start_redis() is True
    assert services._redis_client().lrange("celery", 0, -1) == [b"task-2", b"task-1"]
    services.stop_redis()
    wait_for(lambda: not services.redis_running(), what="Redis to stop")


def test_a_snapshot_from_before_the_append_only_file_is_loaded_once_and_kept(private_redis):
    # An older var/redis holds only dump.rdb: Redis started with AOF on would ignore it and start empty.
    redis_dir = private_redis / "redis"
    for directory in (redis_dir, private_redis / "log", private_redis / "run"):
        directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        services.redis_command(redis_dir, services.REDIS_SOCKET, services.REDIS_LOG, appendonly=False),
        check=True,
    )
    wait_for(services.redis_running, what="the old-style Redis")
    services._redis_client().lpush("celery", "queued-before-the-upgrade")
    try:
        services._redis_client().shutdown(save=True)
    except Exception:  # the server closes the connection as it shuts down
        pass
    wait_for(lambda: not services.redis_running(), what="Redis to stop")
    assert (redis_dir / "dump.rdb").exists() and not (redis_dir / services.REDIS_AOF).exists()

    assert services.start_redis() is True
    client = services._redis_client()
    assert client.lrange("celery", 0, -1) == [b"queued-before-the-upgrade"]
    assert client.config_get("appendonly") == {"appendonly": "yes"}
    wait_for(lambda: (redis_dir / services.REDIS_AOF).exists(), what="the AOF to be written")
    _kill_dead(private_redis)
    assert services.start_redis() is True
    assert services._redis_client().lrange("celery", 0, -1) == [b"queued-before-the-upgrade"]
