"""A test message to a WeCom group: the hub's robot (``GroupRobot``) or an organisation's own group.

Whoever connects a group wants to know at once that the address works. ``do_send_group_test`` posts
through the WeCom channel's own code, so the test proves what real notices will meet (the allowed
hosts, the rate limit, WeCom's replies): it records a ``Delivery`` of a notification addressed to the
person who asked, and the delivery task (through the outbox, after commit) sends it under the row's
lock, so a task that runs twice posts once. The page then reads the delivery: waiting, sent, or
failed with WeCom's answer. No e-mail and no other channel: the notification is made here, not with
``notify``.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import register_kind

# Nobody chooses or turns off this kind (no role receives it as a reminder): it exists so the post's
# heading and the sending log read as a test message.
GROUP_TEST = register_kind("hubsite.group_test", _("WeCom group test message"), roles=())


def group_key(webhook_url: str) -> str:
    """The group a test is about, without its secret key in the database's plain columns."""
    return "wecom-group:" + hashlib.sha256(webhook_url.encode()).hexdigest()[:24]


def do_send_group_test(*, by, webhook_url: str, group: str, url: str = ""):
    """Queue one test post to the group at ``webhook_url`` (named ``group`` in the message) and return
    its ``Delivery``. Raises ``DisallowedWebhook`` for an address the channel would refuse. Asking
    again within the same minute returns the first test's delivery instead of posting twice."""
    from hubsite.core import outbox
    from hubsite.core.models import Delivery, Notification

    from .channels.wecom import WeComGroupChannel, check_webhook_url

    check_webhook_url(webhook_url)
    key = group_key(webhook_url)
    minute = timezone.now().strftime("%Y-%m-%dT%H:%M")
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            kind=GROUP_TEST.code,
            recipient=by,
            object_key=key,
            step=minute,
            defaults={
                "subject": (gettext("Test message to %(group)s") % {"group": group})[:200],
                "body": gettext(
                    "%(person)s sent this test from the hub's site: notifications chosen for this "
                    "group will arrive here like this one."
                )
                % {"person": by.full_name or by.email},
                "url": url,
                "email_status": Notification.EmailStatus.SKIPPED,
                # The person asked for it and reads the result on the page: nothing new in the bell.
                "read_at": timezone.now(),
            },
        )
        delivery, new = Delivery.objects.get_or_create(
            notification=notification, channel=WeComGroupChannel.code, target=webhook_url
        )
        if new:
            outbox.enqueue("hubsite.notifications.tasks.send_delivery", delivery.pk)
    return delivery


def last_test(webhook_url: str):
    """The newest test delivery to this group (one query), or None."""
    from hubsite.core.models import Delivery

    if not webhook_url:
        return None
    return (
        Delivery.objects.filter(notification__kind=GROUP_TEST.code, target=webhook_url)
        .order_by("-pk")
        .first()
    )
