"""Notifications and reminders: one row per (kind, recipient, object, step), e-mailed at most once.

Apps register their kinds (``register_kind``) and call ``notify``; a reminder sweep may call it as
often as it likes, because the unique natural key turns a repeat into a no-op. E-mails are sent by
the ``send_notification_email`` task, enqueued after the transaction commits; if the broker is down
the row stays pending and ``send_pending_notification_emails`` (run by beat) sends it later.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.functional import Promise

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    required: bool = False


KINDS: dict[str, Kind] = {}


def register_kind(code: str, label, *, required: bool = False) -> Kind:
    KINDS[code] = Kind(code, label, required)
    return KINDS[code]


def kind_label(code: str):
    kind = KINDS.get(code)
    return kind.label if kind else code


def required_kinds() -> set[str]:
    from hubsite.models import NotificationKindSetting

    required = {code for code, kind in KINDS.items() if kind.required}
    for setting in NotificationKindSetting.objects.all():
        if setting.required:
            required.add(setting.kind)
        else:
            required.discard(setting.kind)
    return required


def object_key(obj) -> str:
    """A stable key for a model instance: ``app_label.model:pk``."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def email_wanted(recipient, kind: str, required: set[str] | None = None) -> bool:
    from hubsite.models import NotificationPreference

    if not recipient.email or not recipient.is_active:
        return False
    if required is None:
        required = required_kinds()
    if kind in required:
        return True
    return not NotificationPreference.objects.filter(user=recipient, kind=kind, email_enabled=False).exists()


def notify(kind: str, recipient, *, key: str, step: str = "", subject: str, body: str, url: str = ""):
    """Create the notification unless it exists; returns it when new, None when it was already there."""
    from hubsite.models import Notification

    wants_email = email_wanted(recipient, kind)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                kind=kind,
                recipient=recipient,
                object_key=key,
                step=step,
                subject=str(subject)[:200],
                body=str(body),
                url=url,
                email_status=Notification.EmailStatus.PENDING
                if wants_email
                else Notification.EmailStatus.SKIPPED,
            )
    except IntegrityError:
        return None
    if wants_email:
        enqueue_email(notification.pk)
    return notification


def enqueue_email(notification_id: int) -> None:
    """Send after commit; a broker outage leaves the row pending for the sweep instead of failing."""

    def send():
        from hubsite.tasks import send_notification_email

        try:
            send_notification_email.delay(notification_id)
        except Exception:  # the broker is down: the periodic sweep sends pending rows later
            logger.warning("broker unavailable; notification %s left for the sweep", notification_id)

    transaction.on_commit(send)
