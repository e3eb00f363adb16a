"""WeCom group robots (企业微信群机器人): a notification posted to a group as markdown with its link.

The robot's webhook URL is a secret that also decides where the server connects, so it is checked
against ``WECOM_WEBHOOK_HOSTS`` (https only) when saved and again right before each post, and
redirects are never followed. WeCom allows a robot 20 messages a minute: a counter per robot and
minute in Redis holds back the 21st (fails open: with Redis down the robot's own limit, errcode
45009, still answers, and that is retried with back-off too).
"""

from __future__ import annotations

import hashlib
import logging
import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import Channel, PermanentFailure, RetryLater, register_channel

logger = logging.getLogger(__name__)

RATE_LIMITED = 45009
# WeCom refuses markdown longer than 4096 bytes (UTF-8).
MAX_MARKDOWN_BYTES = 4096


class DisallowedWebhook(PermanentFailure):
    """A webhook URL outside the allowed hosts or not https."""


def check_webhook_url(url: str) -> str:
    """The URL if the server may post to it; raises ``DisallowedWebhook`` otherwise."""
    try:
        parts = urlsplit(url or "")
        port = parts.port
    except ValueError as error:
        raise DisallowedWebhook(gettext("This is not a valid web address.")) from error
    schemes = {"https", "http"} if getattr(settings, "WECOM_WEBHOOK_ALLOW_HTTP", False) else {"https"}
    if parts.scheme not in schemes:
        raise DisallowedWebhook(gettext("A WeCom webhook address must start with https://."))
    host = (parts.hostname or "").lower()
    allowed = {entry.lower() for entry in settings.WECOM_WEBHOOK_HOSTS}
    # An entry may name a port (a test server): "127.0.0.1:8123"; without one, the default port only.
    if (
        parts.username
        or parts.password
        or not ((port is None and host in allowed) or f"{host}:{port}" in allowed)
    ):
        raise DisallowedWebhook(
            gettext("Only WeCom webhook addresses are accepted (%(hosts)s).")
            % {"hosts": ", ".join(settings.WECOM_WEBHOOK_HOSTS)}
        )
    return url


def _robots() -> list[tuple[str, list[str]]]:
    """Active robots as (webhook URL, kinds posted)."""
    from hubsite.core.models import GroupRobot

    return list(GroupRobot.objects.filter(active=True).values_list("webhook_url", "kinds"))


def markdown(notification) -> str:
    from hubsite.core.notifications import kind_label
    from hubsite.core.notifications.mail import absolute

    link = absolute(notification.url) or settings.SITE_URL
    head = f"**{kind_label(notification.kind)}**：{notification.subject}\n"
    tail = f"\n[{gettext('Open')}]({link})"
    quoted = "\n".join(f"> {line}" for line in notification.body.strip().splitlines() if line.strip())
    room = MAX_MARKDOWN_BYTES - len((head + tail).encode())
    if len(quoted.encode()) > room:
        quoted = quoted.encode()[: max(room - len("…".encode()), 0)].decode(errors="ignore") + "…"
    return head + quoted + tail


class WeComGroupChannel(Channel):
    """The hub's group robots for the kinds each posts, and the groups the ``group_targets`` hook adds."""

    code = "wecom"
    label = _("WeCom group")

    def targets(self, notification) -> list[str]:
        return self.targets_for([notification])[notification]

    def targets_for(self, notifications) -> dict:
        from hubsite.core.notifications.hooks import GROUP_TARGETS

        robots = _robots()
        found = {}
        for notification in notifications:
            urls = [url for url, kinds in robots if notification.kind in kinds]
            urls.extend(GROUP_TARGETS.collect(notification))
            found[notification] = []
            for url in dict.fromkeys(urls):
                try:
                    found[notification].append(check_webhook_url(url))
                except DisallowedWebhook:
                    logger.warning("group target refused for notification %s: %s", notification.pk, url)
        return found

    def send(self, notification, target: str) -> None:
        import requests

        check_webhook_url(target)
        wait = take_slot(target)
        if wait:
            raise RetryLater(gettext("Held back: the robot's 20 messages a minute are used up."), wait)
        payload = {"msgtype": "markdown", "markdown": {"content": markdown(notification)}}
        try:
            response = requests.post(
                target, json=payload, timeout=settings.WECOM_TIMEOUT, allow_redirects=False
            )
        except requests.RequestException as error:
            raise RetryLater(f"{type(error).__name__}: {error}") from error
        if response.status_code >= 500:
            raise RetryLater(f"HTTP {response.status_code}")
        try:
            reply = response.json()
        except ValueError as error:
            raise PermanentFailure(f"HTTP {response.status_code}: not a WeCom reply") from error
        errcode = reply.get("errcode")
        if errcode == 0:
            return
        message = f"errcode {errcode}: {reply.get('errmsg', '')}"
        if errcode == RATE_LIMITED or errcode == -1:  # -1: WeCom is busy
            raise RetryLater(message, settings.WECOM_BACKOFF)
        raise PermanentFailure(message)

    def describe_target(self, target: str) -> str:
        parts = urlsplit(target)
        query = [
            (name, value[:4] + "…" if name == "key" else value) for name, value in parse_qsl(parts.query)
        ]
        return urlunsplit(parts._replace(query=urlencode(query, safe="…")))


def take_slot(url: str, now: float | None = None) -> int:
    """Count a post against the robot's minute; the seconds to wait when the minute is used up.

    A fixed window per calendar minute in Redis. Fails open (0): the robot's own 45009 is retried.
    """
    from django.core.cache import cache

    now = time.time() if now is None else now
    minute = int(now // 60)
    key = f"notifications:wecom-rate:{hashlib.sha256(url.encode()).hexdigest()[:16]}:{minute}"
    try:
        cache.add(key, 0, 120)
        used = cache.incr(key)
    except Exception:
        logger.warning("rate limiter unavailable; posting without it", exc_info=True)
        return 0
    if used <= settings.WECOM_RATE_LIMIT:
        return 0
    return int(60 - now % 60) + 1


register_channel(WeComGroupChannel())
