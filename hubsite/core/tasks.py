"""Celery's autodiscovery imports `<app>.tasks`; the ground's tasks live beside what they serve."""

from hubsite.core.attachments.tasks import make_thumbnail
from hubsite.core.exportjobs.tasks import build_export
from hubsite.core.notifications.tasks import send_notification_email, send_pending_notification_emails
from hubsite.core.outbox import run_once, sweep

__all__ = [
    "build_export",
    "make_thumbnail",
    "run_once",
    "send_notification_email",
    "send_pending_notification_emails",
    "sweep",
]
