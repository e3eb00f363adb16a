"""Writes of the notification pages with side effects: one transaction each, sending after commit."""

from __future__ import annotations

import datetime
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from hubsite.core import outbox
from hubsite.core.models import Delivery, MobileNumber, Notification

from . import enqueue_email
from .channels import sms

logger = logging.getLogger(__name__)

CODE_VALID = datetime.timedelta(minutes=10)
CODE_TRIES = 5
# One code a minute, five an hour per person: SMS costs money and a code request must not become a
# way to send messages to someone else's phone.
CODE_INTERVAL = datetime.timedelta(seconds=60)
CODES_PER_HOUR = 5


def _code_hash(mobile: MobileNumber, code: str) -> str:
    return salted_hmac("hubsite.mobile-code", f"{mobile.user_id}:{mobile.number}:{code}").hexdigest()


def _count_code_request(user) -> int:
    """Codes this person asked for in the current hour (Redis; fails open to 0)."""
    key = f"notifications:mobile-codes:{user.pk}:{timezone.now():%Y%m%d%H}"
    try:
        cache.add(key, 0, 3600)
        return cache.incr(key)
    except Exception:
        logger.warning("code request counter unavailable", exc_info=True)
        return 0


def do_request_mobile_code(user, number: str) -> MobileNumber:
    """Store a hashed code for ``number`` and send it by SMS; a new number is unverified until then."""
    if not (sms.configured() and settings.SMS_VERIFY_TEMPLATE_ID):
        raise ValidationError(_("SMS is not set up on this site."))
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        mobile, _created = MobileNumber.objects.select_for_update().get_or_create(
            user=user, defaults={"number": number}
        )
        if mobile.code_sent_at and now - mobile.code_sent_at < CODE_INTERVAL:
            raise ValidationError(_("A code was sent less than a minute ago. Please wait a moment."))
        if _count_code_request(user) > CODES_PER_HOUR:
            raise ValidationError(_("Too many codes were requested. Please try again in an hour."))
        if mobile.number != number:
            mobile.number = number
            mobile.verified_at = None
        mobile.code_hash = _code_hash(mobile, code)
        mobile.code_expires_at = now + CODE_VALID
        mobile.code_tries = 0
        mobile.code_sent_at = now
        mobile.save()
    try:
        sms.send_template(number, settings.SMS_VERIFY_TEMPLATE_ID, [code, str(CODE_VALID.seconds // 60)])
    except Exception as error:  # the provider's refusal or a network error: the person may try again
        logger.warning("verification code for user %s not sent: %s", user.pk, error)
        MobileNumber.objects.filter(pk=mobile.pk).update(code_sent_at=None, code_hash="")
        raise ValidationError(_("The code could not be sent. Please try again later.")) from error
    return mobile


def do_verify_mobile(user, code: str) -> MobileNumber:
    """Mark the number verified when ``code`` matches an unexpired code with tries left."""
    error = None
    with transaction.atomic():
        mobile = MobileNumber.objects.select_for_update().filter(user=user).first()
        if mobile is None or not mobile.code_hash:
            raise ValidationError(_("Ask for a code first."))
        if mobile.code_expires_at < timezone.now():
            error = _("The code has expired. Ask for a new one.")
        elif mobile.code_tries >= CODE_TRIES:
            error = _("Too many wrong codes. Ask for a new one.")
        else:
            mobile.code_tries += 1
            if constant_time_compare(_code_hash(mobile, code), mobile.code_hash):
                mobile.verified_at = timezone.now()
                mobile.code_hash = ""
            else:
                error = _("This code is not right.")
        # Saved before refusing, so the wrong try counts.
        mobile.save()
    if error:
        raise ValidationError(error)
    return mobile


def do_resend(notification_id: int, *, email: bool = True) -> Notification:
    """Send a notification again: its e-mail (``email``) and whatever of its deliveries failed."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if email:
            notification.email_status = Notification.EmailStatus.PENDING
            notification.email_attempts = 0
        notification.resent_count += 1
        notification.save(update_fields=["email_status", "email_attempts", "resent_count"])
        if email:
            enqueue_email(notification.pk)
        failed = list(
            notification.deliveries.filter(status=Delivery.Status.FAILED).values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=failed).update(
            status=Delivery.Status.PENDING, attempts=0, retry_at=None
        )
        for delivery_id in failed:
            outbox.enqueue("hubsite.notifications.tasks.send_delivery", delivery_id)
    return notification
