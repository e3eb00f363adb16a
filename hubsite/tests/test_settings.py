"""Production settings: refuse to start without a secret, pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

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
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_the_tests_run_on_the_test_settings():
    # `make test` and CI must not fall back to the development settings (DEBUG, mail to files).
    assert settings.SETTINGS_MODULE == "hubsite.settings.test"
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    assert settings.CACHES["default"]["KEY_PREFIX"].startswith("hubsite-test-")
