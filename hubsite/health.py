"""Readiness: can this process serve real requests? PostgreSQL, Redis and a living Celery worker.

`/healthz` stays a trivial liveness probe (and `make bench`'s ceiling); `/healthz/ready/` runs these
checks for a load balancer or a monitor. Beat runs `hubsite.tasks.heartbeat` every minute and the worker
that takes it stamps the time in Redis, so a fresh stamp proves the broker, beat and a worker all work.
Answers name the failing part and the kind of error only: exception texts carry host names and users.
"""

from __future__ import annotations

import logging
import time

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "celery-heartbeat"
OK = "ok"
# A check of a server that does not answer must not hold a probe (or a gunicorn worker) for long.
REDIS_TIMEOUT_SECONDS = 2


def _redis() -> redis.Redis:
    location = settings.CACHES["default"]["LOCATION"]
    if isinstance(location, list | tuple):
        location = location[0]
    return redis.Redis.from_url(
        location.split(",")[0],
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
    )


def _heartbeat_key() -> str:
    # The cache's own key (prefix, version), so every process on these settings meets at one key.
    return cache.make_key(HEARTBEAT_KEY)


def record_heartbeat(now: float | None = None) -> float:
    stamp = time.time() if now is None else now
    client = _redis()
    try:
        client.set(_heartbeat_key(), repr(stamp))
    finally:
        client.close()
    return stamp


def _failed(part: str, error: Exception) -> str:
    logger.warning("readiness: %s failed", part, exc_info=error)
    return f"error ({type(error).__name__})"


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return _failed("database", error)
    return OK


def check_redis_and_worker(now: float | None = None) -> tuple[str, str]:
    """(redis, worker): the heartbeat is read on the same round trip that proves Redis answers."""
    client = _redis()
    try:
        raw = client.get(_heartbeat_key())
    except Exception as error:
        return _failed("redis", error), "unknown (redis unavailable)"
    finally:
        client.close()
    if raw is None:
        return OK, "no heartbeat"
    try:
        age = (time.time() if now is None else now) - float(raw)
    except ValueError:
        return OK, "no heartbeat"
    if age > settings.WORKER_HEARTBEAT_MAX_AGE:
        return OK, f"last heartbeat {int(age)} s ago"
    return OK, OK


def readiness(now: float | None = None) -> dict[str, str]:
    redis_state, worker_state = check_redis_and_worker(now)
    return {"database": check_database(), "redis": redis_state, "worker": worker_state}
