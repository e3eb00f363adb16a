"""pytest: fast hashing, mail in memory (the edge of the machine), real PostgreSQL and Redis."""

from .base import *  # noqa: F403
from .base import CACHES

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each test run has its own cache namespace so rate-limit counters never leak between runs.
CACHES["default"]["KEY_PREFIX"] = f"hubsite-test-{__import__('os').getpid()}"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
