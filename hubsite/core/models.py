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
        ]

    def __str__(self) -> str:
        return self.subject

    def mark_read(self) -> None:
        if self.read_at is None:
            from django.utils import timezone

            self.read_at = timezone.now()
            self.save(update_fields=["read_at"])


class NotificationPreference(models.Model):
    """A person's choice to stop e-mails of one kind (in-site notifications are always listed)."""

    user = models.ForeignKey(
        "partners.User", on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=60)
    email_enabled = models.BooleanField(_("send e-mail"), default=True)

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
