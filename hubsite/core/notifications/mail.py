"""Rendering and sending one notification e-mail (HTML and text, in the recipient's language, with a
link).

Apps may attach a file to the e-mails of one kind of notification (a meeting invitation carries the
meeting's .ics): ``register_attachment(kind, builder)`` where ``builder(notification)`` returns
``(filename, content bytes, mimetype)`` or None when there is nothing to attach (say, the object was
deleted since).
"""

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from hubsite.core.language import language_of

Attachment = tuple[str, bytes, str]
ATTACHMENTS: dict[str, Callable[[object], Attachment | None]] = {}


def register_attachment(kind: str, builder: Callable[[object], Attachment | None]) -> None:
    ATTACHMENTS[kind] = builder


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


def send(notification) -> None:
    # The subject and body were written in the recipient's language when the row was made (notify);
    # the frame, the subject's prefix and the From's hub name follow the same language here.
    with translation.override(language_of(notification.recipient)):
        context = {"notification": notification, "link": absolute(notification.url)}
        text = render_to_string("hubsite/notifications/email.txt", context)
        html = render_to_string("hubsite/notifications/email.html", context)
        message = EmailMultiAlternatives(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notification.subject}",
            body=text,
            to=[notification.recipient.email],
        )
        message.attach_alternative(html, "text/html")
        builder = ATTACHMENTS.get(notification.kind)
        attachment = builder(notification) if builder else None
        if attachment:
            message.attach(*attachment)
        message.send()
