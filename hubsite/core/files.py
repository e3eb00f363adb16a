"""Stored files leave the server only through a view that has checked the user.

No URLconf serves ``MEDIA_ROOT`` (not even under DEBUG): every download view scopes its object with
``for_user`` and then calls ``serve_protected``. In production nginx can send the bytes itself: with
``PROTECTED_FILES_ACCEL_PREFIX`` set (e.g. ``/protected/``) the response carries only headers and
``X-Accel-Redirect: /protected/<stored name>``, which nginx resolves in an ``internal`` location
(README, "Production"). Unset, Django streams the file.
"""

from __future__ import annotations

import mimetypes
import posixpath
import re
import secrets
import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse

# Characters that are unsafe in a file name on some desktop system, plus controls.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f\\/:*?"<>|]+')


def random_part() -> str:
    """The unguessable part of a stored name (128 bits), so knowing one report's name tells nothing
    about another's even if a file server were ever misconfigured."""
    return secrets.token_urlsafe(16)


def _clean(download_name: str) -> str:
    name = _UNSAFE.sub("-", download_name).strip(" .-")
    return name or "download"


def _ascii_fallback(name: str) -> str:
    stem, ext = posixpath.splitext(name)
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_stem).strip(".-")
    return f"{ascii_stem or 'download'}{ext if ext.isascii() else ''}"


def content_disposition(download_name: str) -> str:
    """``attachment`` with a plain ASCII ``filename`` for old clients and the real (Chinese) name as
    RFC 6266 ``filename*``, which every current browser prefers."""
    name = _clean(download_name)
    return f"attachment; filename=\"{_ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def serve_protected(
    request: HttpRequest, field_file: FieldFile, download_name: str, *, content_type: str | None = None
) -> HttpResponse:
    """The response for a stored file the caller has already allowed this user to read.

    A missing file answers 404 (a report whose file was cleared, or a name from an older release).
    """
    if not field_file or not field_file.name:
        raise Http404
    content_type = content_type or mimetypes.guess_type(download_name)[0] or "application/octet-stream"
    prefix = getattr(settings, "PROTECTED_FILES_ACCEL_PREFIX", "")
    if prefix:
        if not field_file.storage.exists(field_file.name):
            raise Http404
        # nginx reads the file; the body stays empty so the worker is free at once.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(field_file.name.lstrip("/"))
    else:
        try:
            handle = field_file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(download_name)
    response["X-Content-Type-Options"] = "nosniff"
    # A shared cache must never keep a file that was only for this user.
    response["Cache-Control"] = "private, no-store"
    return response
