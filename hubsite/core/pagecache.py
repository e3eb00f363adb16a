"""Whole responses from the cache for pages that change only with a data version.

The coverage pages are read all day and change when a centre, an organisation or a report changes.
Caching their context still leaves most of a request's time in template rendering; here the rendered
bytes are kept, per page (path and query), language, person and data version, and a hit costs two
cache reads and no template. What is personal to one request is put back on the way out:

- CSRF tokens: the cached HTML keeps a placeholder where ``{% csrf_token %}`` wrote one, and each hit
  gets the token of its own request (the forms of the page must keep working in every browser);
- flash messages: a request with messages waiting is rendered normally and not stored, so nobody sees
  another request's message and nobody loses theirs.

Hits are compressed for clients that accept gzip (the page is text with a large inline SVG map: about
a third of its size on the wire). Compressing 100 KiB on every hit would cost more than the rest of
the hit, so the page is compressed once, when stored, in pieces split at the CSRF tokens: each piece is
a deflate stream ended with a full flush, which resets the compressor, so pieces compressed apart can be
joined, and a hit only compresses its token and computes the checksum (RFC 1951, 1952).
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import patch_vary_headers

CACHE_SECONDS = 3600
CSRF_PLACEHOLDER = "__hubsite_csrf_token__"
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
GZIP_LEVEL = 6
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time, unknown OS


def _key(request, version, params) -> str:
    user = request.user.pk if request.user.is_authenticated else "anonymous"
    # Only the parameters the page reads: any other one cannot change it, and must not add entries.
    query = "&".join(f"{name}={request.GET.get(name, '')}" for name in sorted(params))
    parts = f"{request.path}?{query}|{translation.get_language()}|{user}|{version}"
    return "pagecache:" + hashlib.sha256(parts.encode()).hexdigest()


def _messages_waiting(request) -> bool:
    return len(get_messages(request)) > 0


def _deflate(data: bytes, *, last: bool) -> bytes:
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)


def _pieces(html: str) -> list[bytes]:
    """The page's bytes between CSRF placeholders."""
    return [piece.encode("utf-8") for piece in html.split(CSRF_PLACEHOLDER)]


def _gzip(pieces: list[bytes], compressed: list[bytes], token: bytes) -> bytes:
    body, crc, size = [GZIP_HEADER], 0, 0
    for index, (piece, packed) in enumerate(zip(pieces, compressed, strict=True)):
        if index:
            body.append(_deflate(token, last=False))
            crc, size = zlib.crc32(token, crc), size + len(token)
        body.append(packed)
        crc, size = zlib.crc32(piece, crc), size + len(piece)
    body.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
    return b"".join(body)


def _respond(request, entry: dict) -> HttpResponse:
    pieces = _pieces(entry["html"])
    token = get_token(request).encode() if len(pieces) > 1 else b""
    response = HttpResponse(content_type=entry["content_type"])
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response.content = _gzip(pieces, entry["gzip"], token)
        response["Content-Encoding"] = "gzip"
    else:
        response.content = token.join(pieces)
    response["Content-Language"] = entry["language"]
    patch_vary_headers(response, ("Accept-Encoding", "Cookie", "Accept-Language"))
    return response


def cached_page(request, version, render, params=()) -> HttpResponse:
    """``render()``'s response, or its bytes from the cache for this page, language, person and version.

    Only successful GETs are kept. ``version`` must change whenever anything the page shows changes;
    ``params`` names the query parameters the page reads (the others are left out of the key).
    """
    if request.method != "GET" or _messages_waiting(request):
        return render()
    key = _key(request, version, params)
    entry = cache.get(key)
    if entry is not None:
        return _respond(request, entry)
    response = render()
    if hasattr(response, "render"):
        response.render()
    if response.status_code != 200 or response.streaming or response.has_header("Content-Encoding"):
        return response
    html = response.content.decode(response.charset)
    stored = CSRF_VALUE.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", html)
    pieces = _pieces(stored)
    cache.set(
        key,
        {
            "html": stored,
            "gzip": [_deflate(piece, last=i == len(pieces) - 1) for i, piece in enumerate(pieces)],
            "content_type": response["Content-Type"],
            "language": translation.get_language(),
        },
        CACHE_SECONDS,
    )
    return response


class CachedPageMixin:
    """For a view whose page changes only with ``page_version()`` (and the person, language and the
    query parameters named in ``page_params``)."""

    page_params: tuple[str, ...] = ()

    def page_version(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        parent = super().dispatch
        if request.method != "GET":
            return parent(request, *args, **kwargs)
        return cached_page(
            request, self.page_version(), lambda: parent(request, *args, **kwargs), self.page_params
        )
