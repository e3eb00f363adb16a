"""Celery tasks that e-mail notifications; each takes an id and is safe to run twice."""

import datetime
import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import mail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def send_one(notification_id: int) -> str:
    """E-mail one pending notification. Locked and re-checked, so a second run finds it sent."""
    from hubsite.core.models import Notification

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, email_status=Notification.EmailStatus.PENDING)
            .first()
        )
        if notification is None:
            return "not pending"
        notification.email_attempts += 1
        try:
            mail.send(notification)
        except Exception as error:
            notification.email_error = f"{type(error).__name__}: {error}"[:2000]
            if notification.email_attempts >= MAX_ATTEMPTS:
                notification.email_status = Notification.EmailStatus.FAILED
            notification.save(update_fields=["email_attempts", "email_error", "email_status"])
            logger.warning("e-mail for notification %s failed: %s", notification_id, error)
            return "failed"
        notification.email_status = Notification.EmailStatus.SENT
        notification.emailed_at = timezone.now()
        notification.email_error = ""
        notification.save(update_fields=["email_attempts", "email_error", "email_status", "emailed_at"])
    return "sent"


# Task names are stored in beat's schedule and in outbox rows, so they stay what they were when this
# package lived at hubsite/core/notifications/ instead of following the module.
@shared_task(
    name="hubsite.notifications.tasks.send_notification_email",
    bind=True,
    retry_backoff=True,
    retry_kwargs={"max_retries": MAX_ATTEMPTS},
)
def send_notification_email(self, notification_id: int) -> str:
    result = send_one(notification_id)
    if result == "failed":
        from hubsite.core.models import Notification

        still_pending = Notification.objects.filter(
            pk=notification_id, email_status=Notification.EmailStatus.PENDING
        ).exists()
        if still_pending:
            raise self.retry(countdown=min(60 * 2**self.request.retries, 3600))
    return result


@shared_task(name="hubsite.notifications.tasks.send_pending_notification_emails")
def send_pending_notification_emails(older_than_seconds: int = 60, batch_size: int = 500) -> int:
    """Catch up on e-mails whose task was never enqueued (broker down) or was lost."""
    from hubsite.core.models import Notification

    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    sent = 0
    last_pk = 0
    while True:
        # Keyset pagination: each row is tried once per sweep, so a failing address cannot spin it.
        ids = list(
            Notification.objects.email_due()
            .filter(created_at__lte=cutoff, email_attempts__lt=MAX_ATTEMPTS, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return sent
        for notification_id in ids:
            sent += send_one(notification_id) == "sent"
        last_pk = ids[-1]
