"""What an uploaded file really is, read from its bytes (never its name), and images made safe.

Accepted: JPEG, PNG, WebP and (when this Pillow reads them) HEIC/AVIF photos, PDF, and XLSX/DOCX
(a zip whose ``[Content_Types].xml`` names a workbook or a document; macro-enabled variants declare
another type and are refused). Photos are decoded and encoded again by Pillow: orientation applied,
longest side at most ``MAX_SIDE``, and no EXIF (GPS position, camera serial), XMP or comments kept.
"""

from __future__ import annotations

import io
import posixpath
import warnings
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_SIDE = 2560
THUMBNAIL_SIDE = 480
JPEG_QUALITY = 85
# [Content_Types].xml of a real workbook or document is a few kilobytes; a bigger one is not read.
MAX_CONTENT_TYPES_BYTES = 256 * 1024

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JPEG = "image/jpeg"
PNG = "image/png"
IMAGE_TYPES = {JPEG, PNG, "image/webp", "image/heic", "image/avif"}
EXTENSIONS = {PDF: ".pdf", XLSX: ".xlsx", DOCX: ".docx", JPEG: ".jpg", PNG: ".png"}
# What the file chooser offers: `image/*` lets a phone offer its camera as well as its gallery.
ACCEPT = ",".join(["image/*", PDF, ".pdf", XLSX, ".xlsx", DOCX, ".docx"])

_ZIP_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
}
_HEIF_BRANDS = {b"heic": "image/heic", b"heix": "image/heic", b"mif1": "image/heic", b"avif": "image/avif"}

UNKNOWN_TYPE = _(
    "This file type cannot be attached. Choose a photo (JPEG, PNG, WebP), a PDF, an Excel workbook "
    "(.xlsx) or a Word document (.docx)."
)
NAME_MISMATCH = _(
    "The file's name says %(named)s but its content is %(actual)s. Nothing was attached: open the file, "
    "check it is the right one and save it again under its real type."
)
UNREADABLE_IMAGE = _("This photo could not be read. Take it again or save it as JPEG, then upload it.")


@dataclass
class Prepared:
    """The bytes to store, with what they are."""

    content: bytes
    content_type: str
    extension: str
    width: int | None = None
    height: int | None = None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def sniff(head: bytes, read_all) -> str | None:
    """The content type ``head`` (the first bytes) shows, or None; ``read_all()`` gives the whole
    file for the formats that need more than the start (zip containers)."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return _HEIF_BRANDS[head[8:12]]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _office_type(read_all())
    return None


def _office_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_BYTES:
                return None
            declared = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return None
    for marker, content_type in _ZIP_TYPES.items():
        if f'ContentType="{marker}"' in declared:
            return content_type
    return None


# The family a name's extension claims. Photos named after another picture format (WeChat saves PNGs as
# .jpg) are fine, since they are re-encoded anyway; a "photo" that is a PDF or a "PDF" that is a
# workbook is a disguised file and refused.
_FAMILIES = {
    **dict.fromkeys([".jpg", ".jpeg", ".jpe", ".png", ".webp", ".heic", ".heif", ".avif"], "image"),
    ".pdf": PDF,
    ".xlsx": XLSX,
    ".docx": DOCX,
}
_FAMILY_LABELS = {
    "image": _("a photo"),
    PDF: _("a PDF"),
    XLSX: _("an Excel workbook"),
    DOCX: _("a Word document"),
}


def _family(content_type: str) -> str:
    return "image" if content_type in IMAGE_TYPES else content_type


def check_name(name: str, content_type: str) -> None:
    """Refuse a file whose extension claims another kind of file than its content is."""
    named = _FAMILIES.get(posixpath.splitext((name or "").lower())[1])
    actual = _family(content_type)
    if named is not None and named != actual:
        raise ValidationError(
            NAME_MISMATCH,
            code="mismatch",
            params={"named": _FAMILY_LABELS[named], "actual": _FAMILY_LABELS[actual]},
        )


def prepare(upload) -> Prepared:
    """Check ``upload`` (a Django ``UploadedFile``) by content and return what to store.

    Raises ``ValidationError`` with a message for the person: an unknown type, or a photo Pillow
    cannot decode (also one so large it could exhaust memory).
    """
    upload.seek(0)
    data = upload.read()
    content_type = sniff(data[:64], lambda: data)
    if content_type is None:
        raise ValidationError(UNKNOWN_TYPE, code="type")
    check_name(upload.name, content_type)
    if content_type in IMAGE_TYPES:
        return _reencode(data)
    return Prepared(content=data, content_type=content_type, extension=EXTENSIONS[content_type])


def _open_image(data: bytes):
    from PIL import Image, ImageOps

    with warnings.catch_warnings():
        # A picture of more than ~89 megapixels is refused rather than decoded.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            image.load()
            source_format, icc_profile = image.format, image.info.get("icc_profile")
            return ImageOps.exif_transpose(image), source_format, icc_profile
        except (
            OSError,
            ValueError,
            SyntaxError,
            Image.DecompressionBombWarning,
            Image.DecompressionBombError,
        ):
            raise ValidationError(UNREADABLE_IMAGE, code="image") from None


def _reencode(data: bytes) -> Prepared:
    from PIL import Image

    image, source_format, icc_profile = _open_image(data)
    lossless = source_format == "PNG"
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if lossless:
        # Scans and screenshots stay lossless; a fresh PNG carries no text chunks or EXIF.
        image = image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB")
        image.save(out, format="PNG", optimize=True)
        content_type = PNG
    else:
        image = image.convert("RGB")
        # No `exif=` argument: Pillow writes none. The colour profile is kept (it says nothing personal).
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, icc_profile=icc_profile)
        content_type = JPEG
    return Prepared(
        content=out.getvalue(),
        content_type=content_type,
        extension=EXTENSIONS[content_type],
        width=image.width,
        height=image.height,
    )


def thumbnail(data: bytes) -> bytes:
    """A small JPEG of a stored photo (already re-encoded, so no metadata to carry over)."""
    from PIL import Image

    image = _open_image(data)[0]
    image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    if "A" in image.getbands() or image.mode == "P":
        background = Image.new("RGB", image.size, "white")
        background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        image = background
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=80, optimize=True)
    return out.getvalue()
