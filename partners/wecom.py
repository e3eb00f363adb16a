"""An organisation's own WeCom group robot (企业微信群机器人): its people's notifications of the kinds
it chose are also posted to its group.

The partners app registers ``organisation_group`` into the notifications' ``group_targets`` hook (in
``PartnersConfig.ready``); the WeCom channel then checks the address against ``WECOM_WEBHOOK_HOSTS``,
posts one event once per group even when it notifies several of the organisation's people (author and
director), and retries with the hub robot's rate limit and back-off.
"""

from __future__ import annotations

from .models import Organisation


def organisation_group(notification) -> list[str]:
    """The recipient's organisation's group, if it takes this kind (one query)."""
    if not notification.recipient_id:
        return []
    found = (
        Organisation.objects.filter(people__pk=notification.recipient_id)
        .exclude(wecom_webhook_url="")
        .values_list("wecom_webhook_url", "wecom_kinds")
        .first()
    )
    if found is None:
        return []
    url, kinds = found
    return [url] if notification.kind in (kinds or []) else []


def masked(url: str) -> str:
    """How pages show a webhook: host and path, and the key's first four characters (it is a secret)."""
    from urllib.parse import parse_qsl, urlsplit

    if not url:
        return ""
    parts = urlsplit(url)
    key = dict(parse_qsl(parts.query)).get("key", "")
    return f"{parts.netloc}{parts.path}?key={key[:4]}…"


def register() -> None:
    from hubsite.core.notifications.hooks import GROUP_TARGETS

    from .hooks import organisation_panels
    from .wecom_views import group_panel

    GROUP_TARGETS.register(organisation_group)
    organisation_panels.register(group_panel)
