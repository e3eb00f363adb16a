"""Who imported what: one ``ImportRun`` per uploaded sheet, from its preview to its import."""

from __future__ import annotations

import posixpath

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubsite.core import validators as bounds
from hubsite.core.files import random_part
from hubsite.core.scoping import ScopedQuerySet

from .choices import ImportKind, RunStatus


def _upload_path(instance, filename: str) -> str:
    # Unguessable and never served directly: the sheet may hold people's e-mail addresses.
    stem, ext = posixpath.splitext(filename)
    return f"imports/{random_part()}{ext.lower()}"


class ImportRunQuerySet(ScopedQuerySet):
    """Imports are the hub's own records: hub staff see them all, nobody else any."""

    def visible_to(self, user) -> Q | None:
        return None

    def editable_to(self, user) -> Q | None:
        return None


class ImportRun(models.Model):
    """One uploaded sheet of one kind: checked on upload (``preview`` holds every row's outcome),
    imported once confirmed (``status`` done, with the counts), or left with its errors.

    The file stays in protected storage so the confirm step reads exactly what was previewed, and
    so the hub can see later what came in.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to=_upload_path, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=RunStatus.choices)
    send_invitations = models.BooleanField(_("invite new people by e-mail"), default=False)
    uploaded_by = models.ForeignKey(
        "partners.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), validators=[bounds.DATE], default=timezone.now)
    imported_by = models.ForeignKey(
        "partners.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), validators=[bounds.DATE], null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(pgettext_lazy("imports", "created"), default=0)
    updated = models.PositiveIntegerField(pgettext_lazy("imports", "updated"), default=0)
    unchanged = models.PositiveIntegerField(pgettext_lazy("imports", "unchanged"), default=0)
    errors = models.PositiveIntegerField(pgettext_lazy("imports", "rows with errors"), default=0)
    # Problems with the file itself (unreadable, unknown columns, too many rows): texts as shown.
    file_errors = models.JSONField(_("file errors"), default=list, blank=True)
    # Every row's outcome: {"row", "key", "action", "changes": [[field, old, new]], "errors": [text]}.
    preview = models.JSONField(_("preview"), default=list, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:run_detail", args=[self.pk])

    @property
    def can_confirm(self) -> bool:
        return self.status == RunStatus.READY
