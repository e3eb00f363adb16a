"""Pieces every app's models share."""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StaleObjectError(Exception):
    """Someone else saved the object after this editor loaded it."""


class VersionedModel(models.Model):
    """A row with a version number, so that concurrent edits are detected instead of overwritten.

    The editing form carries the version it loaded; ``save_versioned`` locks the row, compares, and
    refuses when another save came first.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save_versioned(self, expected_version: int, **kwargs) -> None:
        with transaction.atomic():
            current = (
                type(self)
                .objects.select_for_update()
                .filter(pk=self.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and current != expected_version:
                raise StaleObjectError(self)
            self.version = (current or 0) + 1
            self.save(**kwargs)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """A person sees only their own notifications."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def email_due(self):
        return self.filter(email_status=Notification.EmailStatus.PENDING)


class Notification(models.Model):
    """One message to one person: listed under the site's bell and, unless turned off, e-mailed.

    Its natural key (kind, recipient, object_key, step) is unique in PostgreSQL, so a reminder task
    that runs twice, a beat that fires twice or a retried worker can never create the same reminder
    twice; the e-mail goes out from the row, and a sent row is never sent again.
    """

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not e-mailed (turned off)")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=60)
    recipient = models.ForeignKey(
        "partners.User", on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    object_key = models.CharField(_("about"), max_length=120, help_text=_("e.g. reports.monthlyreport:12"))
    step = models.CharField(_("step"), max_length=60, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    email_error = models.TextField(_("error"), blank=True)
    resent_count = models.PositiveSmallIntegerField(_("resent"), default=0)
    # False for rows made in bulk (notify_many): the worker plans their channel deliveries later.
    channels_planned = models.BooleanField(_("channels planned"), default=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "object_key", "step"], name="notification_natural_key"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(
                fields=["email_status"],
                name="notification_email_pending",
                condition=models.Q(email_status="pending"),
            ),
            models.Index(
                fields=["id"], name="notification_unplanned", condition=models.Q(channels_planned=False)
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def failed_deliveries(self) -> list:
        """Failed channel deliveries (reads the prefetched ``deliveries`` on the log)."""
        return [delivery for delivery in self.deliveries.all() if delivery.status == Delivery.Status.FAILED]

    def mark_read(self) -> None:
        if self.read_at is None:
            from django.utils import timezone

            self.read_at = timezone.now()
            self.save(update_fields=["read_at"])


class NotificationPreference(models.Model):
    """A person's choice, per kind, of e-mail (on unless stopped) and the personal channels they opted
    into (SMS); in-site notifications are always listed."""

    user = models.ForeignKey(
        "partners.User", on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=60)
    email_enabled = models.BooleanField(_("send e-mail"), default=True)
    # Codes of opt-in channels (hubsite.core.notifications.channels): off unless listed, unlike e-mail.
    channels = models.JSONField(_("channels"), default=list, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"


class NotificationKindSetting(models.Model):
    """The hub's decision that a kind of reminder is required: people cannot turn its e-mails off."""

    kind = models.CharField(_("kind"), max_length=60, unique=True)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        verbose_name = _("reminder kind setting")
        verbose_name_plural = _("reminder kind settings")

    def __str__(self) -> str:
        return self.kind


class OutboxMessage(models.Model):
    """Work for a Celery worker, committed in the same transaction as the write that asks for it.

    ``hubsite.core.outbox.enqueue`` writes the row; after commit it is published once, quickly, and marked
    sent. If the broker is down the row waits, and the sweep (beat every minute, and each worker at
    start-up) publishes it when the broker is back. A ``once`` message runs through
    ``hubsite.core.outbox.run_once``, which records ``done_at`` under a row lock, so its task (an e-mail
    that must not go out twice) succeeds at most once however often the message is delivered.
    """

    task = models.CharField(pgettext_lazy("background job", "task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    once = models.BooleanField(_("at most once"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(fields=["id"], name="outbox_unsent", condition=models.Q(sent_at__isnull=True)),
            models.Index(
                fields=["sent_at"],
                name="outbox_once_not_done",
                condition=models.Q(once=True, done_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


class Delivery(models.Model):
    """One notification on its way to one target of one channel (a WeCom group's webhook, a mobile).

    Unique per (notification, channel, target), created in ``notify``'s transaction and sent by a
    worker under the row's lock, so each target receives each notification once however often the
    task or the sweep runs.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notification")
    )
    channel = models.CharField(_("channel"), max_length=30)
    target = models.CharField(_("target"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # A rate-limited or failed attempt is not tried again before this (the sweep respects it too).
    retry_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel", "target"], name="one_delivery_per_target"
            )
        ]
        indexes = [
            models.Index(fields=["id"], name="delivery_pending", condition=models.Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.notification_id}"

    @property
    def channel_label(self):
        from hubsite.core.notifications.channels import CHANNELS

        channel = CHANNELS.get(self.channel)
        return channel.label if channel else self.channel

    @property
    def target_label(self) -> str:
        from hubsite.core.notifications.channels import CHANNELS

        channel = CHANNELS.get(self.channel)
        return channel.describe_target(self.target) if channel else self.target


class GroupRobot(models.Model):
    """A WeCom group robot (企业微信群机器人) of the hub: the kinds of notification posted to its group.

    The webhook URL must point at an allowed host (``WECOM_WEBHOOK_HOSTS``, https): checked here and
    again before each post, so this field cannot make the server call anywhere else.
    """

    name = models.CharField(_("name"), max_length=100)
    webhook_url = models.URLField(_("webhook URL"), max_length=300)
    kinds = models.JSONField(_("kinds posted"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("WeCom group robot")
        verbose_name_plural = _("WeCom group robots")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from hubsite.core.notifications.channels.wecom import DisallowedWebhook, check_webhook_url

        try:
            check_webhook_url(self.webhook_url)
        except DisallowedWebhook as error:
            raise ValidationError({"webhook_url": str(error)}) from error


class MobileNumber(models.Model):
    """A person's mobile number for SMS, used only once they prove it with a code sent to it.

    The code is stored as a keyed hash, expires after ten minutes and allows five tries.
    """

    user = models.OneToOneField(
        "partners.User", on_delete=models.CASCADE, related_name="mobile_number", verbose_name=_("person")
    )
    number = models.CharField(_("mobile number"), max_length=20)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_tries = models.PositiveSmallIntegerField(default=0)
    code_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mobile number")
        verbose_name_plural = _("mobile numbers")

    def __str__(self) -> str:
        return self.masked

    @property
    def masked(self) -> str:
        return mask_number(self.number)


def mask_number(number: str) -> str:
    """Enough of a number to recognise it (+86 138****5678), not enough to use it."""
    return f"{number[:-8]}****{number[-4:]}" if len(number) > 8 else number


# Attachments live in their own package; imported here so Django finds the model in the ground's app.
from hubsite.core.attachments.models import Attachment, AttachmentKind  # noqa: E402, F401
from hubsite.core.exportjobs.models import ExportJob  # noqa: E402, F401
