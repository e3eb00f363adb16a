"""Writes with side effects, one transaction each (``do_*``).

Each function checks who acts and the state it needs under a row lock, and raises ``ValidationError``
keyed by the form field it belongs to, so nothing is saved and the view shows it next to the field.
The applicant's organisation is always taken from the acting user, never from submitted data.
Decisions notify the person at once (``reminders``, in the same transaction; e-mail on commit).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import actions as meeting_actions
from meetings.choices import UPCOMING_STATUSES, Attendance, MeetingKind, MeetingStatus
from meetings.models import Invitation, Meeting
from meetings.reminders import invite_on_confirm

from . import reminders
from .choices import PENDING_STATUSES, ApplicationStatus, Decision
from .models import Application, Certificate, Module, PracticeRecord, TrainingSession


def _require_hub(by) -> None:
    if not by.is_hub:
        raise PermissionDenied


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("module__programme").get(pk=application.pk)


# ---------------------------------------------------------------------------------------------
# Applications


@transaction.atomic
def do_apply(
    *,
    by,
    modules,
    years_in_child_services: int,
    education: int,
    certificates: str = "",
    holds_required_certificate: bool = False,
    evidence=None,
    motivation: str = "",
    at: datetime.datetime | None = None,
) -> list[Application]:
    """One application per chosen module, for the acting partner person's own organisation."""
    if not (by.is_partner and by.organisation_id):
        raise PermissionDenied
    at = at or timezone.now()
    modules = list(modules)
    if not modules:
        raise ValidationError({"modules": _("Choose at least one module.")})
    errors: dict[str, list[str]] = {}
    for module in modules:
        if not module.is_open(at):
            errors.setdefault("modules", []).append(
                _("Applications to %(module)s are not open.") % {"module": module}
            )
        if Application.objects.filter(module=module, applicant=by).exists():
            errors.setdefault("modules", []).append(
                _("You already applied to %(module)s.") % {"module": module}
            )
        problems = module.eligibility_errors(
            years=years_in_child_services,
            education=education,
            has_certificate=holds_required_certificate,
            evidence=evidence,
        )
        for field, message in problems.items():
            if message not in errors.get(field, []):
                errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)
    created = []
    for module in modules:
        application = Application(
            module=module,
            applicant=by,
            organisation_id=by.organisation_id,
            years_in_child_services=years_in_child_services,
            education=education,
            certificates=certificates,
            holds_required_certificate=holds_required_certificate,
            motivation=motivation,
        )
        if evidence:
            evidence.seek(0)
            application.evidence_name = evidence.name[:200]
            application.evidence.save(evidence.name, evidence, save=False)
        application.save()
        reminders.to_endorse(application)
        created.append(application)
    return created


@transaction.atomic
def do_endorse(application: Application, *, by) -> Application:
    """The director of the applicant's organisation supports the application."""
    application = _locked(application)
    if not (by.is_director and by.organisation_id == application.organisation_id):
        raise PermissionDenied
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted application can be endorsed."))
    application.status = ApplicationStatus.ENDORSED
    application.endorsed_by = by
    application.endorsed_at = timezone.now()
    application.save()
    return application


@transaction.atomic
def do_score(application: Application, *, by, score: int, note: str = "") -> Application:
    """The hub's initial assessment, which orders the selection and the waiting list."""
    _require_hub(by)
    application = _locked(application)
    if application.status not in (*PENDING_STATUSES, ApplicationStatus.WAITLISTED):
        raise ValidationError(_("Only an application waiting for selection can be scored."))
    application.score = score
    application.assessment_note = note
    application.save()
    return application


def places_taken(module: Module) -> int:
    return module.applications.learners().count()


@transaction.atomic
def do_decide(application: Application, *, by, decision: str) -> Application:
    """Select within the module's places, put on the waiting list, or turn down; the applicant hears
    it at once."""
    _require_hub(by)
    # The module's row lock serialises decisions on it, so two selections cannot take one last place.
    module = Module.objects.select_for_update().get(pk=application.module_id)
    application = _locked(application)
    if application.status not in (*PENDING_STATUSES, ApplicationStatus.WAITLISTED):
        raise ValidationError(_("This application has already been decided."))
    if decision in (Decision.SELECTED, Decision.WAITLISTED):
        if application.status == ApplicationStatus.SUBMITTED:
            raise ValidationError(_("The director has not endorsed this application yet."))
        if application.score is None:
            raise ValidationError(_("Score the initial assessment first."))
    if decision == Decision.SELECTED and places_taken(module) >= module.places:
        raise ValidationError(
            {
                "decision": _("All %(places)s places are taken: use the waiting list.")
                % {"places": module.places}
            }
        )
    if decision == application.status:
        return application
    application.status = decision
    application.decided_at = timezone.now()
    application.save()
    reminders.decided(application, decision)
    if decision == Decision.SELECTED:
        sync_session_invitations(module)
    return application


@transaction.atomic
def do_withdraw(application: Application, *, by) -> Application | None:
    """The applicant (or their director, or the hub) withdraws. A freed place goes to the head of
    the waiting list, who hears it at once; returns that person's application, if any."""
    module = Module.objects.select_for_update().get(pk=application.module_id)
    application = _locked(application)
    own = by.pk == application.applicant_id or (
        by.is_director and by.organisation_id == application.organisation_id
    )
    if not (own or by.is_hub):
        raise PermissionDenied
    if not application.can_withdraw:
        raise ValidationError(_("This application can no longer be withdrawn."))
    freed = application.status == ApplicationStatus.SELECTED
    application.status = ApplicationStatus.WITHDRAWN
    application.save()
    head = None
    if freed and places_taken(module) < module.places:
        head = module.applications.waiting_order().select_for_update().first()
    if head is not None:
        head.status = ApplicationStatus.SELECTED
        head.decided_at = timezone.now()
        head.save()
        reminders.decided(head, reminders.MOVED_UP)
    if freed:
        sync_session_invitations(module)
    return head


# ---------------------------------------------------------------------------------------------
# Training, practice and completion


# Learners who still attend sessions: in training, or with completion deferred (they keep their place).
ATTENDING = (ApplicationStatus.SELECTED, ApplicationStatus.DEFERRED)


@transaction.atomic
def do_add_session(module: Module, *, by, meeting: Meeting, confirm: bool = False) -> TrainingSession:
    """A new session of the module: a meeting of the calendar (kind "training session") made by the
    meetings' own actions, with the module's learners invited; ``confirm`` confirms it at once, which
    e-mails the invitations with the .ics. A session entered after it started (to record its
    attendance) is never confirmed: nobody is invited by e-mail to something already begun."""
    _require_hub(by)
    meeting.kind = MeetingKind.TRAINING_SESSION
    meeting_actions.do_save_meeting(meeting, by=by)
    session = TrainingSession.objects.create(module=module, meeting=meeting)
    sync_session_invitations(module)
    if confirm and not meeting.has_started:
        meeting_actions.do_confirm_meeting(meeting)
    return session


def sync_session_invitations(module: Module, *, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Keep the invitations to the module's open sessions (not held, not cancelled) in step with its
    learners: a learner selected (or moved up from the waiting list) is invited, one who withdrew or
    completed is no longer. Held sessions keep theirs, and so does anyone whose attendance is already
    recorded. A new invitee of a confirmed session still to come gets the invitation e-mail (with the
    .ics) at once, through the meetings' own sending. Fixed queries whatever the number of sessions
    and learners; returns (added, removed)."""
    now = now or timezone.now()
    upcoming = {
        meeting.pk: meeting
        for meeting in Meeting.objects.filter(
            training_sessions__module=module, status__in=UPCOMING_STATUSES
        ).distinct()
    }
    if not upcoming:
        return (0, 0)
    # A meeting may be a session of several modules: its invitees are the learners of all of them.
    applications = Application.objects.filter(module__sessions__meeting__in=upcoming).values_list(
        "module__sessions__meeting", "applicant_id", "organisation_id", "status"
    )
    wanted: dict[tuple[int, int], int] = {}
    applicants: set[tuple[int, int]] = set()
    for meeting_id, person_id, organisation_id, status in applications:
        applicants.add((meeting_id, person_id))
        if status in ATTENDING:
            wanted[(meeting_id, person_id)] = organisation_id
    invited = set(Invitation.objects.filter(meeting__in=upcoming).values_list("meeting_id", "person_id"))
    added = [
        Invitation(
            meeting_id=meeting_id, person_id=person_id, organisation_id=organisation_id, is_manual=True
        )
        for (meeting_id, person_id), organisation_id in wanted.items()
        if (meeting_id, person_id) not in invited
    ]
    Invitation.objects.bulk_create(added, ignore_conflicts=True)
    # Only applicants who are no longer learners lose theirs; anyone else invited by hand stays.
    gone = (applicants & invited) - set(wanted)
    removed = 0
    if gone:
        pairs = Q()
        for meeting_id, person_id in gone:
            pairs |= Q(meeting_id=meeting_id, person_id=person_id)
        removed, _by_model = Invitation.objects.filter(pairs, attendance=Attendance.UNRECORDED).delete()
    for meeting_id in {invitation.meeting_id for invitation in added}:
        meeting = upcoming[meeting_id]
        if meeting.status == MeetingStatus.CONFIRMED and meeting.starts_at > now:
            invite_on_confirm(meeting)
    return (len(added), removed)


@transaction.atomic
def do_log_practice(
    application: Application, *, by, served_on: datetime.date, description: str
) -> PracticeRecord:
    """A partner person of the learner's organisation logs a supervised service record."""
    application = _locked(application)
    if not (by.is_partner and by.organisation_id == application.organisation_id):
        raise PermissionDenied
    if application.status not in (ApplicationStatus.SELECTED, ApplicationStatus.DEFERRED):
        raise ValidationError(_("Practice is logged for learners in training only."))
    return PracticeRecord.objects.create(
        application=application, served_on=served_on, description=description, logged_by=by
    )


@transaction.atomic
def do_confirm_practice(record: PracticeRecord, *, by) -> PracticeRecord:
    """The hub's supervisor confirms the record, which then counts towards completion."""
    _require_hub(by)
    record = PracticeRecord.objects.select_for_update().get(pk=record.pk)
    if record.confirmed_at is None:
        record.confirmed_by = by
        record.confirmed_at = timezone.now()
        record.save()
    return record


@transaction.atomic
def do_rate(application: Application, *, by, learner, supervisor, parent) -> Application:
    """The feedback ratings (learner, supervisor, parent) the completion and incentive rest on."""
    _require_hub(by)
    application = _locked(application)
    if not application.is_learner:
        raise ValidationError(_("Only a learner is rated."))
    application.learner_rating = learner
    application.supervisor_rating = supervisor
    application.parent_rating = parent
    application.save()
    return application


@transaction.atomic
def do_defer(application: Application, *, by, reason: str) -> Application:
    """On the learner's request, completion is deferred (they keep their place and may complete later)."""
    _require_hub(by)
    application = _locked(application)
    if application.status != ApplicationStatus.SELECTED:
        raise ValidationError(_("Only a learner in training can have completion deferred."))
    application.status = ApplicationStatus.DEFERRED
    application.deferral_reason = reason
    application.save()
    reminders.decided(application, ApplicationStatus.DEFERRED)
    return application


@transaction.atomic
def do_complete(application: Application, *, by, on: datetime.date, honour: bool = False) -> Certificate:
    """When the module's completion rules are met, the learner completes and gets a certificate
    (``honour``: also the honour certificate and the talent pool's mark)."""
    _require_hub(by)
    application = _locked(application)
    if application.status not in (ApplicationStatus.SELECTED, ApplicationStatus.DEFERRED):
        raise ValidationError(_("Only a learner in training can complete."))
    shortfalls = application.completion_shortfalls()
    if shortfalls:
        raise ValidationError(shortfalls)
    application.status = ApplicationStatus.COMPLETED
    application.completed_on = on
    application.save()
    certificate = Certificate.objects.create(application=application, issued_on=on, honour=honour)
    reminders.decided(application, ApplicationStatus.COMPLETED)
    # Done with training: no longer invited to the module's sessions still to come.
    sync_session_invitations(application.module)
    return certificate


@transaction.atomic
def do_record_incentive(
    application: Application, *, by, amount, paid_on: datetime.date | None = None
) -> Application:
    """The incentive decided for a learner who completed (up to the programme's cap), and when paid."""
    _require_hub(by)
    application = _locked(application)
    if application.status != ApplicationStatus.COMPLETED:
        raise ValidationError(_("Incentives are for learners who completed."))
    programme = application.module.programme
    # The cap is per person and programme, whatever number of modules they completed.
    others = (
        Application.objects.filter(applicant_id=application.applicant_id, module__programme=programme)
        .exclude(pk=application.pk)
        .aggregate(total=Sum("incentive_amount"))["total"]
        or 0
    )
    if others + amount > programme.incentive_cap:
        raise ValidationError(
            {
                "amount": _("At most %(cap)s yuan per learner and programme.")
                % {"cap": f"{programme.incentive_cap:.0f}"}
            }
        )
    application.incentive_amount = amount
    application.incentive_paid_on = paid_on
    application.save()
    return application
