"""Adding, changing and removing attachments: each one transaction, the thumbnail on commit."""

from __future__ import annotations

import posixpath
import unicodedata

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hubsite.core import outbox

from . import content
from .models import Attachment, AttachmentKind
from .registry import Policy
from .tasks import MAKE_THUMBNAIL

MAX_NAME = 200


def max_bytes() -> int:
    return settings.ATTACHMENTS_MAX_BYTES


def check_size(upload) -> None:
    if upload.size > max_bytes():
        raise ValidationError(
            _("The file is %(size)s MB; at most %(limit)s MB can be attached.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}", "limit": max_bytes() // (1024 * 1024)},
            code="size",
        )


def clean_name(name: str) -> str:
    """The person's file name without folders or control characters, at most 200 characters."""
    name = unicodedata.normalize("NFC", posixpath.basename((name or "").replace("\\", "/")))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > MAX_NAME:
        stem, extension = posixpath.splitext(name)
        name = stem[: MAX_NAME - len(extension[:20])] + extension[:20]
    return name or "attachment"


def _lock_owner(policy: Policy, owner):
    """The owner again, under a row lock: two uploads at once cannot pass the count together, and the
    policy is asked about the owner as it is now (a report submitted meanwhile takes no more)."""
    return type(owner).objects.select_for_update().get(pk=owner.pk)


def do_add_attachment(
    policy: Policy,
    owner,
    *,
    by,
    upload,
    kind: str,
    centre=None,
    shows_children: bool = False,
    consent_recorded: bool = False,
) -> Attachment:
    """Check ``upload`` by size and content, store it (photos re-encoded) and attach it to ``owner``.

    Raises ``ValidationError`` (on ``file``) for a file that is too big, of a refused type or beyond
    the owner's count, and ``PermissionDenied`` when ``by`` may no longer add to ``owner``.
    """
    if kind not in policy.kinds:
        raise ValidationError({"kind": _("Choose one of the kinds offered.")})
    check_size(upload)
    try:
        prepared = content.prepare(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    with transaction.atomic():
        owner = _lock_owner(policy, owner)
        if not policy.can_add(by, owner):
            raise PermissionDenied
        existing = Attachment.objects.for_object(owner).count()
        if existing >= policy.max_count:
            raise ValidationError(
                {
                    "file": ngettext(
                        "At most %(count)d file can be attached here; remove one first.",
                        "At most %(count)d files can be attached here; remove one first.",
                        policy.max_count,
                    )
                    % {"count": policy.max_count}
                }
            )
        children = shows_children and kind == AttachmentKind.PHOTO
        attachment = Attachment(
            owner=owner,
            organisation_id=policy.organisation_of(owner),
            centre=centre,
            kind=kind,
            original_name=clean_name(upload.name),
            mime_type=prepared.content_type,
            size=len(prepared.content),
            width=prepared.width,
            height=prepared.height,
            shows_children=children,
            consent_recorded=children and consent_recorded,
            uploaded_by=by,
        )
        attachment.file.save(f"upload{prepared.extension}", ContentFile(prepared.content), save=False)
        attachment.save()
        if prepared.is_image:
            outbox.enqueue(MAKE_THUMBNAIL, attachment.pk)
    # The stored bytes would stay behind if the transaction had failed; they have random names and
    # no row points at them, so nobody can reach them.
    return attachment


def do_set_consent(
    policy: Policy, attachment: Attachment, *, by, shows_children: bool, consent_recorded: bool
):
    with transaction.atomic():
        owner = _lock_owner(policy, attachment.owner)
        if not policy.can_add(by, owner):
            raise PermissionDenied
        attachment.set_consent(shows_children=shows_children, consent_recorded=consent_recorded)
    return attachment


def do_remove_attachment(policy: Policy, attachment: Attachment, *, by) -> None:
    """Delete the row, then (after commit) its files: a rolled-back removal keeps them."""
    with transaction.atomic():
        owner = _lock_owner(policy, attachment.owner)
        if not policy.can_add(by, owner):
            raise PermissionDenied
        files = [field for field in (attachment.file, attachment.thumbnail) if field]
        names = [(field.storage, field.name) for field in files]
        attachment.delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in names], robust=True)
