"""Rendering and sending one notification e-mail (HTML and text, in Chinese, with a link)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


def send(notification) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"notification": notification, "link": absolute(notification.url)}
        text = render_to_string("hubsite/notifications/email.txt", context)
        html = render_to_string("hubsite/notifications/email.html", context)
        message = EmailMultiAlternatives(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notification.subject}",
            body=text,
            to=[notification.recipient.email],
        )
        message.attach_alternative(html, "text/html")
        message.send()
