"""Writes with side effects (Zulip's ``do_*`` style): one transaction each, e-mails after commit."""

from __future__ import annotations

import datetime

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hubsite.core.language import language_of
from hubsite.core.notifications import notify, object_key, register_kind
from hubsite.core.roles import HUB_ROLES

from .choices import OrganisationStatus
from .models import Interest, Organisation, User

# Hub staff answer the public page's interest form.
INTEREST_KIND = register_kind(
    "partners.interest", gettext_lazy("New interest from a local organisation"), roles=HUB_ROLES
)


def invitation_link(user: User) -> str:
    """An absolute link to allauth's set-password page, valid for ``PASSWORD_RESET_TIMEOUT``.

    The token hashes the password and last login, so the link dies once it has been used.
    """
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return settings.SITE_URL.rstrip("/") + path


def send_invitation(user_id: int) -> None:
    """Send (or send again) the invitation e-mail, as text and HTML, in the person's language (a new
    person has not chosen one: Chinese)."""
    user = User.objects.select_related("organisation", "invited_by").get(pk=user_id)
    with translation.override(language_of(user)):
        context = {
            "user": user,
            "link": invitation_link(user),
            "site_url": settings.SITE_URL,
            "valid_days": settings.INVITATION_VALID_DAYS,
        }
        subject = render_to_string("partners/email/invitation_subject.txt", context).strip()
        text = render_to_string("partners/email/invitation.txt", context)
        html = render_to_string("partners/email/invitation.html", context)
        # The From's and the prefix's hub name are lazy: built here, in the same language.
        message = EmailMultiAlternatives(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", body=text, to=[user.email]
        )
        message.attach_alternative(html, "text/html")
        message.send()


def do_invite_person(
    *,
    email: str,
    full_name: str,
    role: str,
    invited_by: User,
    position: str = "",
    organisation: Organisation | None = None,
    phone: str = "",
) -> User:
    """Create the person with no usable password and, once committed, e-mail them a set-password link."""
    with transaction.atomic():
        user = User(
            email=User.objects.normalize_email(email).strip().lower(),
            full_name=full_name,
            role=role,
            position=position,
            organisation=organisation,
            phone=phone,
            invited_by=invited_by,
            invited_at=timezone.now(),
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
        sync_login_email(user)
        _enqueue_invitation(user)
    return user


def do_resend_invitation(user: User) -> None:
    _enqueue_invitation(user)


def _enqueue_invitation(user: User) -> None:
    """A worker sends the e-mail (an SMTP or broker outage must not turn the invitation into an error
    page); `once`: a message delivered twice still sends one e-mail."""
    from hubsite.core import outbox

    outbox.enqueue("partners.send_invitation_email", user.pk, once=True)


def do_deactivate_person(user: User) -> None:
    """Switch the login off; their records stay, and hub staff can switch it on again."""
    user.is_active = False
    user.save(update_fields=["is_active"])


def sync_login_email(user: User) -> None:
    """Make allauth's EmailAddress rows say what ``User.email`` says: one row, primary, nothing else.

    allauth logs people in and sends password resets by any EmailAddress row, not only by
    ``User.email``, and writes such rows itself (a reset link records the address it was made for).
    A row left behind by an earlier address would keep that address working; a stale row of someone
    else's with this address would let them in as well.
    """
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).exclude(email=user.email).delete()
    EmailAddress.objects.filter(email__iexact=user.email).exclude(user=user).delete()
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": False}
    )
    if not address.primary:
        address.primary = True
        address.save(update_fields=["primary"])


def do_update_person(form) -> User:
    """Hub staff's save of a person (``PersonEditForm``): the login e-mail changes here and only here,
    together with allauth's address rows, in one transaction. Reset and invitation links sent to the
    old address stop working (allauth's reset tokens hash the person's addresses)."""
    with transaction.atomic():
        user = form.save()
        sync_login_email(user)
    return user


def do_register_interest(data) -> Organisation:
    """A local organisation's wish to start a centre (the public ``InterestForm``'s cleaned data):
    create it as a prospect, keep the person's details with the moment they consented to the privacy
    notice (``Interest``), and tell every active hub person, each in their own language, in one
    transaction. The notifications are rows of that transaction; their e-mails go through the outbox
    once it commits."""
    with transaction.atomic():
        now = timezone.now()
        organisation = Organisation.objects.create(
            name=data["name"],
            prefecture=data["prefecture"],
            contact_name=data["contact_name"],
            contact_phone=data.get("contact_phone", ""),
            contact_email=data.get("contact_email", ""),
            description=data["description"],
            status=OrganisationStatus.PROSPECT,
            status_changed_on=timezone.localdate(),
        )
        Interest.objects.create(
            organisation=organisation,
            contact_name=organisation.contact_name,
            contact_phone=organisation.contact_phone,
            contact_email=organisation.contact_email,
            consented_at=now,
            received_at=now,
        )

        def subject():
            return _("New interest: %(name)s") % {"name": organisation.name}

        def body():
            return _("%(name)s in %(prefecture)s would like to start a centre. Contact: %(contact)s") % {
                "name": organisation.name,
                "prefecture": organisation.prefecture,
                "contact": organisation.contact_name,
            }

        for person in User.objects.filter(role__in=HUB_ROLES, is_active=True):
            notify(
                INTEREST_KIND.code,
                person,
                key=object_key(organisation),
                subject=subject,
                body=body,
                url=organisation.get_absolute_url(),
            )
    return organisation


def do_forget_interests(interests, now=None) -> int:
    """Delete these expressions of interest (a queryset), and clear the contact details each put on
    its organisation if that organisation is still only a prospect and still shows exactly those
    details (a partner that joined, or details hub staff entered since, are the hub's own record).
    The retention purge and a hub admin's delete for a privacy request both forget a person this way.
    Returns how many were deleted."""
    now = now or timezone.now()
    with transaction.atomic():
        old = list(interests.select_related(None))
        for interest in old:
            # One conditional update: an edit form open on the organisation sees the version move.
            Organisation.objects.filter(
                pk=interest.organisation_id,
                status=OrganisationStatus.PROSPECT,
                contact_name=interest.contact_name,
                contact_phone=interest.contact_phone,
                contact_email=interest.contact_email,
            ).update(
                contact_name="", contact_phone="", contact_email="", version=F("version") + 1, updated_at=now
            )
        Interest.objects.filter(pk__in=[interest.pk for interest in old]).delete()
    return len(old)


def do_purge_old_interests(now=None) -> int:
    """Forget the expressions of interest older than ``INTEREST_RETENTION_DAYS`` (the privacy notice's
    promise). Running it again deletes nothing more. Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.INTEREST_RETENTION_DAYS)
    return do_forget_interests(Interest.objects.filter(received_at__lt=cutoff), now)
