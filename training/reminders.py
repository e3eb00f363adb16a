"""Notices of the talent programme's decisions, sent at once to the people waiting for them.

The ``do_*`` action that takes a decision calls one function here inside its transaction, so the
notice is committed with the decision and its e-mail leaves on commit (through the outbox). Named
``reminders`` like every app's, so the kinds are registered in every process.

=======================  ============================================  ===========================
kind / step              decision                                      to whom
=======================  ============================================  ===========================
decision / selected,     the hub selects, waiting-lists or turns down   the applicant
waitlisted, not_selected an application
decision / moved_up      a place freed: the head of the waiting list    the applicant
                         is selected
decision / deferred,     completion deferred on request, or completed   the learner
completed                with a certificate
endorsement / submitted  a person of the organisation applied           the organisation's director
=======================  ============================================  ===========================
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hubsite.core.notifications import notify, object_key, register_kind
from hubsite.core.roles import PARTNER_ROLES, Role
from partners.models import User

from .choices import ApplicationStatus

DECISION = register_kind(
    "training.decision", gettext_lazy("Talent programme decision"), required=True, roles=PARTNER_ROLES
)
ENDORSEMENT = register_kind(
    "training.endorsement", gettext_lazy("Talent programme application to endorse"), roles={Role.DIRECTOR}
)

MOVED_UP = "moved_up"


def _message(application, step: str) -> tuple[str, str]:
    """The subject and body in the active language (called by notify in the applicant's)."""
    values = {"module": application.module, "programme": application.module.programme}
    if step == ApplicationStatus.SELECTED:
        return (
            _("Selected: %(module)s") % values,
            _("You have been selected for the module %(module)s of %(programme)s.") % values,
        )
    if step == ApplicationStatus.WAITLISTED:
        return (
            _("On the waiting list: %(module)s") % values,
            _(
                "The module %(module)s is full; you are on its waiting list and will be told at once "
                "if a place frees up."
            )
            % values,
        )
    if step == ApplicationStatus.NOT_SELECTED:
        return (
            _("Not selected: %(module)s") % values,
            _("Your application to the module %(module)s was not selected this time.") % values,
        )
    if step == MOVED_UP:
        return (
            _("A place for you: %(module)s") % values,
            _(
                "A place in the module %(module)s freed up: you moved up from the waiting list and are selected."
            )
            % values,
        )
    if step == ApplicationStatus.DEFERRED:
        return (
            _("Completion deferred: %(module)s") % values,
            _("As you asked, your completion of the module %(module)s is deferred.") % values,
        )
    return (
        _("Completed: %(module)s") % values,
        _("You completed the module %(module)s; your certificate is ready to download.") % values,
    )


def decided(application, step: str) -> None:
    """The applicant (or learner) hears the decision on their application."""
    notify(
        DECISION.code,
        application.applicant,
        key=object_key(application),
        step=step,
        subject=lambda: _message(application, step)[0],
        body=lambda: _message(application, step)[1],
        url=application.get_absolute_url(),
    )


def to_endorse(application) -> None:
    """The organisation's director hears that one of their people applied and waits for them."""
    values = {"person": application.applicant, "module": application.module}

    # Written in each director's language by notify.
    def subject():
        return _("To endorse: %(person)s applied to %(module)s") % values

    def body():
        return _("%(person)s applied to the module %(module)s. Endorse the application on its page.") % values

    directors = User.objects.filter(
        organisation_id=application.organisation_id, role=Role.DIRECTOR, is_active=True
    )
    for director in directors.order_by("pk"):
        notify(
            ENDORSEMENT.code,
            director,
            key=object_key(application),
            step=ApplicationStatus.SUBMITTED,
            subject=subject,
            body=body,
            url=application.get_absolute_url(),
        )
