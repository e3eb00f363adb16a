"""Writes with side effects, one transaction each (Zulip ``do_*`` style).

Every function checks the state it needs under a row lock and raises ``ValidationError`` with the
message keyed by the form field it belongs to, so views can show it next to the field and nothing is
saved. Organisations are always taken from the acting user, never from submitted data. A decision
someone waits for (admitted, approved, declined, coaching scheduled) notifies them in the same
transaction (``reminders``): the notice is committed with the decision, its e-mail leaves on commit.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hubsite.core.models import StaleObjectError
from partners.choices import CentreStatus
from partners.models import Centre, Organisation

from . import reminders
from .choices import (
    CRITERIA_ORDER,
    ApplicationStatus,
    ClaimStatus,
    Decision,
    HelpKind,
    OfferStatus,
    RoundKind,
    SessionKind,
    VisitStatus,
    WaitStatus,
)
from .criteria import evaluate_all
from .models import (
    Activity,
    ActivityRequest,
    BudgetUse,
    CoachingRequest,
    CoachingSession,
    EligibilityPolicy,
    ExpansionFundingApplication,
    HelpHours,
    Membership,
    Mentor,
    MentorRequest,
    PioneerPairing,
    ReviewResult,
    ReviewRound,
    StudyVisit,
)


def is_member(organisation_id: int | None, day: datetime.date | None = None) -> bool:
    if not organisation_id:
        return False
    return Membership.objects.filter(organisation_id=organisation_id).current(day).exists()


def _own_organisation(user) -> Organisation:
    if not (user.is_partner and user.organisation_id):
        raise PermissionDenied
    return user.organisation


# ---------------------------------------------------------------------------------------------
# Policy and reviews


@transaction.atomic
def do_change_policy(
    *,
    by,
    expected_version: int,
    required,
    min_optional_met,
    project_months,
    min_rating,
    expansion_rule,
    note="",
) -> EligibilityPolicy:
    """Save the policy as a new version; refuse (``StaleObjectError``) if someone else published one
    since the form was loaded."""
    # A policy changes every partner's eligibility: hub admins decide it (hub staff run the group
    # day to day under it). Checked here too, so no other caller can publish one for hub staff.
    if not by.is_hub_admin:
        raise PermissionDenied
    current = EligibilityPolicy.objects.select_for_update().order_by("-version").first()
    current_version = current.version if current else 0
    if current and current.version != expected_version:
        raise StaleObjectError(current)
    policy = EligibilityPolicy(
        version=current_version + 1,
        required=[code for code in CRITERIA_ORDER if code in required],
        min_optional_met=min_optional_met,
        project_months=project_months,
        min_rating=min_rating,
        expansion_rule=expansion_rule,
        note=note,
        created_by=by,
    )
    policy.full_clean(exclude=["version"])
    policy.save()
    return policy


@transaction.atomic
def do_run_review(
    *, by, as_of: datetime.date, name: str, cohort: str, kind=RoundKind.ADMISSION
) -> ReviewRound:
    """Evaluate every active partner (a re-check: every member) and freeze the results.

    Members that no longer meet the policy are flagged in a re-check; nobody is removed.
    """
    if not by.is_hub:
        raise PermissionDenied
    policy = EligibilityPolicy.objects.current()
    members = set(Membership.objects.current(as_of).values_list("organisation_id", flat=True))
    organisations = Organisation.objects.partners()
    if kind == RoundKind.RECHECK:
        organisations = organisations.filter(pk__in=members)
    else:
        organisations = organisations.active()
    review = ReviewRound.objects.create(
        name=name, cohort=cohort, kind=kind, as_of=as_of, policy=policy, run_by=by
    )
    ReviewResult.objects.bulk_create(
        ReviewResult(
            round=review,
            organisation=evaluation.organisation,
            snapshot=evaluation.snapshot(),
            qualifies=evaluation.qualifies,
            missing=evaluation.missing,
            missing_count=evaluation.missing_count,
            was_member=evaluation.organisation.pk in members,
            flagged=evaluation.organisation.pk in members and not evaluation.qualifies,
        )
        for evaluation in evaluate_all(organisations, as_of=as_of, policy=policy)
    )
    return review


@transaction.atomic
def do_decide(*, result_id: int, by, decision: str, note: str = "", joined_on=None) -> ReviewResult:
    """Admit or decline one organisation of an admission round; admitting opens its membership.
    The organisation's people are told either way."""
    if not by.is_hub:
        raise PermissionDenied
    result = (
        ReviewResult.objects.select_for_update().select_related("round", "organisation").get(pk=result_id)
    )
    if result.round.kind != RoundKind.ADMISSION:
        raise ValidationError({"decision": _("A re-check only flags members; it admits nobody.")})
    if result.decision != Decision.PENDING:
        raise ValidationError({"decision": _("This organisation has already been decided in this round.")})
    if decision not in (Decision.ADMITTED, Decision.DECLINED):
        raise ValidationError({"decision": _("Choose admit or decline.")})
    if decision == Decision.ADMITTED:
        _admit(result, note, joined_on or timezone.localdate())
    elif not note.strip():
        raise ValidationError({"note": _("Say why the organisation is declined; it will read this.")})
    result.decision = decision
    result.decision_note = note.strip()
    result.decided_by = by
    result.decided_at = timezone.now()
    result.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
    reminders.admission_decided(result)
    return result


def _admit(result: ReviewResult, note: str, joined_on: datetime.date) -> Membership:
    """Open the membership of a result being admitted (within ``do_decide``'s transaction)."""
    if not result.qualifies and not note.strip():
        raise ValidationError(
            {
                "note": _(
                    "This organisation did not meet the policy in this round: explain why it is admitted."
                )
            }
        )
    if (
        Membership.objects.select_for_update()
        .filter(organisation=result.organisation, left_on__isnull=True)
        .exists()
    ):
        raise ValidationError({"decision": _("This organisation is already a member of the group.")})
    return Membership.objects.create(
        organisation=result.organisation,
        cohort=result.round.cohort,
        joined_on=joined_on,
        admitted_in=result,
    )


@transaction.atomic
def do_end_membership(*, membership_id: int, by, left_on: datetime.date, reason: str) -> Membership:
    if not by.is_hub:
        raise PermissionDenied
    membership = Membership.objects.select_for_update().get(pk=membership_id)
    if membership.left_on is not None:
        raise ValidationError({"left_on": _("This membership has already ended.")})
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _("A membership cannot end before it started.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for leaving.")})
    membership.left_on = left_on
    membership.left_reason = reason.strip()
    membership.save(update_fields=["left_on", "left_reason"])
    return membership


# ---------------------------------------------------------------------------------------------
# Expansion funding


@transaction.atomic
def do_submit_application(*, by, site_name, prefecture, site_type, address, budget, justification):
    organisation = _own_organisation(by)
    return ExpansionFundingApplication.objects.create(
        organisation=organisation,
        applicant=by,
        site_name=site_name,
        prefecture=prefecture,
        site_type=site_type,
        address=address,
        budget=budget,
        justification=justification,
    )


def _locked_application(application_id: int) -> ExpansionFundingApplication:
    return ExpansionFundingApplication.objects.select_for_update().get(pk=application_id)


@transaction.atomic
def do_start_review(*, application_id: int, by) -> ExpansionFundingApplication:
    if not by.is_hub:
        raise PermissionDenied
    application = _locked_application(application_id)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError({"action": _("Only a submitted application can be taken under review.")})
    application.status = ApplicationStatus.UNDER_REVIEW
    application.save(update_fields=["status"])
    return application


@transaction.atomic
def do_approve_application(
    *, application_id: int, by, amount: Decimal | None, note: str = "", create_centre: bool = False
) -> ExpansionFundingApplication:
    """Approve once: the row lock makes a second, concurrent approval see the first and refuse.
    The applicant is told."""
    if not by.is_hub:
        raise PermissionDenied
    application = _locked_application(application_id)
    if application.status == ApplicationStatus.APPROVED:
        raise ValidationError({"action": _("This application has already been approved.")})
    if not application.is_open:
        raise ValidationError({"action": _("This application is closed and cannot be approved.")})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Enter the approved amount.")})
    if amount > application.budget:
        raise ValidationError({"amount": _("The approved amount cannot exceed the budget applied for.")})
    if create_centre:
        application.centre = _planned_centre(application)
    application.status = ApplicationStatus.APPROVED
    application.approved_amount = amount
    application.decision_note = note
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save()
    reminders.application_decided(application)
    return application


def _planned_centre(application: ExpansionFundingApplication) -> Centre:
    """The centre an approved application plans, created as planned (refused if the name is taken)."""
    if Centre.objects.filter(
        organisation_id=application.organisation_id, name=application.site_name
    ).exists():
        raise ValidationError(
            {
                "create_centre": _(
                    "The organisation already has a centre with this name; untick to approve without it."
                )
            }
        )
    try:
        with transaction.atomic():
            return Centre.objects.create(
                organisation_id=application.organisation_id,
                name=application.site_name,
                prefecture_id=application.prefecture_id,
                site_type=application.site_type,
                address=application.address,
                status=CentreStatus.PLANNED,
            )
    except IntegrityError as error:
        raise ValidationError({"create_centre": _("The planned centre could not be created.")}) from error


@transaction.atomic
def do_decline_application(*, application_id: int, by, note: str) -> ExpansionFundingApplication:
    """Decline an open application with the reason, which the applicant is sent."""
    if not by.is_hub:
        raise PermissionDenied
    application = _locked_application(application_id)
    if not application.is_open:
        raise ValidationError({"action": _("This application is already closed.")})
    if not note.strip():
        raise ValidationError({"note": _("Say why the application is declined.")})
    application.status = ApplicationStatus.DECLINED
    application.decision_note = note.strip()
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save()
    reminders.application_decided(application)
    return application


@transaction.atomic
def do_withdraw_application(*, application_id: int, by) -> ExpansionFundingApplication:
    application = _locked_application(application_id)
    if not (by.is_partner and by.organisation_id == application.organisation_id):
        raise PermissionDenied
    if not application.is_open:
        raise ValidationError({"action": _("This application is already closed.")})
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status"])
    return application


# ---------------------------------------------------------------------------------------------
# Study visits


def budget_status(organisation_id: int, year: int) -> BudgetUse:
    """The member's travel subsidy for the year, as every page shows it (``StudyVisit.objects.budget_of``)."""
    return StudyVisit.objects.budget_of(organisation_id, year)


def _require_member(organisation_id, day, field):
    if not is_member(organisation_id, day):
        raise ValidationError(
            {field: _("Only members of the mutual-aid group can claim the study-visit travel subsidy.")}
        )


@transaction.atomic
def do_request_visit(*, by, host_centre, visitors, visit_on, estimated_cost, purpose="") -> StudyVisit:
    organisation = _own_organisation(by)
    _require_member(organisation.pk, timezone.localdate(), "__all__")
    if host_centre.organisation_id == organisation.pk:
        raise ValidationError({"host_centre": _("Choose a centre of another organisation.")})
    return StudyVisit.objects.create(
        organisation=organisation,
        requested_by=by,
        host_centre=host_centre,
        visitors=visitors,
        visit_on=visit_on,
        estimated_cost=estimated_cost,
        purpose=purpose,
    )


@transaction.atomic
def do_decide_visit(*, visit_id: int, by, approve: bool, note: str = "") -> StudyVisit:
    """Approve within the member's budget for the visit's year (the estimate is reserved), or decline;
    whoever requested it is told."""
    if not by.is_hub:
        raise PermissionDenied
    visit = StudyVisit.objects.select_for_update().get(pk=visit_id)
    if visit.status != VisitStatus.REQUESTED:
        raise ValidationError({"approve": _("This visit has already been decided.")})
    if approve:
        # Lock the member's other visits of the year so two approvals cannot both fit the same budget.
        list(
            StudyVisit.objects.select_for_update()
            .filter(organisation_id=visit.organisation_id)
            .in_year(visit.visit_on.year)
        )
        _require_member(visit.organisation_id, timezone.localdate(), "approve")
        status = budget_status(visit.organisation_id, visit.visit_on.year)
        if status.budget is None:
            raise ValidationError(
                {"approve": _("No study-visit budget is set for %(year)s.") % {"year": visit.visit_on.year}}
            )
        if visit.estimated_cost > status.left:
            raise ValidationError(
                {
                    "approve": _("The estimate (%(cost)s) exceeds what is left of the budget (%(left)s).")
                    % {"cost": reminders.yuan(visit.estimated_cost), "left": reminders.yuan(status.left)}
                }
            )
        visit.status = VisitStatus.APPROVED
    else:
        if not note.strip():
            raise ValidationError({"note": _("Say why the visit is declined.")})
        visit.status = VisitStatus.DECLINED
    visit.decided_by = by
    visit.decided_at = timezone.now()
    visit.decision_note = note.strip()
    visit.save()
    reminders.visit_decided(visit)
    return visit


@transaction.atomic
def do_claim_visit(*, visit_id: int, by, actual_cost: Decimal, learning_note: str) -> StudyVisit:
    """Record what the visit cost and what was learnt; refuse more than the budget has left."""
    visit = StudyVisit.objects.select_for_update().get(pk=visit_id)
    if not (by.is_partner and by.organisation_id == visit.organisation_id):
        raise PermissionDenied
    _require_member(visit.organisation_id, timezone.localdate(), "__all__")
    if visit.status != VisitStatus.APPROVED:
        raise ValidationError(
            {"__all__": _("Only an approved visit that has not been claimed yet can be claimed.")}
        )
    if visit.visit_on > timezone.localdate():
        raise ValidationError({"actual_cost": _("Claim after the visit has taken place.")})
    list(
        StudyVisit.objects.select_for_update()
        .filter(organisation_id=visit.organisation_id)
        .in_year(visit.visit_on.year)
    )
    status = budget_status(visit.organisation_id, visit.visit_on.year)
    # The claim replaces this visit's own reservation, so that is available to it on top of what is
    # left. The message names both figures as the page shows them: quoting their sum alone read as a
    # "remaining" figure the page never showed.
    left = status.left or Decimal(0)
    if actual_cost > left + visit.estimated_cost:
        raise ValidationError(
            {
                "actual_cost": _(
                    "The claim (%(cost)s) exceeds what this visit may use: %(left)s left in the %(year)s "
                    "budget plus the %(reserved)s reserved for this visit."
                )
                % {
                    "cost": reminders.yuan(actual_cost),
                    "left": reminders.yuan(left),
                    "year": status.year,
                    "reserved": reminders.yuan(visit.estimated_cost),
                }
            }
        )
    if not learning_note.strip():
        raise ValidationError({"learning_note": _("Write a short note on what you learnt.")})
    visit.status = VisitStatus.CLAIMED
    visit.claim_status = ClaimStatus.SUBMITTED
    visit.actual_cost = actual_cost
    visit.learning_note = learning_note.strip()
    visit.claimed_at = timezone.now()
    visit.save()
    return visit


@transaction.atomic
def do_check_claim(*, visit_id: int, by, decision: str, amount: Decimal | None = None, note: str = ""):
    """The hub verifies a claim (at the amount the receipts support), rejects it, or records that the
    verified amount was paid. The visit's director and whoever claimed are told at once."""
    if not by.is_hub:
        raise PermissionDenied
    visit = StudyVisit.objects.select_for_update().get(pk=visit_id)
    if decision == ClaimStatus.VERIFIED:
        visit.verify_claim(by=by, amount=amount, note=note)
    elif decision == ClaimStatus.REJECTED:
        visit.reject_claim(by=by, note=note)
    elif decision == ClaimStatus.PAID:
        visit.mark_paid()
    else:
        raise ValidationError({"decision": _("Choose verify, reject or paid.")})
    visit.save()
    reminders.claim_decided(visit)
    return visit


# ---------------------------------------------------------------------------------------------
# Coaching and support


@transaction.atomic
def do_log_session(
    *, by, organisation, kind, held_on, coach, topic, notes="", director=None, request_id=None
) -> CoachingSession:
    if not by.is_hub:
        raise PermissionDenied
    if director is not None and director.organisation_id != organisation.pk:
        raise ValidationError({"director": _("This person does not belong to the chosen organisation.")})
    if kind == SessionKind.COACHING and director is None:
        raise ValidationError({"director": _("Director coaching needs the director it was for.")})
    session = CoachingSession.objects.create(
        organisation=organisation,
        director=director,
        kind=kind,
        held_on=held_on,
        coach=coach,
        topic=topic,
        notes=notes,
        recorded_by=by,
    )
    if request_id:
        request = CoachingRequest.objects.select_for_update().get(pk=request_id)
        if request.status != WaitStatus.WAITING:
            raise ValidationError({"request": _("This waiting-list entry has already been handled.")})
        request.status = WaitStatus.SCHEDULED
        request.session = session
        request.save(update_fields=["status", "session"])
        reminders.coaching_scheduled(request, session)
    elif kind == SessionKind.COACHING and held_on >= timezone.localdate():
        # Scheduled outside the waiting list: the director hears of it at once too (a session logged
        # after it was held is a record, not news).
        reminders.coaching_logged(session)
    return session


def waiting_entry(director) -> CoachingRequest | None:
    """The director's place on the coaching waiting list, if they have one."""
    return CoachingRequest.objects.filter(director=director, status=WaitStatus.WAITING).first()


@transaction.atomic
def do_join_waiting_list(*, by, topic: str) -> CoachingRequest:
    if not by.is_director:
        raise PermissionDenied
    if waiting_entry(by) is not None:
        raise ValidationError({"topic": _("You are already on the coaching waiting list.")})
    return CoachingRequest.objects.create(organisation_id=by.organisation_id, director=by, topic=topic)


# ---------------------------------------------------------------------------------------------
# Partners helping partners


@transaction.atomic
def do_offer_mentoring(*, by, areas, format, availability, introduction) -> Mentor:
    """A partner person offers to mentor others; the hub is asked to approve the offer."""
    organisation = _own_organisation(by)
    if Mentor.objects.filter(person=by).exists():
        raise ValidationError({"__all__": _("You have already offered to mentor.")})
    if not areas:
        raise ValidationError({"areas": _("Choose at least one area.")})
    mentor = Mentor.objects.create(
        person=by,
        organisation=organisation,
        areas=list(areas),
        format=format,
        availability=availability,
        introduction=introduction,
    )
    return mentor


@transaction.atomic
def do_review_mentor(*, mentor_id: int, by, approve: bool, note: str = "") -> Mentor:
    """The hub puts an offer in the pool (or not); the person who offered is told."""
    if not by.is_hub:
        raise PermissionDenied
    mentor = Mentor.objects.select_for_update().select_related("person").get(pk=mentor_id)
    mentor.review(by=by, approve=approve, note=note)
    mentor.save()
    reminders.mentor_reviewed(mentor)
    return mentor


@transaction.atomic
def do_request_mentor(*, by, mentor_id: int, message: str, format) -> MentorRequest:
    """An organisation asks a mentor of the pool (never its own people); the mentor is told at once."""
    organisation = _own_organisation(by)
    mentor = Mentor.objects.select_related("person").get(pk=mentor_id)
    if mentor.status != OfferStatus.APPROVED:
        raise ValidationError({"__all__": _("This mentor is not in the pool.")})
    if mentor.organisation_id == organisation.pk:
        raise ValidationError({"__all__": _("This mentor belongs to your own organisation.")})
    request = MentorRequest.objects.create(
        mentor=mentor, organisation=organisation, requested_by=by, message=message, format=format
    )
    reminders.help_requested(request)
    return request


def _answerable(model, request_id: int, by):
    """The request locked, when ``by`` may answer it: the mentor asked, or a person of the provider."""
    request = model.objects.select_for_update().get(pk=request_id)
    if isinstance(request, MentorRequest):
        allowed = request.mentor.person_id == by.pk
    else:
        allowed = by.is_partner and request.activity.organisation_id == by.organisation_id
    if not allowed:
        raise PermissionDenied
    return request


@transaction.atomic
def do_answer_mentor_request(*, request_id: int, by, accept: bool, note: str = "") -> MentorRequest:
    """The mentor accepts or declines; whoever asked is told at once."""
    request = _answerable(MentorRequest, request_id, by)
    request.answer(by=by, accept=accept, note=note)
    request.save()
    reminders.help_answered(request)
    return request


@transaction.atomic
def do_log_mentoring(*, request_id: int, by, given_on, hours, note: str = "") -> HelpHours:
    """The mentor logs a session of an accepted request: its hours go into the ledger."""
    request = _answerable(MentorRequest, request_id, by)
    if not request.is_accepted:
        raise ValidationError({"__all__": _("Hours can be logged once the request is accepted.")})
    return HelpHours.objects.create(
        kind=HelpKind.MENTORING,
        giver_id=request.mentor.organisation_id,
        giver_person=request.mentor.person,
        receiver_id=request.organisation_id,
        given_on=given_on,
        hours=hours,
        note=note,
        mentor_request=request,
        recorded_by=by,
    )


@transaction.atomic
def do_list_activity(*, by, kind, title, description, capacity, conditions, format) -> Activity:
    """An organisation lists an activity it can deliver for others."""
    organisation = _own_organisation(by)
    return Activity.objects.create(
        organisation=organisation,
        created_by=by,
        kind=kind,
        title=title,
        description=description,
        capacity=capacity,
        conditions=conditions,
        format=format,
    )


@transaction.atomic
def do_request_activity(*, by, activity_id: int, wanted_on, message: str) -> ActivityRequest:
    """An organisation asks the provider to deliver a listed activity; the provider is told at once."""
    organisation = _own_organisation(by)
    activity = Activity.objects.get(pk=activity_id)
    if not activity.active:
        raise ValidationError({"__all__": _("This activity is no longer offered.")})
    if activity.organisation_id == organisation.pk:
        raise ValidationError({"__all__": _("Your own organisation offers this activity.")})
    request = ActivityRequest.objects.create(
        activity=activity, organisation=organisation, requested_by=by, wanted_on=wanted_on, message=message
    )
    reminders.help_requested(request)
    return request


@transaction.atomic
def do_answer_activity_request(*, request_id: int, by, accept: bool, note: str = "") -> ActivityRequest:
    """The provider accepts or declines; whoever asked is told at once."""
    request = _answerable(ActivityRequest, request_id, by)
    request.answer(by=by, accept=accept, note=note)
    request.save()
    reminders.help_answered(request)
    return request


@transaction.atomic
def do_record_delivery(
    *, request_id: int, by, given_on, hours, people_served: int, note: str = ""
) -> HelpHours:
    """The provider records a delivery of an accepted request: its hours go into the ledger."""
    request = _answerable(ActivityRequest, request_id, by)
    if not request.is_accepted:
        raise ValidationError({"__all__": _("A delivery can be recorded once the request is accepted.")})
    return HelpHours.objects.create(
        kind=HelpKind.ACTIVITY,
        giver_id=request.activity.organisation_id,
        giver_person=by,
        receiver_id=request.organisation_id,
        given_on=given_on,
        hours=hours,
        people_served=people_served,
        note=note,
        activity_request=request,
        recorded_by=by,
    )


@transaction.atomic
def do_pair_pioneer(*, by, pioneer, partner, starts_on, ends_on, goals) -> PioneerPairing:
    """The hub pairs a member (the pioneer) with a prospect or new partner; both are told at once."""
    if not by.is_hub:
        raise PermissionDenied
    if pioneer.pk == partner.pk:
        raise ValidationError({"partner": _("Choose an organisation other than the pioneer.")})
    if not is_member(pioneer.pk, starts_on):
        raise ValidationError({"pioneer": _("A pioneer is a member of the mutual-aid group.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The pairing cannot end before it starts.")})
    pairing = PioneerPairing.objects.create(
        pioneer=pioneer, partner=partner, starts_on=starts_on, ends_on=ends_on, goals=goals, created_by=by
    )
    reminders.pairing_made(pairing)
    return pairing


@transaction.atomic
def do_log_pioneer_visit(*, pairing_id: int, by, given_on, hours, note: str = "") -> HelpHours:
    """A person of the pioneer logs a visit to the organisation it accompanies: hours in the ledger."""
    pairing = PioneerPairing.objects.select_for_update().get(pk=pairing_id)
    if not (by.is_partner and by.organisation_id == pairing.pioneer_id):
        raise PermissionDenied
    if pairing.outcome:
        raise ValidationError({"__all__": _("This pairing has ended.")})
    if given_on < pairing.starts_on:
        raise ValidationError({"given_on": _("The pairing had not started on this date.")})
    return HelpHours.objects.create(
        kind=HelpKind.PIONEER,
        giver_id=pairing.pioneer_id,
        giver_person=by,
        receiver_id=pairing.partner_id,
        given_on=given_on,
        hours=hours,
        note=note,
        pairing=pairing,
        recorded_by=by,
    )


@transaction.atomic
def do_record_pairing_outcome(*, pairing_id: int, by, outcome: str, note: str = "") -> PioneerPairing:
    if not by.is_hub:
        raise PermissionDenied
    pairing = PioneerPairing.objects.select_for_update().get(pk=pairing_id)
    pairing.record_outcome(outcome=outcome, note=note)
    pairing.save(update_fields=["outcome", "outcome_note"])
    return pairing


# ---------------------------------------------------------------------------------------------
# The group's own work: its plan, topic voting and joint actions


def _hub_only(by) -> None:
    if not by.is_hub:
        raise PermissionDenied


def do_save_plan(
    *, by, plan=None, expected_version=None, title, starts_on, ends_on, meeting, ways_of_working
):
    """The hub writes down the plan the group agreed (a new one, or an edit refused when someone
    saved it meanwhile)."""
    from .group_models import GroupPlan

    _hub_only(by)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})
    plan = plan or GroupPlan(created_by=by)
    plan.title, plan.starts_on, plan.ends_on = title.strip(), starts_on, ends_on
    plan.meeting, plan.ways_of_working = meeting, ways_of_working.strip()
    if plan.pk:
        plan.save_versioned(expected_version if expected_version is not None else -1)
    else:
        plan.save()
    return plan


@transaction.atomic
def do_add_goal(*, by, plan_id: int, title: str, description: str = "", due_on):
    from .group_models import GroupPlan, StageGoal

    _hub_only(by)
    plan = GroupPlan.objects.select_for_update().get(pk=plan_id)
    return StageGoal.objects.create(
        plan=plan, title=title.strip(), description=description.strip(), due_on=due_on
    )


@transaction.atomic
def do_mark_goal_reached(*, by, goal_id: int, reached_on):
    """The hub records the day the group reached a stage goal (once)."""
    from .group_models import StageGoal

    _hub_only(by)
    goal = StageGoal.objects.select_for_update().get(pk=goal_id)
    if goal.reached_on:
        raise ValidationError({"reached_on": _("This goal has already been marked as reached.")})
    if reached_on > timezone.localdate():
        raise ValidationError({"reached_on": _("The date cannot be in the future.")})
    goal.reached_on = reached_on
    goal.save(update_fields=["reached_on"])
    return goal


def _locked(queryset, pk: int, expected_version):
    """The row under lock, refused when someone saved it after the editor loaded it."""
    obj = queryset.select_for_update().get(pk=pk)
    if expected_version is None or obj.version != expected_version:
        raise StaleObjectError(obj)
    return obj


@transaction.atomic
def do_edit_goal(*, by, goal_id: int, expected_version, title: str, description: str = "", due_on):
    """The hub corrects a stage goal (refused when someone saved it meanwhile)."""
    from .group_models import StageGoal

    _hub_only(by)
    goal = StageGoal.objects.get(pk=goal_id)
    goal.title, goal.description, goal.due_on = title.strip(), description.strip(), due_on
    goal.save_versioned(expected_version if expected_version is not None else -1)
    return goal


@transaction.atomic
def do_delete_goal(*, by, goal_id: int, expected_version):
    """The hub deletes a stage goal; the plan's action items under it stay on the plan, without a goal."""
    from .group_models import StageGoal

    _hub_only(by)
    goal = _locked(StageGoal.objects, goal_id, expected_version)
    goal.delete()
    return goal


@transaction.atomic
def do_change_core_role(*, by, member_id: int, expected_version, role: str):
    """The hub changes a core-team member's role; the person is told their new role."""
    from .group_models import CoreTeamMember

    _hub_only(by)
    member = CoreTeamMember.objects.select_related("plan", "person").get(pk=member_id)
    previous = member.role
    member.role = role.strip()
    member.save_versioned(expected_version if expected_version is not None else -1)
    if member.role != previous:
        reminders.core_team_role_changed(member, previous)
    return member


@transaction.atomic
def do_remove_core_member(*, by, member_id: int, expected_version):
    """The hub takes a person off the core team; they are told."""
    from .group_models import CoreTeamMember

    _hub_only(by)
    member = _locked(CoreTeamMember.objects.select_related("plan", "person"), member_id, expected_version)
    # Told before the row goes: the notice's key names the membership.
    reminders.core_team_removed(member)
    member.delete()
    return member


@transaction.atomic
def do_add_core_member(*, by, plan_id: int, person, role: str):
    """A person of a partner organisation joins the core team with a role; they are told."""
    from .group_models import CoreTeamMember, GroupPlan

    _hub_only(by)
    plan = GroupPlan.objects.select_for_update().get(pk=plan_id)
    # Seed 000: the member organisations form the core team from their own people.
    if not (person.is_partner and is_member(person.organisation_id)):
        raise ValidationError(
            {"person": _("The core team is made of people of the group's member organisations.")}
        )
    if CoreTeamMember.objects.filter(plan=plan, person=person).exists():
        raise ValidationError({"person": _("This person is already on the core team.")})
    member = CoreTeamMember.objects.create(
        plan=plan, person=person, organisation_id=person.organisation_id, role=role.strip()
    )
    reminders.core_team_named(member)
    return member


@transaction.atomic
def do_add_plan_item(
    *, by, plan_id: int, what: str, owner_organisation, owner_person=None, due_on, goal=None
):
    """An item of the action plan is a follow-up of the meeting that agreed the plan (the meetings'
    ``ActionItem``): its owner is told and reminded by the meetings' notices and closes it on the
    action-item list."""
    from meetings.actions import do_add_action_item
    from meetings.models import ActionItem

    from .group_models import GroupPlan, PlanAction

    _hub_only(by)
    plan = GroupPlan.objects.select_for_update().get(pk=plan_id)
    if goal is not None and goal.plan_id != plan.pk:
        raise ValidationError({"goal": _("Choose a goal of this plan.")})
    item = ActionItem(
        meeting_id=plan.meeting_id,
        what=what.strip(),
        owner_organisation=owner_organisation,
        owner_person=owner_person,
        due_on=due_on,
    )
    item.full_clean()
    # The meetings' own notice tells the owner at once; its digest reminds them before it is due.
    do_add_action_item(item, by=by)
    PlanAction.objects.create(plan=plan, goal=goal, action_item=item)
    return item


def do_propose_group_topic(*, by, title: str, description: str):
    """A partner proposes a topic for the monthly topic meetings; its organisation comes from the user."""
    from .group_models import GroupTopic

    if not (by.is_partner and by.organisation_id):
        raise PermissionDenied
    return GroupTopic.objects.create(
        title=title.strip(),
        description=description.strip(),
        organisation_id=by.organisation_id,
        proposed_by=by,
    )


@transaction.atomic
def do_vote_topic(*, by, topic_id: int, recommendation: int, difficulty: int):
    """A partner person scores a topic (1-5 each); voting again replaces their scores."""
    from .group_models import SCORE_MAX, SCORE_MIN, GroupTopic, TopicVote

    if not (by.is_partner and by.organisation_id):
        raise PermissionDenied
    topic = GroupTopic.objects.select_for_update().get(pk=topic_id)
    if topic.chosen_for_id:
        raise ValidationError({"__all__": _("This topic has been chosen already; voting is closed.")})
    for field, value in (("recommendation", recommendation), ("difficulty", difficulty)):
        if not SCORE_MIN <= value <= SCORE_MAX:
            raise ValidationError({field: pgettext("topic vote", "Choose a score from 1 to 5.")})
    vote, _created = TopicVote.objects.update_or_create(
        topic=topic, person=by, defaults={"recommendation": recommendation, "difficulty": difficulty}
    )
    return vote


def next_topic_meeting(today: datetime.date | None = None):
    """The next monthly topic meeting that has not started and is not cancelled: the one whose host
    chooses from the ranking."""
    from meetings.choices import MeetingKind
    from meetings.models import Meeting

    return (
        Meeting.objects.filter(kind=MeetingKind.MONTHLY_TOPIC)
        .upcoming(timezone.now())
        .filter(starts_at__gt=timezone.now())
        .select_related("host")
        .first()
    )


def can_choose_topic(user, meeting) -> bool:
    if meeting is None or meeting.has_started or not meeting.is_open:
        return False
    return user.is_hub or (user.is_partner and user.organisation_id == meeting.host_id)


@transaction.atomic
def do_choose_topic(*, by, topic_id: int, meeting_id: int):
    """The host of a monthly topic meeting (or the hub) takes a voted topic as the meeting's topic:
    the meetings' own proposal is written from it and who proposed it is told."""
    from meetings.actions import do_propose_topic
    from meetings.models import Meeting

    from .group_models import GroupTopic

    topic = GroupTopic.objects.select_for_update().select_related("proposed_by").get(pk=topic_id)
    meeting = Meeting.objects.select_related("host").get(pk=meeting_id)
    if not can_choose_topic(by, meeting):
        raise PermissionDenied
    if topic.chosen_for_id:
        raise ValidationError({"__all__": _("This topic has been chosen already.")})
    scores = (
        GroupTopic.objects.filter(pk=topic.pk)
        .ranked()
        .values("recommendation", "difficulty", "vote_count")[0]
    )
    why = _(
        "Voted by %(votes)d people: recommendation %(recommendation).1f, difficulty %(difficulty).1f (1-5)."
    ) % {
        "votes": scores["vote_count"],
        "recommendation": scores["recommendation"] or 0,
        "difficulty": scores["difficulty"] or 0,
    }
    do_propose_topic(meeting, by=by, title=topic.title, problem=topic.description, why_it_matters=why)
    topic.chosen_for, topic.chosen_at = meeting, timezone.now()
    topic.save(update_fields=["chosen_for", "chosen_at", "updated_at"])
    reminders.topic_chosen(topic, meeting)
    return topic


@transaction.atomic
def do_create_joint_action(*, by, title: str, description: str, starts_on, ends_on, activities: list[str]):
    """A partner (its organisation leads and takes part) or the hub starts a joint action with its
    sub-activities."""
    from .group_models import JointAction, JointActivity, JointParticipant

    if not (by.is_hub or (by.is_partner and by.organisation_id)):
        raise PermissionDenied
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})
    lead_id = by.organisation_id if by.is_partner else None
    action = JointAction.objects.create(
        title=title.strip(),
        description=description.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        lead_id=lead_id,
        created_by=by,
    )
    JointActivity.objects.bulk_create(
        JointActivity(action=action, title=name, order=i) for i, name in enumerate(activities)
    )
    if lead_id:
        JointParticipant.objects.create(action=action, organisation_id=lead_id, invited_by=by)
    return action


def can_invite(user, action) -> bool:
    return user.is_hub or (
        user.is_partner and action.lead_id is not None and user.organisation_id == action.lead_id
    )


@transaction.atomic
def do_invite_to_joint_action(*, by, action_id: int, organisation):
    """The lead organisation (or the hub) invites another organisation; its directors are told."""
    from .group_models import JointAction, JointParticipant

    action = JointAction.objects.select_for_update().get(pk=action_id)
    if not can_invite(by, action):
        raise PermissionDenied
    if organisation.is_hub:
        raise ValidationError({"organisation": _("Invite a partner organisation.")})
    if JointParticipant.objects.filter(action=action, organisation=organisation).exists():
        raise ValidationError({"organisation": _("This organisation already takes part.")})
    participant = JointParticipant.objects.create(action=action, organisation=organisation, invited_by=by)
    reminders.joint_invited(participant)
    return participant


def _changeable_activity(by, activity_id: int, expected_version):
    from .group_models import JointActivity

    activity = _locked(JointActivity.objects.select_related("action"), activity_id, expected_version)
    if not can_invite(by, activity.action):
        raise PermissionDenied
    # The parts logged under it were counted under this name; renaming or removing it would change
    # what those organisations reported (and PROTECT keeps their rows).
    if activity.parts.exists():
        raise ValidationError(
            {
                "__all__": _(
                    "Parts are already logged against this sub-activity, so it can no longer be "
                    "changed or deleted: the organisations reported their work under this name."
                )
            }
        )
    return activity


@transaction.atomic
def do_edit_joint_activity(*, by, activity_id: int, expected_version, title: str):
    """The lead organisation or the hub renames a sub-activity, until parts are logged against it."""
    from .group_models import JointActivity

    activity = _changeable_activity(by, activity_id, expected_version)
    title = title.strip()
    if (
        JointActivity.objects.filter(action_id=activity.action_id, title=title)
        .exclude(pk=activity.pk)
        .exists()
    ):
        raise ValidationError({"title": _("The joint action already has this sub-activity.")})
    activity.title = title
    activity.save_versioned(activity.version)
    return activity


@transaction.atomic
def do_delete_joint_activity(*, by, activity_id: int, expected_version):
    """The lead organisation or the hub deletes a sub-activity, until parts are logged against it."""
    activity = _changeable_activity(by, activity_id, expected_version)
    if activity.action.activities.count() == 1:
        raise ValidationError({"__all__": _("A joint action keeps at least one sub-activity.")})
    activity.delete()
    return activity


def _part_errors(action, activity, held_on) -> dict:
    errors = {}
    if activity.action_id != action.pk:
        errors["activity"] = _("Choose a sub-activity of this joint action.")
    if held_on < action.starts_on or held_on > action.ends_on:
        errors["held_on"] = _("The date must fall within the joint action's period.")
    return errors


PART_FIELDS = ("activity", "held_on", "sessions", "people_served", "volunteers", "materials", "note")


@transaction.atomic
def do_log_joint_part(*, by, action_id: int, **data):
    """A person of a participating organisation logs what it did for one sub-activity."""
    from .group_models import JointAction, JointPart

    action = JointAction.objects.select_for_update().get(pk=action_id)
    if not (by.is_partner and action.participants.filter(organisation_id=by.organisation_id).exists()):
        raise PermissionDenied
    if errors := _part_errors(action, data["activity"], data["held_on"]):
        raise ValidationError(errors)
    values = {field: data[field] for field in PART_FIELDS}
    values["note"] = (values["note"] or "").strip()
    return JointPart.objects.create(
        action=action, organisation_id=by.organisation_id, recorded_by=by, **values
    )


def do_edit_joint_part(*, by, part_id: int, expected_version, **data):
    """Its own organisation corrects a part; refused when someone saved it meanwhile."""
    from .group_models import JointPart

    part = JointPart.objects.editable_by(by).select_related("action").filter(pk=part_id).first()
    if part is None or not by.is_partner:
        raise PermissionDenied
    if errors := _part_errors(part.action, data["activity"], data["held_on"]):
        raise ValidationError(errors)
    for field in PART_FIELDS:
        setattr(part, field, data[field])
    part.note = (part.note or "").strip()
    part.recorded_by = by
    part.save_versioned(expected_version if expected_version is not None else -1)
    return part
