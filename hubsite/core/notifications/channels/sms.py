"""SMS through Tencent Cloud SMS (its official SDK), for people who opted in with a verified number.

Off until configured (``SMS_SECRET_ID``, ``SMS_SECRET_KEY``, ``SMS_SDK_APP_ID``, ``SMS_SIGN_NAME``)
and, per kind, only when the kind has an approved template (``SMS_TEMPLATE_IDS``): mainland
providers send approved templates with parameters, never free text. Each parameter is cut to
``SMS_PARAM_MAX_LENGTH`` characters, the provider's limit for one variable.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import Channel, PermanentFailure, RetryLater, register_channel

# Tencent's error codes that may pass (frequency limits, its own trouble, our network); the rest
# (auth, parameters, template, sign, unsubscribed numbers) will fail the same way every time.
RETRYABLE_PREFIXES = (
    "LimitExceeded",
    "RequestLimitExceeded",
    "InternalError",
    "ClientNetworkError",
    "ServerNetworkError",
)


def configured() -> bool:
    return all(
        getattr(settings, name, "")
        for name in ("SMS_SECRET_ID", "SMS_SECRET_KEY", "SMS_SDK_APP_ID", "SMS_SIGN_NAME")
    )


def parameter(value, limit: int | None = None) -> str:
    """One template variable: one line, at most ``limit`` characters (cut with an ellipsis)."""
    limit = limit or settings.SMS_PARAM_MAX_LENGTH
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _client():
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.sms.v20210111 import sms_client

    http = HttpProfile(reqTimeout=settings.SMS_TIMEOUT)
    if settings.SMS_ENDPOINT:  # tests: a local server speaking the API, "http://127.0.0.1:port"
        endpoint = urlsplit(settings.SMS_ENDPOINT)
        http = HttpProfile(
            protocol=endpoint.scheme, endpoint=endpoint.netloc, reqTimeout=settings.SMS_TIMEOUT
        )
    profile = ClientProfile(httpProfile=http)
    return sms_client.SmsClient(
        credential.Credential(settings.SMS_SECRET_ID, settings.SMS_SECRET_KEY), settings.SMS_REGION, profile
    )


def send_template(number: str, template_id: str, params: list[str]) -> None:
    """Send one templated SMS; raises ``RetryLater`` or ``PermanentFailure``."""
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.sms.v20210111 import models

    request = models.SendSmsRequest()
    request.SmsSdkAppId = settings.SMS_SDK_APP_ID
    request.SignName = settings.SMS_SIGN_NAME
    request.TemplateId = template_id
    request.TemplateParamSet = [parameter(value) for value in params]
    request.PhoneNumberSet = [number]
    try:
        response = _client().SendSms(request)
    except TencentCloudSDKException as error:
        _raise(error.get_code() or "", error.get_message() or "")
    statuses = response.SendStatusSet or []
    if not statuses:
        raise RetryLater("no send status in the reply")
    if statuses[0].Code != "Ok":
        _raise(statuses[0].Code or "", statuses[0].Message or "")


def _raise(code: str, message: str):
    text = f"{code}: {message}"[:2000]
    if code.startswith(RETRYABLE_PREFIXES):
        raise RetryLater(text)
    raise PermanentFailure(text)


class SmsChannel(Channel):
    """The recipient's verified mobile, for the kinds they chose and that have a template."""

    code = "sms"
    label = _("SMS")
    personal = True

    def available(self) -> bool:
        return configured()

    def targets(self, notification) -> list[str]:
        return self.targets_for([notification])[notification]

    def targets_for(self, notifications) -> dict:
        """Two queries for the whole batch: verified numbers, then who chose SMS for which kind."""
        from hubsite.core.models import MobileNumber, NotificationPreference

        found = {notification: [] for notification in notifications}
        kinds = {n.kind for n in notifications if n.kind in settings.SMS_TEMPLATE_IDS}
        people = {n.recipient_id for n in notifications if n.kind in kinds}
        if not people:
            return found
        numbers = dict(
            MobileNumber.objects.filter(user_id__in=people, verified_at__isnull=False).values_list(
                "user_id", "number"
            )
        )
        chosen = set(
            NotificationPreference.objects.filter(
                user_id__in=numbers, kind__in=kinds, channels__contains=[self.code]
            ).values_list("user_id", "kind")
        )
        for notification in notifications:
            if (notification.recipient_id, notification.kind) in chosen:
                found[notification] = [numbers[notification.recipient_id]]
        return found

    def send(self, notification, target: str) -> None:
        from hubsite.core.notifications import in_language_of, kind_label

        template = settings.SMS_TEMPLATE_IDS.get(notification.kind)
        if not template:
            raise PermanentFailure(f"no SMS template for {notification.kind}")
        # The subject was written in the recipient's language; the kind's name must follow it, not
        # the worker's language (a text message is personal, unlike a group post).
        kind = in_language_of(notification.recipient, lambda: str(kind_label(notification.kind)))
        send_template(target, template, [kind, notification.subject])

    def describe_target(self, target: str) -> str:
        from hubsite.core.models import mask_number

        return mask_number(target)


register_channel(SmsChannel())
