import uuid

import pytest
from django.core.cache import cache

from hubsite.tasks import ping

pytestmark = pytest.mark.celery_worker


def test_a_real_worker_runs_a_task_from_real_redis(celery_worker_process):
    token = uuid.uuid4().hex
    result = ping.delay(token)
    assert result.get(timeout=20) == token
    assert cache.get(f"celery-ping:{token}")
