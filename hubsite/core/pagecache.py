"""Whole responses from the cache for pages that change only with a data version.

The coverage pages are read all day and change when a centre, an organisation or a report changes.
Caching their context still leaves most of a request's time in template rendering; here the rendered
bytes are kept, per page (path and the page's own parameters, normalised), language and person, with
the data version they were made for; a hit reads the entry and the current version in one round trip
and renders no template. A request whose parameters the page refuses (an impossible day) is rendered
and not kept, so it cannot fill the cache with entries of its own. What is personal to one request is put back on the way out:

- CSRF tokens: the cached HTML keeps a placeholder where ``{% csrf_token %}`` wrote one, and each hit
  gets the token of its own request (the forms of the page must keep working in every browser);
- flash messages: a request with messages waiting is rendered normally and not stored, so nobody sees
  another request's message and nobody loses theirs.

Hits are compressed for clients that accept gzip (the page is text with a large inline SVG map: about
a third of its size on the wire). Compressing 100 KiB on every hit would cost more than the rest of
the hit, so the page is compressed once, when stored, in pieces split at the CSRF tokens: each piece is
a deflate stream ended with a full flush, which resets the compressor, so pieces compressed apart can be
joined, and a hit only compresses its token and computes the checksum (RFC 1951, 1952). Only the
compressed pieces are kept: moving the entry out of Redis is most of a hit's time. Every cached page is
``Cache-Control: private`` and varies on the cookie: it holds a visitor's CSRF token.

A hit is answered by ``PageCacheMiddleware`` (hubsite/core/middleware.py) before the person is loaded:
at the server's ceiling (issue 19) a hit's two database queries (session, person) and the middleware
behind them cost more than everything else. The middleware knows the person from a *pass*: a short-lived
cache entry, named by a keyed hash of the session cookie, written by a request that went through Django's
own checks (session found and unexpired, person active, password hash verified) and rendered a cached
page without changing its session. A pass names the person, their saved language and their *generation*, which every save or delete
of the person renews, so a password change, a deactivation or a new role ends every pass at once. A
request that changes its session (login, logout, a message left for the next page) drops its pass; the
pass lives no longer than the session and at most ``PASS_SECONDS`` (the bound on what the web processes
do not see: a session row deleted by hand, a person changed by ``update()``). Without a pass (or with a
messages cookie) the request takes the whole way, as before. The pass's person and language are also
in a hint cookie (``HINT_COOKIE``, HttpOnly), which lets a hit fetch page, version, pass and generation
in one round trip; the hint is only believed where the pass agrees. A visitor with no session cookie needs no
pass: they are anonymous.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import time
import zlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import salted_hmac

CACHE_SECONDS = 3600
PASS_SECONDS = 300  # a pass's longest life: bounds what a change made outside the web processes misses
GENERATION_SECONDS = 7 * 24 * 3600
CSRF_PLACEHOLDER = "__hubsite_csrf_token__"
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
GZIP_LEVEL = 6
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time, unknown OS
ANONYMOUS = "anonymous"
HINT_COOKIE = "hubsite_page"
# In every key: a deploy that changes what an entry holds must not read the entries of the one before.
ENTRY_FORMAT = 3


def page_key(path: str, values: dict, language: str, who) -> str:
    """The entry of one page: path, the page's own parameters (normalised), language and person. The
    data version is kept in the entry, not in its name: a hit then reads the version and the entry in
    one round trip, and a new version's page replaces the old one's instead of sitting beside it."""
    query = "&".join(f"{name}={values[name]}" for name in sorted(values))
    parts = f"{ENTRY_FORMAT}|{path}?{query}|{language}|{who}"
    return "pagecache:" + hashlib.sha256(parts.encode()).hexdigest()


def raw_values(request, params) -> dict:
    return {name: request.GET.get(name, "") for name in params}


def _key(request, values) -> str:
    who = request.user.pk if request.user.is_authenticated else ANONYMOUS
    return page_key(request.path, values, translation.get_language(), who)


def _messages_waiting(request) -> bool:
    return len(get_messages(request)) > 0


def _deflate(data: bytes, *, last: bool) -> bytes:
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)


def _pieces(html: str) -> list[bytes]:
    """The page's bytes between CSRF placeholders."""
    return [piece.encode("utf-8") for piece in html.split(CSRF_PLACEHOLDER)]


def _inflate(packed: list[bytes]) -> list[bytes]:
    """The pieces back from their deflate streams (for the rare client that does not take gzip)."""
    return [zlib.decompressobj(-zlib.MAX_WBITS).decompress(piece) for piece in packed]


def _stored_block(data: bytes) -> bytes:
    """``data`` as a deflate stored block (RFC 1951 3.2.4), not final. The pieces end with a full flush,
    on a byte boundary, so a token can go between them uncompressed: a 64-byte token gains nothing from
    compression, and a compressor's state (a quarter of a megabyte) costs more to set up than the rest."""
    return b"\x00" + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data


def _shift_table(size: int) -> list[int]:
    """CRC-32 is affine in its start value: crc32(p, c) = crc32(p, 0) ^ S(c), S linear over GF(2) and
    depending only on len(p). S's value on each of the 32 bits of c, kept with the entry, gives a hit
    the checksum of the piece after its token without reading the piece again."""
    zeros = bytes(size)
    base = zlib.crc32(zeros, 0)
    return [zlib.crc32(zeros, 1 << bit) ^ base for bit in range(32)]


def _crc_on(crc: int, piece_crc: int, table: list[int]) -> int:
    """crc32(piece, crc) from crc32(piece, 0) and the piece's shift table."""
    for bit in range(32):
        if crc >> bit & 1:
            piece_crc ^= table[bit]
    return piece_crc


def _gzip(entry: dict, token: bytes) -> bytes:
    """One gzip member: the stored deflate pieces with this request's token between them."""
    body, crc, size = [GZIP_HEADER], 0, 0
    for index, (packed, (piece_crc, table, piece_size)) in enumerate(
        zip(entry["gzip"], entry["crcs"], strict=True)
    ):
        if index:
            body.append(_stored_block(token))
            crc, size = zlib.crc32(token, crc), size + len(token)
        body.append(packed)
        crc, size = _crc_on(crc, piece_crc, table) if index else piece_crc, size + piece_size
    body.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
    return b"".join(body)


def _entry(html: str, content_type: str, version) -> dict:
    """What is stored: the page compressed in pieces split at the CSRF tokens, with each piece's checksum
    terms. Not the page itself: a hit's time goes mostly to moving the entry out of Redis, and the
    compressed page is a third of the plain one."""
    pieces = _pieces(CSRF_VALUE.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", html))
    return {
        "gzip": [_deflate(piece, last=i == len(pieces) - 1) for i, piece in enumerate(pieces)],
        "crcs": [
            (zlib.crc32(piece), _shift_table(len(piece)) if i else [], len(piece))
            for i, piece in enumerate(pieces)
        ],
        "content_type": content_type,
        "language": translation.get_language(),
        "version": version,
    }


_CHAR_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
_BYTE_LIMIT = 256 - 256 % len(CSRF_ALLOWED_CHARS)  # bytes below it map evenly onto the characters


def csrf_token(request) -> str:
    """``get_token(request)``, masked as Django masks it, with the mask drawn from one ``os.urandom``
    call instead of one system call per character (a third of a hit's time went there). Rejection
    sampling keeps every mask character uniform. A visitor without a valid CSRF cookie goes through
    Django's own ``get_token``, which makes the secret and sets the cookie."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret or len(secret) != CSRF_SECRET_LENGTH or any(char not in _CHAR_INDEX for char in secret):
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token: renew the cookie's expiry
    size = len(CSRF_ALLOWED_CHARS)
    mask: list[int] = []
    while len(mask) < CSRF_SECRET_LENGTH:
        mask.extend(byte % size for byte in os.urandom(2 * CSRF_SECRET_LENGTH) if byte < _BYTE_LIMIT)
    mask = mask[:CSRF_SECRET_LENGTH]
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(_CHAR_INDEX[char] + m) % size] for char, m in zip(secret, mask, strict=True)
    )
    return "".join(CSRF_ALLOWED_CHARS[m] for m in mask) + cipher


def private(response):
    """Every cached page carries a per-visitor CSRF token (and a logged-in one a name): no shared
    cache (a proxy) may keep it, and it changes with the cookie."""
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def respond(request, entry: dict) -> HttpResponse:
    """The cached page with this request's own CSRF token, compressed if the client accepts gzip."""
    token = csrf_token(request).encode() if len(entry["gzip"]) > 1 else b""
    response = HttpResponse(content_type=entry["content_type"])
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response.content = _gzip(entry, token)
        response["Content-Encoding"] = "gzip"
    else:
        response.content = token.join(_inflate(entry["gzip"]))
    response["Content-Language"] = entry["language"]
    patch_vary_headers(response, ("Accept-Encoding",))
    return private(response)


def cached_page(request, version, render, params=(), *, values=None) -> HttpResponse:
    """``render()``'s response, or its bytes from the cache for this page, language, person and version.

    Only successful GETs are kept. ``version`` must change whenever anything the page shows changes;
    ``params`` names the query parameters the page reads, ``values`` (optional) their normalised values
    (e.g. a form's cleaned data), which the key uses instead of the raw ones. A request with any other
    parameter may be answered from the cache but is never stored: its other parameters would show in
    the page (the language switch's ``next``) for everyone after it.
    """
    if request.method != "GET" or _messages_waiting(request):
        return render()
    if values is None:
        values = raw_values(request, params)
    request.pagecache_page = True  # for the middleware: this person may get a pass
    key = _key(request, values)
    entry = cache.get(key)
    if entry is not None and entry["version"] == version:
        return respond(request, entry)
    response = render()
    if hasattr(response, "render"):
        response.render()
    if response.status_code != 200 or response.streaming or response.has_header("Content-Encoding"):
        return response
    private(response)
    if not set(request.GET) <= set(values):
        return response
    html = response.content.decode(response.charset)
    cache.set(key, _entry(html, response["Content-Type"], version), CACHE_SECONDS)
    return response


class CachedPageMixin:
    """For a view whose page changes only with ``page_version()`` (and the person, language and the
    query parameters named in ``page_params``).

    Hits are served by ``PageCacheMiddleware`` before the view runs, so the view's access check must
    depend on the person's own row only (being logged in, the role): a pass ends when the row changes.
    """

    page_params: tuple[str, ...] = ()
    # Cache keys the version is made of: the middleware reads them with the page in one round trip and
    # hands them to ``page_version(found)``.
    page_version_keys: tuple[str, ...] = ()

    def page_version(self, found: dict | None = None):
        """The data version; ``found``: the ``page_version_keys`` already read (missing ones are not)."""
        raise NotImplementedError

    def page_values(self) -> dict | None:
        """The parameters' values the page is keyed on; None: this request's page is not cached (e.g.
        an invalid form, which must not add an entry of its own). Runs in the middleware too."""
        return raw_values(self.request, self.page_params)

    def dispatch(self, request, *args, **kwargs):
        parent = super().dispatch
        if request.method != "GET":
            return parent(request, *args, **kwargs)
        values = self.page_values()
        if values is None:
            return parent(request, *args, **kwargs)
        return cached_page(
            request,
            self.page_version(),
            lambda: parent(request, *args, **kwargs),
            self.page_params,
            values=values,
        )


# --- Passes: who a request is, from the cache, for a hit answered before the session is loaded.


def pass_key(session_key: str) -> str:
    # Keyed hash: the cache never holds a session key, and a new SECRET_KEY ends every pass.
    return "pagepass:" + salted_hmac("hubsite.pagecache.pass", session_key).hexdigest()


def generation_key(user_pk) -> str:
    return f"pagegen:{user_pk}"


def generation(user_pk):
    """The person's current generation (made on first use); a save or delete of the person renews it."""
    key = generation_key(user_pk)
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), GENERATION_SECONDS)
        value = cache.get(key)
    return value


def renew_generation(sender, instance, **kwargs) -> None:
    cache.set(generation_key(instance.pk), time.time_ns(), GENERATION_SECONDS)


post_save.connect(renew_generation, sender=settings.AUTH_USER_MODEL, dispatch_uid="pagecache.generation")
post_delete.connect(renew_generation, sender=settings.AUTH_USER_MODEL, dispatch_uid="pagecache.gone")


def issue_pass(request, response, session_key: str, user) -> None:
    """After Django checked the session and the person on a cached page: let the next hits skip that.

    The pass's person and language also go to the browser in a hint cookie, so a hit can ask Redis for
    the page, the version, the generation and the pass at once. The hint proves nothing: a hit is served
    only if the pass (which only the session's holder can name) says the same."""
    from hubsite.core.language import supported

    seconds = min(PASS_SECONDS, request.session.get_expiry_age())
    if seconds <= 0:
        return
    if user.is_authenticated:
        holder = {
            "user": user.pk,
            "language": supported(getattr(user, "language", "")),
            "gen": generation(user.pk),
        }
    else:
        holder = {"user": None, "language": None, "gen": None}
    cache.set(pass_key(session_key), holder, seconds)
    hint = hint_for(holder)
    if request.COOKIES.get(HINT_COOKIE) != hint:
        response.set_cookie(
            HINT_COOKIE,
            hint,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite=settings.SESSION_COOKIE_SAMESITE,
        )


def hint_for(holder: dict) -> str:
    user = ANONYMOUS if holder["user"] is None else holder["user"]
    return f"{user}.{holder['language'] or ''}"


def read_hint(value: str | None):
    """(person pk or None, saved language or None) from a hint cookie; None if there is no usable one."""
    if not value or value.count(".") != 1:
        return None
    user, language = value.split(".")
    if user == ANONYMOUS:
        return None, language or None
    return (int(user), language or None) if user.isdigit() else None


def drop_pass(session_key: str) -> None:
    cache.delete(pass_key(session_key))


def pass_holds(found: dict, session_key: str, hint: dict) -> bool:
    """Whether the session's pass, read into ``found`` with the page, names the hinted person and
    language, and the person's generation (read with it) is still the pass's."""
    holder = found.get(pass_key(session_key))
    if holder is None or holder["user"] != hint["user"] or holder["language"] != hint["language"]:
        return False
    return holder["user"] is None or found.get(generation_key(holder["user"])) == holder["gen"]
