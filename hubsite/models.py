"""Pieces every app's models share."""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


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
