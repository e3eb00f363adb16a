"""Which language a request, a page and an e-mail are in (issue 14).

Chinese is the default whatever the browser's Accept-Language says: the hub's people share phones and
office computers set up in English, and a Chinese hub must not greet them in English by accident. A
person's choice (the switch in the menu) is saved on their account (``User.language``), so it follows
them to every device, and their e-mails and notifications are written in it (``language_of``). A
visitor who is not logged in keeps their choice in Django's language cookie.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language


def supported(code: str | None) -> str | None:
    """The site's language for ``code`` (``"zh-hans"``, ``"en"``), or None if the site has none."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def language_of(user) -> str:
    """The language to write to this person in: their saved choice, else the site's default."""
    return supported(getattr(user, "language", "")) or settings.LANGUAGE_CODE


def request_language(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        saved = supported(getattr(user, "language", ""))
        if saved:
            return saved
    return supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)) or settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Django's LocaleMiddleware without Accept-Language (and without language prefixes in paths,
    which the site does not use). Sits after AuthenticationMiddleware: it reads the person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The page depends on the cookie (language, session), not on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)


@require_POST
def set_language(request):
    """The menu's switch: Django's view (cookie, safe redirect back), plus the person's account."""
    response = django_set_language(request)
    form = LanguageForm(request.POST)
    if form.is_valid() and request.user.is_authenticated:
        request.user.language = form.cleaned_data["language"]
        request.user.save(update_fields=["language"])
    return response


@receiver(user_logged_in, dispatch_uid="hubsite.language.login")
def adopt_language_at_login(sender, request, user, **kwargs):
    """At login the saved choice wins; someone who never chose keeps what they picked on the login
    page (the cookie), saved from now on. The session's language follows either way."""
    if not hasattr(user, "language") or request is None:
        return
    if not supported(user.language):
        chosen = supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        if chosen:
            user.language = chosen
            user.save(update_fields=["language"])
    translation.activate(language_of(user))
