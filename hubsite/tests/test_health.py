"""Liveness stays trivial; readiness checks PostgreSQL, Redis and a real worker's heartbeat."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

from hubsite import health
from hubsite.celery import app
from hubsite.tasks import heartbeat

BASE_DIR = Path(__file__).resolve().parent.parent.parent
STRONG_KEY = "k7#Qz!pV2^mR9@wL4&xT6*nB8(cF1)hJ3_dS5+gY0=uE-aO~iK" + "x" * 10


def test_liveness_answers_without_touching_the_database(client):
    # No `db` fixture: pytest-django makes any query here an error.
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_readiness_is_503_naming_the_worker_when_no_heartbeat_was_seen(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("healthz_ready"))
    assert response.status_code == 503
    assert response.json() == {
        "ready": False,
        "checks": {"database": "ok", "redis": "ok", "worker": "no heartbeat"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_readiness_is_503_when_the_last_heartbeat_is_too_old(client, db, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE = 300
    health.record_heartbeat(now=time.time() - 301)
    response = client.get(reverse("healthz_ready"))
    assert response.status_code == 503
    assert response.json()["checks"]["worker"].startswith("last heartbeat 30")


def test_readiness_is_200_with_a_recent_heartbeat(client, db):
    health.record_heartbeat(now=time.time() - 10)
    response = client.get(reverse("healthz_ready"))
    assert response.status_code == 200
    assert response.json() == {"ready": True, "checks": {"database": "ok", "redis": "ok", "worker": "ok"}}


@pytest.mark.celery_worker
def test_a_real_worker_running_the_heartbeat_makes_the_site_ready(client, celery_worker_process):
    assert client.get(reverse("healthz_ready")).status_code == 503
    # Through our app, not the shared_task proxy: that follows whichever Celery app is "current".
    app.tasks[heartbeat.name].delay()
    assert celery_worker_process.wait_until(lambda: client.get(reverse("healthz_ready")).status_code == 200)


def test_readiness_names_the_servers_that_are_down_and_none_of_their_secrets():
    # A separate process on production settings, pointed at ports where nothing listens.
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hubsite.settings.production",
            "SECRET_KEY": STRONG_KEY,
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": "postgres://hubsite:db-s3cret@127.0.0.1:1/hubsite",
            "REDIS_URL": "redis://:redis-s3cret@127.0.0.1:1/0",
            "LOG_LEVEL": "CRITICAL",
        }
    )
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz/ready/'); print(r.status_code); print(r.content.decode())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split("\n", 1)
    # Plain HTTP is not redirected: the proxy probes readiness on the loopback.
    assert status == "503"
    assert json.loads(body) == {
        "ready": False,
        "checks": {
            "database": "error (OperationalError)",
            "redis": "error (ConnectionError)",
            "worker": "unknown (redis unavailable)",
        },
    }
    assert "s3cret" not in body
    assert "127.0.0.1" not in body
