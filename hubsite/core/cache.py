"""Django's Redis cache, failing open: a Redis that is down or unreachable costs speed, never a page.

Everything the site keeps in the cache can be recomputed (coverage aggregates, the network's
eligibility evaluation, rate-limit counters), so an error talking to Redis is logged (at most every
``LOG_EVERY`` seconds per process, an outage must not flood the log) and the call answers as if the
cache were empty:

- ``get`` gives the default, ``get_many`` nothing, ``has_key`` False: the caller computes the value;
- ``set``/``delete``/``touch``/``*_many`` do nothing;
- ``add`` answers True: callers that take a lock with ``add`` (allauth's rate limits) go ahead instead
  of waiting for a lock that can never be granted, so login works and rate limits fail open;
- ``incr`` answers ``delta``, a counter that cannot be read counts as fresh (the interest form's
  hourly limit lets the submission through).

After a failure the backend does not touch Redis for ``RETRY_AFTER`` seconds, so a request that reads
the cache several times waits for at most one connect timeout (an unreachable TCP server) instead of
one per call. A write lost during an outage (say, a data version bump after a committed change) would
leave stale entries behind if Redis kept its data (a network cut, or a server restarted from its
append-only file); so the first successful call after this process lost a write deletes this site's
keys (its ``KEY_PREFIX``) and everything is recomputed once.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LOG_EVERY = 10.0
RETRY_AFTER = 1.0


class _Health:
    """Per process and server, not per backend object: Django makes one backend object per thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.last_logged = 0.0
        self.lost_writes = False


_HEALTH: dict[tuple, _Health] = {}
_HEALTH_LOCK = threading.Lock()


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django builds a new ``redis.Redis`` object for every cache call, and redis-py spends longer
    setting one up (its table of response callbacks) than a GET on a local socket takes. A client is
    thread-safe (each command borrows a connection from the pool), so one per pool is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        with _HEALTH_LOCK:
            self._health = _HEALTH.setdefault((tuple(self._servers), self.key_prefix), _Health())

    # --- the guard every operation goes through

    def _guarded(self, operation: str, call, fallback, *, write: bool):
        health = self._health
        if time.monotonic() < health.down_until:
            if write:
                health.lost_writes = True
            return fallback
        try:
            if health.lost_writes:
                self._forget_everything()
            return call()
        except RedisError as error:
            self._failed(operation, error, write)
            return fallback

    def _failed(self, operation: str, error: Exception, write: bool) -> None:
        health = self._health
        now = time.monotonic()
        with health.lock:
            health.down_until = now + RETRY_AFTER
            if write:
                health.lost_writes = True
            should_log = now - health.last_logged >= LOG_EVERY
            if should_log:
                health.last_logged = now
        if should_log:
            logger.warning(
                "cache unavailable, answering without it (%s): %s: %s",
                operation,
                type(error).__name__,
                error,
            )

    def _forget_everything(self) -> None:
        """Delete this site's keys: entries written before a lost write may be stale."""
        health = self._health
        with health.lock:
            if not health.lost_writes:
                return
            health.lost_writes = False
        try:
            client = self._cache.get_client(write=True)
            pattern = f"{self.key_prefix}:*" if self.key_prefix else "*"
            batch = []
            for key in client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    client.delete(*batch)
                    batch = []
            if batch:
                client.delete(*batch)
        except RedisError:
            with health.lock:
                health.lost_writes = True
            raise
        logger.warning("cache is back; entries from before the outage were deleted")

    # --- Django's cache API

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        add = functools.partial(super().add, key, value, timeout, version)
        return self._guarded("add", add, True, write=True)

    def get(self, key, default=None, version=None):
        return self._guarded(
            "get", functools.partial(super().get, key, default, version), default, write=False
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded("set", functools.partial(super().set, key, value, timeout, version), None, write=True)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        touch = functools.partial(super().touch, key, timeout, version)
        return self._guarded("touch", touch, False, write=False)

    def delete(self, key, version=None):
        return self._guarded("delete", functools.partial(super().delete, key, version), False, write=True)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", functools.partial(super().get_many, keys, version), {}, write=False)

    def has_key(self, key, version=None):
        return self._guarded("has_key", functools.partial(super().has_key, key, version), False, write=False)

    def incr(self, key, delta=1, version=None):
        return self._guarded("incr", functools.partial(super().incr, key, delta, version), delta, write=True)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        set_many = functools.partial(super().set_many, data, timeout, version)
        return self._guarded("set_many", set_many, list(data), write=True)

    def delete_many(self, keys, version=None):
        self._guarded("delete_many", functools.partial(super().delete_many, keys, version), None, write=True)

    def clear(self):
        return self._guarded("clear", super().clear, False, write=True)
