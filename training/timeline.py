"""What the talent programme contributes to an organisation's support timeline
(``partners.hooks.timeline_sources``): certificates its people earned. Training sessions are
meetings, so the meetings app's "meeting attended" events already show them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Certificate


def certificates(organisation, user, since, until) -> list[dict]:
    """Certificates issued to the organisation's people (one query)."""
    issued = (
        Certificate.objects.for_user(user)
        .filter(application__organisation=organisation, issued_on__gte=since, issued_on__lte=until)
        .select_related("application__applicant", "application__module")
    )
    return [
        {
            "date": certificate.issued_on,
            "category": _("Certificate"),
            "title": (
                _("%(person)s: honour certificate, %(module)s")
                if certificate.honour
                else _("%(person)s: certificate, %(module)s")
            )
            % {"person": certificate.application.applicant, "module": certificate.application.module.name},
            "detail": _("Revoked") if certificate.revoked else "",
            "url": certificate.application.get_absolute_url(),
        }
        for certificate in issued
    ]


def register() -> None:
    from partners.hooks import timeline_sources

    timeline_sources.register(certificates)
