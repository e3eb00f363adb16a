"""Channels: ways a notification leaves the site besides the bell and e-mail (a WeCom group, SMS).

A channel is a ``Channel`` subclass registered with ``register_channel`` (as kinds are with
``register_kind``). ``notify`` asks every channel for its ``targets(notification)`` inside its own
transaction and records one ``Delivery`` per target; a worker then calls ``send(notification,
target)`` under the delivery's row lock (``hubsite.core.notifications.tasks``). ``send`` raises
``RetryLater`` for what may work later (rate limit, timeout, server error) and ``PermanentFailure``
for what never will (a refused host, an unknown template); anything else counts as retryable.

E-mail is not a channel here: it keeps its own status on the notification row (``email_status``),
which the log, the panel, the resend button and the sweeps were built on.
"""

from __future__ import annotations

from django.utils.functional import Promise


class ChannelError(Exception):
    """A send that did not reach its target."""


class RetryLater(ChannelError):
    """Worth trying again, not before ``countdown`` seconds (rate limit, timeout, server error)."""

    def __init__(self, message: str, countdown: int | None = None) -> None:
        super().__init__(message)
        self.countdown = countdown


class PermanentFailure(ChannelError):
    """Trying again cannot help (refused host, rejected parameters, unknown template)."""


class Channel:
    """One way out. ``personal`` channels reach the recipient and are chosen per person and kind on
    the preferences page (opt-in); shared ones (a group) are chosen by the hub, and post one event
    once per target even when it notifies several people."""

    code: str = ""
    label: str | Promise = ""
    personal: bool = False

    def available(self) -> bool:
        """Configured on this site (SMS needs its keys); an unavailable channel has no targets."""
        return True

    def targets(self, notification) -> list[str]:
        raise NotImplementedError

    def targets_for(self, notifications) -> dict:
        """``targets`` for many notifications at once; channels that query override it to batch."""
        return {notification: self.targets(notification) for notification in notifications}

    def send(self, notification, target: str) -> None:
        raise NotImplementedError

    def describe_target(self, target: str) -> str:
        """How the log shows a target (numbers masked, webhook keys hidden)."""
        return target


CHANNELS: dict[str, Channel] = {}


def register_channel(channel: Channel) -> Channel:
    CHANNELS[channel.code] = channel
    return channel


def personal_channels() -> list[Channel]:
    """The opt-in channels people can choose on this site now (a column each on the preferences page)."""
    return [channel for channel in CHANNELS.values() if channel.personal and channel.available()]


def plan_deliveries(notifications) -> list:
    """Unsaved ``Delivery`` rows for these new notifications, one per channel target."""
    from hubsite.core.models import Delivery

    planned = []
    for channel in CHANNELS.values():
        if not channel.available():
            continue
        found = channel.targets_for(notifications)
        wanted = [(notification, target) for notification in notifications for target in found[notification]]
        if not channel.personal:
            wanted = _first_per_event(channel, wanted)
        planned.extend(
            Delivery(notification=notification, channel=channel.code, target=target)
            for notification, target in wanted
        )
    return planned


def _first_per_event(channel: Channel, wanted: list) -> list:
    """A group hears of an event once: a returned report notifies author and director, one post."""
    from django.db.models import Q

    from hubsite.core.models import Delivery

    if not wanted:
        return []
    events = Q()
    for notification, target in wanted:
        events |= Q(
            notification__kind=notification.kind,
            notification__object_key=notification.object_key,
            notification__step=notification.step,
            target=target,
        )
    seen = set(
        Delivery.objects.filter(events, channel=channel.code).values_list(
            "notification__kind", "notification__object_key", "notification__step", "target"
        )
    )
    first = []
    for notification, target in wanted:
        event = (notification.kind, notification.object_key, notification.step, target)
        if event not in seen:
            seen.add(event)
            first.append((notification, target))
    return first


# The built-in channels register themselves; their modules import Django models only when called.
from . import sms, wecom  # noqa: E402, F401
