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
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from . import reminders
from .choices import PENDING_STATUSES, ApplicationStatus, Decision
from .models import Application, Attendance, Certificate, Module, PracticeRecord, TrainingSession


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
    if not freed or places_taken(module) >= module.places:
        return None
    head = module.applications.waiting_order().select_for_update().first()
    if head is None:
        return None
    head.status = ApplicationStatus.SELECTED
    head.decided_at = timezone.now()
    head.save()
    reminders.decided(head, reminders.MOVED_UP)
    return head


# ---------------------------------------------------------------------------------------------
# Training, practice and completion


@transaction.atomic
def do_add_session(module: Module, *, by, meeting) -> TrainingSession:
    """A meeting of the calendar becomes one of the module's sessions (its attendance counts)."""
    _require_hub(by)
    if TrainingSession.objects.filter(module=module, meeting=meeting).exists():
        raise ValidationError({"meeting": _("This meeting is already a session of the module.")})
    return TrainingSession.objects.create(module=module, meeting=meeting)


@transaction.atomic
def do_take_attendance(session: TrainingSession, *, by, present) -> int:
    """Who of the module's learners was at the session; returns how many were present."""
    _require_hub(by)
    learners = list(session.module.applications.learners())
    present_ids = {application.pk for application in present}
    for application in learners:
        Attendance.objects.update_or_create(
            session=session, application=application, defaults={"present": application.pk in present_ids}
        )
    return sum(1 for application in learners if application.pk in present_ids)


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
