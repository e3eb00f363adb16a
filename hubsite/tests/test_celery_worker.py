import uuid

import pytest
from django.core.cache import cache

from hubsite.tasks import ping

pytestmark = pytest.mark.celery_worker


def _keys_mentioning(token):
    # What the worker wrote, whatever its key prefix: makes a mismatch between the processes visible.
    client = cache._cache.get_client(write=False)
    return [key.decode() for key in client.scan_iter(match=f"*{token}*")]


def test_a_real_worker_runs_a_task_from_real_redis(celery_worker_process):
    token = uuid.uuid4().hex
    result = ping.delay(token)
    assert result.get(timeout=30) == token
    assert cache.get(f"celery-ping:{token}"), (cache.key_prefix, _keys_mentioning(token))
