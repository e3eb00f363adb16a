"""Tasks shared by every app."""

from celery import shared_task
from django.core.cache import cache


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, retry_kwargs={"max_retries": 5})
def ping(self, token: str) -> str:
    """A health check that proves a worker picks tasks from the broker and can reach the cache."""
    cache.set(f"celery-ping:{token}", self.request.hostname or "worker", timeout=300)
    return token


# Celery's autodiscovery looks for `<app>.tasks`; the notification tasks live in their own module.
from hubsite.notifications.tasks import send_notification_email, send_pending_notification_emails  # noqa: E402

__all__ = ["ping", "send_notification_email", "send_pending_notification_emails"]
