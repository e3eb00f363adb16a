"""Hooks of the notifications: higher apps add targets the ground cannot know about."""

from hubsite.core.hooks import Hook

GROUP_TARGETS = Hook(
    "notifications.group_targets",
    "Providers ``provider(notification) -> list[str]`` return WeCom group webhook URLs that should also "
    "receive this notification (an organisation's own group for its people's notifications). URLs on "
    "hosts outside WECOM_WEBHOOK_HOSTS are dropped.",
)
