"""pytest: fast hashing, mail in memory (the edge of the machine), real PostgreSQL and Redis."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, CACHES, DATABASES

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In-memory mail; a Celery worker started by a test writes files instead (the test reads them).
EMAIL_BACKEND = os.environ.get("HUBSITE_TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("HUBSITE_TEST_EMAIL_DIR", str(BASE_DIR / "var" / "test-mail"))
# Each test run has its own cache namespace so rate-limit counters never leak between runs.
# setdefault puts it in the environment, so a Celery worker started by a test shares the namespace.
# pytest-xdist workers inherit the controller's environment, so the worker's name is part of the key.
_PREFIX_VAR = "HUBSITE_TEST_CACHE_PREFIX_" + os.environ.get("PYTEST_XDIST_WORKER", "main")
CACHES["default"]["KEY_PREFIX"] = os.environ.setdefault(_PREFIX_VAR, f"hubsite-test-{os.getpid()}")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A Celery worker started by a test must use the test database that pytest-django created.
_test_db = os.environ.get("HUBSITE_TEST_DB_NAME")
if _test_db:
    DATABASES["default"]["NAME"] = _test_db
    DATABASES["default"]["TEST"] = {"NAME": _test_db}
elif os.environ.get("HUBSITE_TEST_DB_SUFFIX"):
    # Several checkouts or sessions sharing one PostgreSQL each get their own test databases.
    DATABASES["default"]["TEST"] = {"NAME": "test_hubsite_" + os.environ["HUBSITE_TEST_DB_SUFFIX"]}

# Channel tests run WeCom and Tencent SMS against servers on 127.0.0.1 over plain http; only here.
WECOM_WEBHOOK_ALLOW_HTTP = os.environ.get("HUBSITE_TEST_WECOM_ALLOW_HTTP", "1") == "1"
