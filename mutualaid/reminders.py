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
claim / verified,      the hub checks a study-visit claim, or      who claimed and the
rejected, paid         records that it was paid                    organisation's directors
mentor / approved,     the hub reviews an offer to mentor          the person who offered
declined
help / requested       an organisation asks for a mentor or an     the mentor; for an activity, who
                       activity                                    listed it and the provider's
                                                                   directors
help / accepted,       the mentor or the provider answers          who asked
declined
pairing / paired       the hub pairs a pioneer with an             both organisations' directors
                       organisation
core_team / named,     the hub names a person on the group plan's  the person
role-<version>,        core team, changes their role, or takes
removed                them off it
topic_chosen / chosen  the host of a monthly topic meeting (or     who proposed the topic
                       the hub) chooses a voted topic for it
joint_invited /        the lead organisation (or the hub) invites  the invited organisation's
invited                an organisation to a joint action           directors
=====================  ==========================================  ================================
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hubsite.core.notifications import notify, object_key, register_kind
from hubsite.core.roles import PARTNER_ROLES, Role
from partners.models import User

from .choices import (
    ApplicationStatus,
    ClaimStatus,
    Decision,
    HelpRequestStatus,
    OfferStatus,
    VisitStatus,
    WaitStatus,
)

# Who can receive each kind: the partner side only (the hub decides these); directors for what
# only a director is told.
ADMISSION = register_kind(
    "mutualaid.admission", gettext_lazy("Mutual-aid group admission decided"), roles=PARTNER_ROLES
)
APPLICATION = register_kind(
    "mutualaid.application", gettext_lazy("Expansion funding application decided"), roles=PARTNER_ROLES
)
VISIT = register_kind("mutualaid.visit", gettext_lazy("Study visit decided"), roles=PARTNER_ROLES)
COACHING = register_kind(
    "mutualaid.coaching", gettext_lazy("Coaching from the waiting list scheduled"), roles={Role.DIRECTOR}
)
CLAIM = register_kind(
    "mutualaid.claim", gettext_lazy("Study-visit claim checked or paid"), roles=PARTNER_ROLES
)
MENTOR = register_kind("mutualaid.mentor", gettext_lazy("Offer to mentor reviewed"), roles=PARTNER_ROLES)
HELP_REQUESTED = register_kind("mutualaid.help_requested", gettext_lazy("Someone asks your help"))
PAIRING = register_kind("mutualaid.pairing", gettext_lazy("Pioneer pairing made"), roles={Role.DIRECTOR})
HELP_ANSWERED = register_kind("mutualaid.help_answered", gettext_lazy("Your request for help answered"))


def _with_note(body: str, note: str) -> str:
    """The decision's reason or remark, when the hub wrote one, after the notice itself."""
    if not note:
        return body
    return f"{body}\n\n" + _("The hub's note: %(note)s") % {"note": note}


def yuan(amount) -> str:
    """An amount as the pages show it, with its two decimals (as stored, whatever was typed)."""
    return "" if amount is None else number_format(amount, decimal_pos=2)


def _tell(kind, people, about, *, step: str, texts, url: str) -> None:
    """One notice per person about the decided object (its natural key: kind, person, object, step).

    ``texts()`` returns the subject and body in the active language: notify calls it with each
    person's language active, so everyone reads the notice in their own."""
    for person in people:
        notify(
            kind.code,
            person,
            key=object_key(about),
            step=step,
            subject=lambda: texts()[0],
            body=lambda: texts()[1],
            url=url,
        )


def admission_decided(result) -> None:
    """The organisation's people hear whether it was admitted to the group in this round."""
    organisation = result.organisation
    values = {"organisation": organisation, "round": result.round}

    def texts():
        if result.decision == Decision.ADMITTED:
            subject = _("Admitted to the mutual-aid group: %(organisation)s") % values
            body = _("%(organisation)s has been admitted to the mutual-aid group in %(round)s.") % values
        else:
            subject = _("Not admitted to the mutual-aid group: %(organisation)s") % values
            body = _("%(organisation)s was not admitted to the mutual-aid group in %(round)s.") % values
        body = _with_note(body, result.decision_note)
        return subject, body

    people = User.objects.filter(organisation=organisation, role__in=PARTNER_ROLES, is_active=True)
    _tell(
        ADMISSION,
        people.order_by("pk"),
        result,
        step=result.decision,
        texts=texts,
        url=reverse("mutualaid:checklist", args=[organisation.pk]),
    )


def application_decided(application) -> None:
    """The applicant hears whether the expansion funding was approved, and how much."""

    def texts():
        values = {"site": application.site_name, "amount": yuan(application.approved_amount)}
        if application.status == ApplicationStatus.APPROVED:
            subject = _("Expansion funding approved: %(site)s") % values
            body = _("Your application for %(site)s was approved: %(amount)s yuan.") % values
        else:
            subject = _("Expansion funding not approved: %(site)s") % values
            body = _("Your application for %(site)s was not approved.") % values
        body = _with_note(body, application.decision_note)
        return subject, body

    _tell(
        APPLICATION,
        [application.applicant],
        application,
        step=application.status,
        texts=texts,
        url=application.get_absolute_url(),
    )


def visit_decided(visit) -> None:
    """Who requested the study visit hears whether it was approved (its estimate is then reserved)."""

    def texts():
        values = {
            "centre": visit.host_centre,
            "date": date_format(visit.visit_on),
            "cost": yuan(visit.estimated_cost),
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
        return subject, body

    _tell(
        VISIT,
        [visit.requested_by],
        visit,
        step=visit.status,
        texts=texts,
        url=visit.get_absolute_url(),
    )


def coaching_scheduled(request, session) -> None:
    """The director on the waiting list hears that the hub has given them a session."""

    def texts():
        values = {"topic": request.topic, "date": date_format(session.held_on), "coach": session.coach}
        subject = _("Coaching scheduled: %(topic)s") % values
        body = (
            _('Your coaching request "%(topic)s" has been answered: a session with %(coach)s on %(date)s.')
            % values
        )
        return subject, body

    _tell(
        COACHING,
        [request.director],
        request,
        step=WaitStatus.SCHEDULED,
        texts=texts,
        url=session.get_absolute_url(),
    )


def _directors(organisation_id):
    return User.objects.filter(organisation_id=organisation_id, role="director", is_active=True)


def _people(*groups) -> list:
    """Each person once, in a stable order."""
    seen = {}
    for group in groups:
        for person in group:
            if person is not None and person.is_active:
                seen.setdefault(person.pk, person)
    return [seen[pk] for pk in sorted(seen)]


def claim_decided(visit) -> None:
    """Who claimed and the organisation's directors hear how the hub checked the claim, and when it is paid."""

    def texts():
        values = {
            "centre": visit.host_centre,
            "date": date_format(visit.visit_on),
            "claimed": yuan(visit.actual_cost),
            "amount": yuan(visit.verified_amount),
        }
        if visit.claim_status == ClaimStatus.VERIFIED:
            subject = _("Claim verified: %(centre)s, %(date)s") % values
            if visit.claim_amount_adjusted:
                body = _("Your claim of %(claimed)s yuan was verified at %(amount)s yuan.") % values
            else:
                body = _("Your claim of %(claimed)s yuan was verified.") % values
        elif visit.claim_status == ClaimStatus.REJECTED:
            subject = _("Claim rejected: %(centre)s, %(date)s") % values
            body = _("Your claim of %(claimed)s yuan was rejected.") % values
        else:
            subject = _("Claim paid: %(centre)s, %(date)s") % values
            body = _("%(amount)s yuan of your claim has been paid.") % values
        body = _with_note(body, visit.verification_note if visit.claim_status != ClaimStatus.PAID else "")
        return subject, body

    _tell(
        CLAIM,
        _people([visit.requested_by], _directors(visit.organisation_id)),
        visit,
        step=visit.claim_status,
        texts=texts,
        url=visit.get_absolute_url(),
    )


def mentor_reviewed(mentor) -> None:
    """The person who offered to mentor hears whether the offer is in the pool."""

    def texts():
        if mentor.status == OfferStatus.APPROVED:
            subject = _("You are in the mentor pool")
            body = _("The hub has approved your offer to mentor; other organisations can now ask for you.")
        else:
            subject = _("Your offer to mentor was not accepted")
            body = _("The hub has not accepted your offer to mentor.")
        body = _with_note(body, mentor.review_note)
        return subject, body

    _tell(
        MENTOR,
        [mentor.person],
        mentor,
        step=mentor.status,
        texts=texts,
        url=mentor.get_absolute_url(),
    )


def help_requested(request) -> None:
    """The mentor (or the activity's provider) hears at once that someone asks for their help."""
    from .models import MentorRequest

    values = {"organisation": request.organisation.display_name}
    if isinstance(request, MentorRequest):
        people = [request.mentor.person]
    else:
        people = _people([request.activity.created_by], _directors(request.activity.organisation_id))
        values["activity"] = request.activity.title

    def texts():
        if isinstance(request, MentorRequest):
            subject = _("%(organisation)s asks you to mentor them") % values
        else:
            subject = _("%(organisation)s asks for your activity: %(activity)s") % values
        return subject, f"{subject}\n\n{request.message}"

    _tell(
        HELP_REQUESTED,
        people,
        request,
        step=HelpRequestStatus.REQUESTED,
        texts=texts,
        url=request.get_absolute_url(),
    )


def help_answered(request) -> None:
    """Whoever asked hears at once whether the mentor or the provider accepted."""
    from .models import MentorRequest

    def texts():
        if isinstance(request, MentorRequest):
            values = {"who": request.mentor.person.full_name}
        else:
            values = {"who": f"{request.activity.organisation.display_name} · {request.activity.title}"}
        if request.status == HelpRequestStatus.ACCEPTED:
            subject = _("Request accepted: %(who)s") % values
            body = _("%(who)s accepted your request.") % values
        else:
            subject = _("Request declined: %(who)s") % values
            body = _("%(who)s declined your request.") % values
        body = _with_note(body, request.answer_note)
        return subject, body

    _tell(
        HELP_ANSWERED,
        [request.requested_by],
        request,
        step=request.status,
        texts=texts,
        url=request.get_absolute_url(),
    )


def pairing_made(pairing) -> None:
    """Both organisations' directors hear that the hub paired them, with the goals."""

    def texts():
        values = {
            "pioneer": pairing.pioneer.display_name,
            "partner": pairing.partner.display_name,
            "start": date_format(pairing.starts_on),
            "end": date_format(pairing.ends_on),
        }
        subject = _("Pioneer pairing: %(pioneer)s accompanies %(partner)s") % values
        body = _("From %(start)s to %(end)s, %(pioneer)s accompanies %(partner)s.") % values
        body = f"{body}\n\n{pairing.goals}"
        return subject, body

    _tell(
        PAIRING,
        _people(_directors(pairing.pioneer_id), _directors(pairing.partner_id)),
        pairing,
        step="paired",
        texts=texts,
        url=pairing.get_absolute_url(),
    )


# --- The group's own work: plan, topics, joint actions ----------------------------------------
# Plan action items are the meetings' action items: their owners get the meetings' daily digest.
CORE_TEAM = register_kind(
    "mutualaid.core_team", gettext_lazy("Named to the group's core team"), roles=PARTNER_ROLES
)
TOPIC_CHOSEN = register_kind(
    "mutualaid.topic_chosen", gettext_lazy("Your proposed topic chosen"), roles=PARTNER_ROLES
)
JOINT_INVITED = register_kind(
    "mutualaid.joint_invited", gettext_lazy("Invited to a joint action"), roles={Role.DIRECTOR}
)


def core_team_named(member) -> None:
    """The person hears that the group's plan names them on the core team, and in which role."""

    def texts():
        values = {"plan": member.plan.title, "role": member.role}
        subject = _("You are on the core team: %(plan)s") % values
        body = _("The group's plan %(plan)s names you on the core team as %(role)s.") % values
        return subject, body

    _tell(
        CORE_TEAM,
        [member.person],
        member,
        step="named",
        texts=texts,
        url=reverse("mutualaid:plan"),
    )


def core_team_role_changed(member, previous: str) -> None:
    """The person hears their new role on the core team (each change once: its version is the step)."""
    values = {"plan": member.plan.title, "role": member.role, "previous": previous}

    def texts():
        subject = _("Your core team role is now %(role)s: %(plan)s") % values
        body = (
            _(
                "In the group's plan %(plan)s your role on the core team changed from %(previous)s to %(role)s."
            )
            % values
        )
        return subject, body

    _tell(
        CORE_TEAM,
        [member.person],
        member,
        step=f"role-{member.version}",
        texts=texts,
        url=reverse("mutualaid:plan"),
    )


def core_team_removed(member) -> None:
    """The person hears that the hub took them off the core team."""
    values = {"plan": member.plan.title, "role": member.role}

    def texts():
        subject = _("You are no longer on the core team: %(plan)s") % values
        body = (
            _("The group's plan %(plan)s no longer lists you on the core team (you were %(role)s).") % values
        )
        return subject, body

    _tell(
        CORE_TEAM,
        [member.person],
        member,
        step="removed",
        texts=texts,
        url=reverse("mutualaid:plan"),
    )


def topic_chosen(topic, meeting) -> None:
    """Who proposed the topic hears that the host chose it for a monthly topic meeting."""

    def texts():
        values = {"topic": topic.title, "meeting": meeting.title, "host": meeting.host or ""}
        subject = _("Your topic was chosen: %(topic)s") % values
        body = _('%(host)s chose your topic "%(topic)s" for %(meeting)s.') % values
        return subject, body

    _tell(
        TOPIC_CHOSEN,
        [topic.proposed_by],
        topic,
        step="chosen",
        texts=texts,
        url=meeting.get_absolute_url(),
    )


def joint_invited(participant) -> None:
    """The invited organisation's directors hear about the joint action and log their part there."""
    action = participant.action

    def texts():
        values = {
            "action": action.title,
            "organisation": participant.organisation.display_name,
            "start": date_format(action.starts_on),
            "end": date_format(action.ends_on),
        }
        subject = _("Joint action: %(action)s") % values
        body = (
            _(
                "%(organisation)s is invited to the joint action %(action)s (%(start)s to %(end)s). "
                "Log what your organisation does on the action's page."
            )
            % values
        )
        body = f"{body}\n\n{action.description}"
        return subject, body

    _tell(
        JOINT_INVITED,
        _people(_directors(participant.organisation_id)),
        participant,
        step="invited",
        texts=texts,
        url=action.get_absolute_url(),
    )


def coaching_logged(session) -> None:
    """A coaching session the hub scheduled for a director outside the waiting list: they hear of it at once."""

    def texts():
        values = {"topic": session.topic, "date": date_format(session.held_on), "coach": session.coach}
        subject = _("Coaching scheduled: %(topic)s") % values
        body = _("The hub has scheduled a coaching session for you with %(coach)s on %(date)s.") % values
        return subject, body

    _tell(
        COACHING,
        [session.director],
        session,
        step=WaitStatus.SCHEDULED,
        texts=texts,
        url=session.get_absolute_url(),
    )
