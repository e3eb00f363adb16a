"""Demo attachments (``seed_demo``, after every app): a few small pictures drawn with Pillow on the
activity library, a monthly report and a study-visit claim, so the demo shows files, thumbnails and
the consent flags. Idempotent: a file already attached under its name is not added again."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hubsite.core.attachments import policy_for
from hubsite.core.attachments.actions import do_add_attachment
from hubsite.core.models import Attachment, AttachmentKind
from mutualaid.choices import ClaimStatus
from mutualaid.models import Activity, StudyVisit
from partners.models import User
from reports.models import MonthlyReport

# name -> (background, shapes' colour): plain drawings, no people's faces and no text to translate.
PICTURES = {
    "活动流程图.png": ("#f4f1e8", "#1f6f5c"),
    "亲子共读现场.jpg": ("#fde9d9", "#d9534f"),
    "手工材料清单.png": ("#e8f1fb", "#2c6fb7"),
    "家长课堂.jpg": ("#eef7e8", "#5a9a2f"),
    "签到表.png": ("#ffffff", "#333333"),
    "出租车发票.jpg": ("#fff8e1", "#b7791f"),
}


def picture(name: str, width: int = 480, height: int = 360) -> bytes:
    """A small drawing: a table of rows for a sheet or receipt, circles and blocks for a scene."""
    from PIL import Image, ImageDraw

    background, ink = PICTURES[name]
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    if name.startswith(("签到表", "出租车发票", "手工材料清单", "活动流程图")):
        for row in range(1, 9):
            y = row * height // 10
            draw.line([(width // 12, y), (width * 11 // 12, y)], fill=ink, width=2)
        draw.rectangle([width // 12, height // 10, width * 11 // 12, height * 8 // 10], outline=ink, width=3)
    else:
        for i in range(5):
            x = width // 6 * (i + 1)
            draw.ellipse([x - 22, height // 2 - 60, x + 22, height // 2 - 16], fill=ink)
            draw.rounded_rectangle([x - 28, height // 2 - 10, x + 28, height // 2 + 80], radius=12, fill=ink)
        draw.rectangle([0, height * 5 // 6, width, height], fill="#c8a97e")
    out = io.BytesIO()
    image.save(out, format="PNG" if name.endswith(".png") else "JPEG", quality=85)
    return out.getvalue()


def _attach(owner, by, name, kind, **flags) -> Attachment | None:
    if owner is None or by is None:
        return None
    existing = Attachment.objects.for_object(owner).filter(original_name=name).first()
    if existing is not None:
        return existing
    try:
        return do_add_attachment(
            policy_for(type(owner)),
            owner,
            by=by,
            upload=SimpleUploadedFile(name, picture(name)),
            kind=kind,
            **flags,
        )
    except (PermissionDenied, ValidationError):
        return None  # the demo's data changed shape; a missing picture is no reason to stop the seed


def seed(ctx: dict) -> None:
    hub = User.objects.filter(email="hub@example.org").first()
    director = User.objects.filter(email="director@example.org").first()
    added = []
    listings = Activity.objects.select_related("created_by").order_by("pk")[:2]
    materials = (("活动流程图.png", "亲子共读现场.jpg"), ("手工材料清单.png", "家长课堂.jpg"))
    for index, (activity, (plan, photo)) in enumerate(zip(listings, materials, strict=False)):
        added.append(_attach(activity, activity.created_by, plan, AttachmentKind.PLAN))
        # The first listing's photo has the parents' consent; the second still waits for it, so the
        # demo also shows a photo kept to its own organisation.
        added.append(
            _attach(
                activity,
                activity.created_by,
                photo,
                AttachmentKind.PHOTO,
                shows_children=True,
                consent_recorded=index == 0,
            )
        )
    if director is not None:
        report = (
            MonthlyReport.objects.filter(
                organisation_id=director.organisation_id, first_submitted_at__isnull=False
            )
            .order_by("-month")
            .first()
        )
        added.append(_attach(report, hub, "签到表.png", AttachmentKind.SIGN_IN_SHEET))
        added.append(
            _attach(
                report,
                hub,
                "亲子共读现场.jpg",
                AttachmentKind.PHOTO,
                shows_children=True,
                consent_recorded=True,
            )
        )
        claim = StudyVisit.objects.exclude(claim_status=ClaimStatus.NONE).order_by("pk").first()
        added.append(_attach(claim, hub, "出租车发票.jpg", AttachmentKind.RECEIPT))
    ctx["attachments"] = sum(item is not None for item in added)
