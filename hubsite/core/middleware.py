"""Cached pages answered before the session and the person are loaded (issue 19; see pagecache.py)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation

from hubsite.core import pagecache
from hubsite.core.language import supported


@lru_cache(maxsize=512)
def _page(urlconf: str, path: str):
    """The cached-page view at ``path`` and its arguments, or None. Remembered per path: a page's
    address does not change while the process runs (bounded: any path can be asked for)."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, pagecache.CachedPageMixin):
        return None
    return view_class, getattr(match.func, "view_initkwargs", {}), match.args, match.kwargs


class PageCacheMiddleware:
    """Answers a hit of a cached page (``CachedPageMixin``) from the cache; every other request, and a
    visitor it cannot place without the database, goes on its way unchanged.

    Sits after CsrfViewMiddleware (a hit's token comes from the CSRF cookie, and a new one is set on the
    way out) and AuthenticationMiddleware, whose lazy person a hit never touches; before the language,
    messages, clickjacking and allauth middleware, which a hit does not need (its X-Frame-Options is
    set here). On the way out of a full request it issues or drops the visitor's pass.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.frame_options = XFrameOptionsMiddleware(get_response)

    def __call__(self, request):
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if request.method == "GET":
            response = self._hit(request, session_key)
            if response is not None:
                return response
        response = self.get_response(request)
        self._pass(request, response, session_key)
        return response

    def _hit(self, request, session_key):
        page = _page(getattr(request, "urlconf", None) or settings.ROOT_URLCONF, request.path_info)
        if page is None or CookieStorage.cookie_name in request.COOKIES:
            return None  # a flash message waits in its cookie: the page must show it
        if session_key:
            # Who the pass will say this is (the hint cookie), so that everything is asked for at once.
            hint = pagecache.read_hint(request.COOKIES.get(pagecache.HINT_COOKIE))
            if hint is None:
                return None
            holder = {"user": hint[0], "language": hint[1]}
        else:
            holder = {"user": None, "language": None}
        language = (
            holder["language"]
            or supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
            or settings.LANGUAGE_CODE
        )
        view_class, initkwargs, args, kwargs = page
        with translation.override(language):
            view = view_class(**initkwargs)
            view.setup(request, *args, **kwargs)
            values = view.page_values()
            if values is None:
                return None
            who = holder["user"] if holder["user"] is not None else pagecache.ANONYMOUS
            key = pagecache.page_key(request.path, values, language, who)
            # One round trip: the page, what its version is made of, the pass and the person's generation.
            wanted = [key, *view.page_version_keys]
            if session_key:
                wanted.append(pagecache.pass_key(session_key))
            if holder["user"] is not None:
                wanted.append(pagecache.generation_key(holder["user"]))
            found = pagecache.cache.get_many(wanted)
            entry = found.get(key)
            if entry is None or entry["version"] != view.page_version(found):
                return None
            if session_key and not pagecache.pass_holds(found, session_key, holder):
                return None
            response = pagecache.respond(request, entry)
        return self.frame_options.process_response(request, response)

    def _pass(self, request, response, session_key) -> None:
        if not session_key:
            return
        session = getattr(request, "session", None)
        if session is None:
            return
        if session.modified:
            # Logged in or out, a message left in the session, ...: the pass no longer tells the truth.
            pagecache.drop_pass(session_key)
            return
        user = getattr(request, "user", None)
        if (
            getattr(request, "pagecache_page", False)
            and response.status_code == 200
            and user is not None
            and session.session_key == session_key
        ):
            pagecache.issue_pass(request, response, session_key, user)
