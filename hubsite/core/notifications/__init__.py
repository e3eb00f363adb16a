"""Notifications and reminders: one row per (kind, recipient, object, step), e-mailed at most once.

Apps register their kinds (``register_kind``) and call ``notify``; a reminder sweep may call it as
often as it likes, because the unique natural key turns a repeat into a no-op. E-mails are sent by
the ``send_notification_email`` task, enqueued through the outbox (hubsite.core.outbox) with the row; if
the broker is down the outbox publishes it when the broker is back, and the row stays pending for
``send_pending_notification_emails`` (run by beat) too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.functional import Promise

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    required: bool = False
    # The roles (hubsite.core.roles.Role values) of the people who can receive it; None: anyone.
    # A person's reminder settings list only the kinds their role can receive.
    roles: frozenset[str] | None = None

    def reaches(self, user) -> bool:
        return self.roles is None or getattr(user, "role", None) in self.roles


KINDS: dict[str, Kind] = {}


def register_kind(code: str, label, *, required: bool = False, roles=None) -> Kind:
    """``roles``: who can receive the kind (e.g. ``HUB_ROLES``); leave it out when anyone can."""
    KINDS[code] = Kind(code, label, required, frozenset(roles) if roles is not None else None)
    return KINDS[code]


def kinds_for(user) -> dict[str, Kind]:
    """The kinds ``user``'s role can receive: what their reminder settings offer."""
    return {code: kind for code, kind in KINDS.items() if kind.reaches(user)}


def kind_label(code: str):
    kind = KINDS.get(code)
    return kind.label if kind else code


def required_kinds() -> set[str]:
    from hubsite.core.models import NotificationKindSetting

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
    from hubsite.core.models import NotificationPreference

    if not recipient.email or not recipient.is_active:
        return False
    if required is None:
        required = required_kinds()
    if kind in required:
        return True
    return not NotificationPreference.objects.filter(user=recipient, kind=kind, email_enabled=False).exists()


def in_language_of(recipient, text) -> str:
    """``text`` written in the recipient's language: a callable (``lambda: _("...") % {...}``) is
    called, a lazy translation evaluated, with their language active; a plain string stays as it is
    (it was translated in whatever language the caller had active)."""
    from hubsite.core.language import language_of

    with translation.override(language_of(recipient)):
        return str(text() if callable(text) else text)


def notify(kind: str, recipient, *, key: str, step: str = "", subject, body, url: str = ""):
    """Create the notification unless it exists; returns it when new, None when it was already there.

    ``subject`` and ``body`` are stored as text; give them as callables or lazy translations so that
    they are written in the recipient's language (``in_language_of``)."""
    from hubsite.core.models import Notification

    wants_email = email_wanted(recipient, kind)
    subject = in_language_of(recipient, subject)
    body = in_language_of(recipient, body)
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
            create_deliveries([notification])
    except IntegrityError:
        return None
    if wants_email:
        enqueue_email(notification.pk)
    return notification


def create_deliveries(notifications, *, enqueue: bool = True) -> int:
    """One ``Delivery`` per channel target of these new notifications, in the caller's transaction;
    each is sent by its own task through the outbox (``enqueue``) or by the caller (the sweep)."""
    from hubsite.core import outbox
    from hubsite.core.models import Delivery

    from .channels import plan_deliveries

    planned = plan_deliveries(notifications)
    if not planned:
        return 0
    # No ignore_conflicts: new notifications cannot have deliveries yet, and the ids are needed.
    for delivery in Delivery.objects.bulk_create(planned):
        if enqueue:
            outbox.enqueue("hubsite.notifications.tasks.send_delivery", delivery.pk)
    return len(planned)


def enqueue_email(notification_id: int) -> None:
    """Through the outbox: published after commit, or by the outbox sweep once a dead broker is back
    (the row also stays pending, so the five-minute catch-up would send it in any case)."""
    from hubsite.core import outbox

    outbox.enqueue("hubsite.notifications.tasks.send_notification_email", notification_id)


@dataclass(frozen=True)
class Pending:
    """One notification to create in bulk: ``recipient`` is a loaded User (email, is_active read)."""

    kind: str
    recipient: object
    key: str
    step: str
    subject: str
    body: str
    url: str = ""


def notify_many(items, *, batch_size: int | None = None) -> int:
    """Create many notifications at once; returns how many were new.

    Per batch a fixed number of queries whatever its size: the required kinds, the recipients'
    turned-off kinds, the natural keys that already exist, one ``bulk_create``. The unique
    constraint (``ignore_conflicts``) still guards against a concurrent sweep inserting the same
    key between the lookup and the insert. No e-mail task is enqueued per row: the caller enqueues
    ``send_pending_notification_emails`` once (``enqueue_pending_emails``), and the channel
    deliveries are planned by beat's ``send_pending_deliveries`` within a minute
    (``plan_deferred_deliveries``), keeping the count fixed.
    """
    from django.conf import settings

    size = batch_size or getattr(settings, "REMINDER_BATCH_SIZE", 500)
    items = list(items)
    created = 0
    for start in range(0, len(items), size):
        created += _create_batch(items[start : start + size])
    return created


def _create_batch(batch: list[Pending]) -> int:
    from hubsite.core.models import Notification, NotificationPreference

    if not batch:
        return 0
    # The same key twice in one batch would make the count wrong; the first wins.
    unique: dict[tuple, Pending] = {}
    for item in batch:
        unique.setdefault((item.kind, item.recipient.pk, item.key, item.step), item)
    kinds = {kind for kind, _r, _k, _s in unique}
    recipient_ids = {recipient for _k, recipient, _o, _s in unique}
    existing = set(
        Notification.objects.filter(
            kind__in=kinds,
            recipient_id__in=recipient_ids,
            object_key__in={key for _k, _r, key, _s in unique},
            step__in={step for _k, _r, _o, step in unique},
        ).values_list("kind", "recipient_id", "object_key", "step")
    )
    new = [item for natural_key, item in unique.items() if natural_key not in existing]
    if not new:
        return 0
    required = required_kinds()
    turned_off = set(
        NotificationPreference.objects.filter(
            user_id__in=recipient_ids, kind__in=kinds, email_enabled=False
        ).values_list("user_id", "kind")
    )

    def status(item: Pending) -> str:
        recipient = item.recipient
        wanted = (
            recipient.email
            and recipient.is_active
            and (item.kind in required or (recipient.pk, item.kind) not in turned_off)
        )
        return Notification.EmailStatus.PENDING if wanted else Notification.EmailStatus.SKIPPED

    Notification.objects.bulk_create(
        [
            Notification(
                kind=item.kind,
                recipient_id=item.recipient.pk,
                object_key=item.key,
                step=item.step,
                subject=in_language_of(item.recipient, item.subject)[:200],
                body=in_language_of(item.recipient, item.body),
                url=item.url,
                email_status=status(item),
                # ignore_conflicts leaves the new rows without primary keys, so their channel
                # deliveries are planned by the worker (plan_deferred_deliveries), not here.
                channels_planned=False,
            )
            for item in new
        ],
        ignore_conflicts=True,
    )
    return len(new)


def enqueue_pending_emails() -> None:
    """Ask a worker, through the outbox, to send every pending e-mail now (once per sweep, not per row).

    If the broker is down the outbox publishes it when the broker is back; beat's periodic run of the
    same task would send the rows anyway.
    """
    from hubsite.core import outbox

    outbox.enqueue("hubsite.notifications.tasks.send_pending_notification_emails", older_than_seconds=0)


def autodiscover() -> None:
    """Import every app's ``reminders`` module so that their kinds are registered in every process."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("reminders")


def in_batches(queryset, batch_size: int | None = None):
    """Yield lists of rows by primary key (keyset pagination): one query per batch, any table size."""
    from django.conf import settings

    size = batch_size or getattr(settings, "REMINDER_BATCH_SIZE", 500)
    last_pk = None
    while True:
        page = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
        rows = list(page.order_by("pk")[:size])
        if rows:
            yield rows
        if len(rows) < size:
            return
        last_pk = rows[-1].pk
