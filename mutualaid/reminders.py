"""Notices of the group's decisions, sent at once to the people waiting for them.

There is no sweep: the ``do_*`` action that takes a decision calls one function here inside its
transaction, so the notice is committed with the decision and its e-mail leaves on commit (through
the outbox). The module is named like every app's ``reminders`` so that the kinds are registered in
every process (``hubsite.core.notifications.autodiscover``).

=====================  ==========================================  ================================
kind / step            decision                                    to whom
=====================  ==========================================  ================================
admission / admitted,  an organisation of an admission round is    the organisation's partner
declined               admitted or declined                        people (director and staff)
application /          an expansion-funding application is         the applicant
approved, declined     approved or declined
visit / approved,      a study visit is approved or declined       who requested it
declined
coaching / scheduled   a session is logged for a director on the   the director
                       coaching waiting list
=====================  ==========================================  ================================
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hubsite.core.notifications import notify, object_key, register_kind
from hubsite.core.roles import PARTNER_ROLES
from partners.models import User

from .choices import ApplicationStatus, Decision, VisitStatus, WaitStatus

ADMISSION = register_kind("mutualaid.admission", gettext_lazy("Mutual-aid group admission decided"))
APPLICATION = register_kind("mutualaid.application", gettext_lazy("Expansion funding application decided"))
VISIT = register_kind("mutualaid.visit", gettext_lazy("Study visit decided"))
COACHING = register_kind("mutualaid.coaching", gettext_lazy("Coaching from the waiting list scheduled"))


def _with_note(body: str, note: str) -> str:
    """The decision's reason or remark, when the hub wrote one, after the notice itself."""
    if not note:
        return body
    return f"{body}\n\n" + _("The hub's note: %(note)s") % {"note": note}


def _yuan(amount) -> str:
    """An amount as the pages show it, with its two decimals (as stored, whatever was typed)."""
    return "" if amount is None else number_format(amount, decimal_pos=2)


def _tell(kind, people, about, *, step: str, subject: str, body: str, url: str) -> None:
    """One notice per person about the decided object (its natural key: kind, person, object, step)."""
    for person in people:
        notify(kind.code, person, key=object_key(about), step=step, subject=subject, body=body, url=url)


def admission_decided(result) -> None:
    """The organisation's people hear whether it was admitted to the group in this round."""
    organisation = result.organisation
    values = {"organisation": organisation, "round": result.round}
    with translation.override(settings.LANGUAGE_CODE):
        if result.decision == Decision.ADMITTED:
            subject = _("Admitted to the mutual-aid group: %(organisation)s") % values
            body = _("%(organisation)s has been admitted to the mutual-aid group in %(round)s.") % values
        else:
            subject = _("Not admitted to the mutual-aid group: %(organisation)s") % values
            body = _("%(organisation)s was not admitted to the mutual-aid group in %(round)s.") % values
        body = _with_note(body, result.decision_note)
    people = User.objects.filter(organisation=organisation, role__in=PARTNER_ROLES, is_active=True)
    _tell(
        ADMISSION,
        people.order_by("pk"),
        result,
        step=result.decision,
        subject=subject,
        body=body,
        url=reverse("mutualaid:checklist", args=[organisation.pk]),
    )


def application_decided(application) -> None:
    """The applicant hears whether the expansion funding was approved, and how much."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {"site": application.site_name, "amount": _yuan(application.approved_amount)}
        if application.status == ApplicationStatus.APPROVED:
            subject = _("Expansion funding approved: %(site)s") % values
            body = _("Your application for %(site)s was approved: %(amount)s yuan.") % values
        else:
            subject = _("Expansion funding not approved: %(site)s") % values
            body = _("Your application for %(site)s was not approved.") % values
        body = _with_note(body, application.decision_note)
    _tell(
        APPLICATION,
        [application.applicant],
        application,
        step=application.status,
        subject=subject,
        body=body,
        url=application.get_absolute_url(),
    )


def visit_decided(visit) -> None:
    """Who requested the study visit hears whether it was approved (its estimate is then reserved)."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "centre": visit.host_centre,
            "date": date_format(visit.visit_on),
            "cost": _yuan(visit.estimated_cost),
            "year": visit.visit_on.year,
        }
        if visit.status == VisitStatus.APPROVED:
            subject = _("Study visit approved: %(centre)s, %(date)s") % values
            body = (
                _(
                    "Your study visit to %(centre)s on %(date)s was approved; %(cost)s yuan of the %(year)s "
                    "budget is reserved for it. After the visit, claim the travel subsidy on the visit's page."
                )
                % values
            )
        else:
            subject = _("Study visit not approved: %(centre)s, %(date)s") % values
            body = _("Your study visit to %(centre)s on %(date)s was not approved.") % values
        body = _with_note(body, visit.decision_note)
    _tell(
        VISIT,
        [visit.requested_by],
        visit,
        step=visit.status,
        subject=subject,
        body=body,
        url=visit.get_absolute_url(),
    )


def coaching_scheduled(request, session) -> None:
    """The director on the waiting list hears that the hub has given them a session."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {"topic": request.topic, "date": date_format(session.held_on), "coach": session.coach}
        subject = _("Coaching scheduled: %(topic)s") % values
        body = (
            _('Your coaching request "%(topic)s" has been answered: a session with %(coach)s on %(date)s.')
            % values
        )
    _tell(
        COACHING,
        [request.director],
        request,
        step=WaitStatus.SCHEDULED,
        subject=subject,
        body=body,
        url=session.get_absolute_url(),
    )
