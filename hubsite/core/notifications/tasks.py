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


# --- Channels (WeCom groups, SMS): one task per delivery, retried with back-off; a sweep for the rest.

DELIVERY_MAX_ATTEMPTS = 8
DELIVERY_MAX_BACKOFF = 3600


def send_delivery_now(delivery_id: int) -> tuple[str, int]:
    """Send one pending delivery under its row lock: ("sent" | "failed" | "retry" | "not pending",
    seconds to wait before a retry). A sent or failed row is never sent again."""
    from hubsite.core.models import Delivery

    from .channels import CHANNELS, PermanentFailure, RetryLater

    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification__recipient")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return "not pending", 0
        delivery.attempts += 1
        wait = 0
        try:
            channel = CHANNELS.get(delivery.channel)
            if channel is None:
                raise PermanentFailure(f"unknown channel {delivery.channel}")
            channel.send(delivery.notification, delivery.target)
        except PermanentFailure as error:
            delivery.status = Delivery.Status.FAILED
            delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
        except Exception as error:  # RetryLater, and anything unexpected: worth another try
            countdown = error.countdown if isinstance(error, RetryLater) else None
            wait = countdown or min(30 * 2 ** (delivery.attempts - 1), DELIVERY_MAX_BACKOFF)
            delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
            if delivery.attempts >= DELIVERY_MAX_ATTEMPTS:
                delivery.status = Delivery.Status.FAILED
            else:
                delivery.retry_at = timezone.now() + datetime.timedelta(seconds=wait)
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.last_error = ""
            delivery.retry_at = None
        delivery.save(update_fields=["attempts", "status", "last_error", "retry_at", "sent_at"])
    if delivery.status == Delivery.Status.PENDING:
        logger.warning("delivery %s will be retried in %s s: %s", delivery_id, wait, delivery.last_error)
        return "retry", wait
    if delivery.status == Delivery.Status.FAILED:
        logger.warning("delivery %s failed: %s", delivery_id, delivery.last_error)
    return delivery.status, 0


@shared_task(name="hubsite.notifications.tasks.send_delivery", bind=True, max_retries=DELIVERY_MAX_ATTEMPTS)
def send_delivery(self, delivery_id: int) -> str:
    result, wait = send_delivery_now(delivery_id)
    if result == "retry":
        raise self.retry(countdown=wait)
    return result


def plan_deferred_deliveries(batch_size: int = 500) -> int:
    """Plan the channel deliveries of notifications made in bulk (``notify_many``); returns how many
    deliveries were created. Rows are taken under lock and marked, so each is planned once."""
    from hubsite.core.models import Notification

    from . import create_deliveries

    planned = 0
    while True:
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(channels_planned=False)
                .order_by("pk")[:batch_size]
            )
            if not rows:
                return planned
            planned += create_deliveries(rows, enqueue=False)
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(channels_planned=True)


@shared_task(name="hubsite.notifications.tasks.send_pending_deliveries")
def send_pending_deliveries(older_than_seconds: int = 60, batch_size: int = 500) -> int:
    """Plan what bulk runs left unplanned, then send every pending delivery that is due: those whose
    task was lost (broker down, worker killed) or is waiting out a back-off that has passed."""
    from django.db.models import Q

    from hubsite.core.models import Delivery

    plan_deferred_deliveries(batch_size)
    now = timezone.now()
    cutoff = now - datetime.timedelta(seconds=older_than_seconds)
    sent = 0
    last_pk = 0
    while True:
        ids = list(
            Delivery.objects.filter(status=Delivery.Status.PENDING, created_at__lte=cutoff, pk__gt=last_pk)
            .filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now))
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return sent
        for delivery_id in ids:
            sent += send_delivery_now(delivery_id)[0] == "sent"
        last_pk = ids[-1]
