"""The worker's part: thumbnails of photos, made after the upload committed."""

from __future__ import annotations

import logging

from celery import shared_task

from . import content

logger = logging.getLogger(__name__)

MAKE_THUMBNAIL = "hubsite.attachments.make_thumbnail"


@shared_task(name=MAKE_THUMBNAIL, ignore_result=False)
def make_thumbnail(attachment_id: int) -> str:
    """Make the thumbnail of one photo; a second run (a redelivered message) finds it made."""
    from hubsite.core.models import Attachment

    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        return "gone"
    if attachment.thumbnail:
        return "already made"
    if not attachment.is_image:
        return "not an image"
    with attachment.file.open("rb") as handle:
        data = handle.read()
    made = attachment.store_thumbnail(content.thumbnail(data))
    return "made" if made else "already made"
