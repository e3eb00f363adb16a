"""The attachment: one checked file about one object (a monthly report, a study-visit claim...)."""

from __future__ import annotations

import posixpath

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubsite.core.files import random_part
from hubsite.core.scoping import ScopedQuerySet

from .storage import get_attachment_storage


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", pgettext_lazy("attachment kind", "Activity photo")
    SIGN_IN_SHEET = "sign_in_sheet", pgettext_lazy("attachment kind", "Sign-in sheet")
    RECEIPT = "receipt", pgettext_lazy("attachment kind", "Receipt")
    BUDGET_SHEET = "budget_sheet", pgettext_lazy("attachment kind", "Budget sheet")
    PLAN = "plan", pgettext_lazy("attachment kind", "Plan")
    # An organisation's (or the hub's) logo for the cover of its annual report.
    LOGO = "logo", pgettext_lazy("attachment kind", "Logo")
    OTHER = "other", pgettext_lazy("attachment kind", "Other")


def stored_file_name(instance, filename: str) -> str:
    # Only the extension comes from the caller (it is the detected type's); the rest is random, so a
    # stored name tells nothing about the file and cannot be guessed from another one.
    extension = posixpath.splitext(filename)[1].lower()
    return f"attachments/{timezone.now():%Y/%m}/{random_part()}{extension}"


def stored_thumbnail_name(instance, filename: str) -> str:
    return f"attachments/thumbnails/{timezone.now():%Y/%m}/{random_part()}.jpg"


class AttachmentQuerySet(ScopedQuerySet):
    """Attachments are internal to the owner's organisation: the hub sees all, partner people their
    own organisation's, viewers none; files of a shared model (a library, ``register(shared=True)``)
    are open to every partner, except photos of children without the parents' consent. The owner's
    policy and scoping are asked on top of this (views)."""

    def visible_to(self, user):
        from .registry import shared_models

        own = self.own_organisation(user)
        shared = shared_models()
        if own is None or not shared:
            return own
        library = Q()
        for model in shared:
            meta = model._meta.concrete_model._meta
            library |= Q(content_type__app_label=meta.app_label, content_type__model=meta.model_name)
        return own | (library & ~Q(shows_children=True, consent_recorded=False))

    def for_model(self, model) -> AttachmentQuerySet:
        """Attachments of any object of ``model``, e.g. the photos of a year's reports for the annual
        report: ``for_model(MonthlyReport).filter(object_id__in=ids).photos().usable_for_funders()``."""
        # Joined by name rather than looked up first, so a list is one query even when the content
        # type cache is cold (after a flush, in a new process).
        meta = model._meta.concrete_model._meta
        return self.filter(content_type__app_label=meta.app_label, content_type__model=meta.model_name)

    def for_object(self, obj) -> AttachmentQuerySet:
        return self.for_model(type(obj)).filter(object_id=obj.pk)

    def photos(self) -> AttachmentQuerySet:
        return self.filter(kind=AttachmentKind.PHOTO)

    def usable_for_funders(self) -> AttachmentQuerySet:
        """What may go into a report for funders: a photo that shows children only with the parents'
        consent recorded."""
        return self.exclude(shows_children=True, consent_recorded=False)


class Attachment(models.Model):
    """A file attached to an object of a registered model (``hubsite.core.attachments.register``).

    The bytes were checked by content and photos re-encoded without metadata before this row was
    written (``actions.do_add_attachment``); the thumbnail is made afterwards by the worker.
    ``organisation`` is the owner's, copied so that scoping needs no join through the generic owner.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    centre = models.ForeignKey(
        "partners.Centre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("centre"),
    )
    kind = models.CharField(
        pgettext_lazy("attachment", "kind"), max_length=20, choices=AttachmentKind.choices
    )
    original_name = models.CharField(_("file name"), max_length=200)
    file = models.FileField(
        pgettext_lazy("attachment", "file"),
        upload_to=stored_file_name,
        storage=get_attachment_storage,
        max_length=200,
    )
    mime_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    thumbnail = models.FileField(
        _("thumbnail"),
        upload_to=stored_thumbnail_name,
        storage=get_attachment_storage,
        max_length=200,
        blank=True,
    )
    shows_children = models.BooleanField(_("shows children"), default=False)
    consent_recorded = models.BooleanField(_("parents' consent recorded"), default=False)
    uploaded_by = models.ForeignKey(
        "partners.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_owner")]
        constraints = [
            # Consent is about children in the picture: it cannot be recorded for one that shows none.
            models.CheckConstraint(
                condition=Q(consent_recorded=False) | Q(shows_children=True),
                name="attachment_consent_needs_children",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("attachments:download", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")

    @property
    def needs_consent(self) -> bool:
        """A photo with children whose parents' consent is not recorded: not for funders' reports."""
        return self.shows_children and not self.consent_recorded

    @property
    def download_name(self) -> str:
        """The person's own name for the file, with the extension of what it really is."""
        stem = posixpath.splitext(self.original_name)[0] or "attachment"
        return stem + posixpath.splitext(self.file.name)[1]

    def set_consent(self, *, shows_children: bool, consent_recorded: bool) -> None:
        self.shows_children = shows_children
        self.consent_recorded = consent_recorded and shows_children
        self.save(update_fields=["shows_children", "consent_recorded"])

    def store_thumbnail(self, content: bytes) -> bool:
        """Save ``content`` as the thumbnail unless one exists (locked, so two runs make one)."""
        from django.core.files.base import ContentFile

        with transaction.atomic():
            locked = type(self).objects.select_for_update().filter(pk=self.pk).first()
            if locked is None or locked.thumbnail:
                return False
            locked.thumbnail.save("thumbnail.jpg", ContentFile(content), save=False)
            locked.save(update_fields=["thumbnail"])
        self.thumbnail = locked.thumbnail
        return True
