"""Production: refuses to start without SECRET_KEY, DATABASE_URL and REDIS_URL; passes `check --deploy`.

Static files are served by the application itself through WhiteNoise (compressed, with hashed names
cached forever), so no separate static server is needed; run `collectstatic` at deploy time.
"""

from django.core.exceptions import ImproperlyConfigured

from hubsite.env import env, env_bool, env_int

from .base import *  # noqa: F403
from .base import MIDDLEWARE

DEBUG = False
SECRET_KEY = env("SECRET_KEY", "")
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY (at least 50 random characters) for production.")
# The embedded servers under var/ are for development: a production process that silently started
# on an empty local database (or a broker nobody else reads) would look healthy and lose data.
_missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not env(name, "")]
if _missing:
    raise ImproperlyConfigured(
        f"Set {' and '.join(_missing)} for production (e.g. DATABASE_URL=postgres://user:password@host:5432/"
        "hubsite, REDIS_URL=redis://host:6379); the embedded servers are for development only."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The proxy probes readiness over plain HTTP on the loopback; a redirect would read as "not ready".
SECURE_REDIRECT_EXEMPT = [r"^healthz"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# Right after SecurityMiddleware, as WhiteNoise asks: static answers skip sessions and the rest.
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
