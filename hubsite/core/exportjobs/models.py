"""An export built in the background: queued -> running (progress in percent) -> done or failed."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubsite.core.files import random_part
from hubsite.core.notifications import register_kind

READY_KIND = register_kind("hubsite.export_ready", _("An export you asked for is ready"))
# A queued job the worker has not started this long after, or a running one without a heartbeat,
# is shown as failed: the person can ask again instead of watching a bar that never moves.
QUEUED_STALE = datetime.timedelta(minutes=30)
RUNNING_STALE = datetime.timedelta(minutes=10)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("export job", "Queued")
    RUNNING = "running", pgettext_lazy("export job", "Being built")
    DONE = "done", pgettext_lazy("export job", "Ready")
    FAILED = "failed", pgettext_lazy("export job", "Failed")


ACTIVE_STATUSES = (ExportStatus.QUEUED, ExportStatus.RUNNING)


def stored_export_name(instance, filename: str) -> str:
    # Random folder: a stored name tells nothing about another person's file.
    return f"exports/{timezone.now():%Y/%m}/{random_part()}/{filename}"


class ExportJobQuerySet(models.QuerySet):
    def of(self, user) -> ExportJobQuerySet:
        """An export is its requester's alone (it may hold rows nobody else asked to see): hub staff
        included, everyone else gets nothing, so another person's job answers 404."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)

    def active(self) -> ExportJobQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)

    def stale(self, now: datetime.datetime | None = None) -> ExportJobQuerySet:
        now = now or timezone.now()
        return self.alias(heartbeat=Coalesce("progress_at", "requested_at")).filter(
            Q(status=ExportStatus.QUEUED, requested_at__lt=now - QUEUED_STALE)
            | Q(status=ExportStatus.RUNNING, heartbeat__lt=now - RUNNING_STALE)
        )

    def fail_stale(self, now: datetime.datetime | None = None) -> int:
        return self.stale(now).update(
            status=ExportStatus.FAILED,
            failure_reason="stale",
            finished_at=timezone.now(),
        )


class ExportJob(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("export job", "requested by"),
    )
    # The export request replayed by the worker: the page's path and its query string (filters,
    # `_export`/`format`), checked again there as the requester.
    path = models.CharField(pgettext_lazy("export job", "page"), max_length=300)
    query = models.TextField(pgettext_lazy("export job", "query string"), blank=True)
    title = models.CharField(pgettext_lazy("export job", "title"), max_length=200)
    format = models.CharField(pgettext_lazy("export job", "format"), max_length=10)
    language = models.CharField(pgettext_lazy("export job", "language"), max_length=20)
    estimated_rows = models.PositiveIntegerField(pgettext_lazy("export job", "estimated rows"), default=0)
    status = models.CharField(
        pgettext_lazy("export job", "status"),
        max_length=20,
        choices=ExportStatus.choices,
        default=ExportStatus.QUEUED,
    )
    progress = models.PositiveSmallIntegerField(pgettext_lazy("export job", "progress (%)"), default=0)
    requested_at = models.DateTimeField(pgettext_lazy("export job", "requested at"), default=timezone.now)
    progress_at = models.DateTimeField(pgettext_lazy("export job", "last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(pgettext_lazy("export job", "finished at"), null=True, blank=True)
    file = models.FileField(
        pgettext_lazy("export job", "file"), upload_to=stored_export_name, max_length=300, blank=True
    )
    file_name = models.CharField(pgettext_lazy("export job", "file name"), max_length=200, blank=True)
    failure_reason = models.TextField(pgettext_lazy("export job", "failure reason"), blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("export job", "export job")
        verbose_name_plural = pgettext_lazy("export job", "export jobs")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["requested_by", "status"], name="exportjob_user_status")]

    def __str__(self) -> str:
        return f"{self.title} ({self.format})"

    def get_absolute_url(self) -> str:
        return reverse("exports:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES
