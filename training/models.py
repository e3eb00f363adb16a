"""The talent programme (人才培养): programmes, modules, applications, practice and certificates.

Scoping: programmes, modules and the talent pool (certificates) are shared inside the network; an
application and everything hanging from it (evidence, practice records, the certificate's PDF) is
internal to the applicant's organisation and the hub, so another organisation gets 404. Sessions are
meetings of the calendar (``meetings``): their invitations, replies and attendance are the meetings'
and scoped there. Rules are data on the module (eligibility, completion) and pure methods here;
``actions`` changes state.
"""

from __future__ import annotations

import posixpath
import secrets
from decimal import ROUND_DOWN, Decimal

from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from hubsite.core import validators as bounds
from hubsite.core.files import random_part
from hubsite.core.models import TimeStampedModel, VersionedModel
from hubsite.core.scoping import ScopedQuerySet
from meetings.choices import Attendance, MeetingStatus

from .choices import LEARNER_STATUSES, PENDING_STATUSES, ApplicationStatus, Education

YEARS = bounds.NumberBounds(0, 60)
RATING = bounds.NumberBounds(Decimal("1"), Decimal("5"))
SCORE = bounds.NumberBounds(0, 100)
# Incentives are paid in whole yuan steps of this size when suggested from the ratings.
INCENTIVE_STEP = Decimal("100")


class NetworkQuerySet(ScopedQuerySet):
    """Shared inside the network: every partner person reads it; only the hub changes it."""

    def visible_to(self, user) -> Q | None:
        return Q() if user.is_partner else None

    def editable_to(self, user) -> Q | None:
        return None


class Programme(TimeStampedModel):
    """A year's programme (培养计划), e.g. 2025-26 亲子园指导师培养计划, made of modules."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[bounds.YEAR])
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    incentive_cap = models.DecimalField(
        _("incentive cap per learner"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("4100"),
        validators=[bounds.MONEY],
    )

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="training_programme_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("training:programme_detail", kwargs={"pk": self.pk})


class ModuleQuerySet(NetworkQuerySet):
    def open_at(self, moment):
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)


class Module(VersionedModel, TimeStampedModel):
    """A module (模块) of a programme with its places, application window and rules as data.

    Eligibility: years in child services, education, a certificate held (if named), an evidence
    upload (if asked for). Completion: attendance share, confirmed practice records, and the lowest of
    the learner's, supervisor's and parent's ratings.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="modules", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    places = models.PositiveSmallIntegerField(_("places"), default=30, validators=[bounds.CAPACITY])
    opens_at = models.DateTimeField(_("applications open at"), validators=[bounds.DATE])
    closes_at = models.DateTimeField(_("applications close at"), validators=[bounds.DATE])
    min_years = models.PositiveSmallIntegerField(
        _("minimum years in child services"), default=1, validators=[YEARS]
    )
    min_education = models.PositiveSmallIntegerField(
        _("minimum education"), choices=Education.choices, default=Education.BACHELOR
    )
    required_certificate = models.CharField(
        _("required certificate"), max_length=120, blank=True, help_text=_("Leave empty if none is required.")
    )
    evidence_label = models.CharField(
        _("evidence to upload"),
        max_length=120,
        blank=True,
        help_text=_("e.g. an activity summary or a case record; leave empty if none is asked for."),
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"), default=80, validators=[bounds.PERCENT]
    )
    min_practice_records = models.PositiveSmallIntegerField(
        _("minimum confirmed practice records"), default=3, validators=[bounds.COUNT]
    )
    min_rating = models.DecimalField(
        _("minimum feedback rating (1-5)"),
        max_digits=2,
        decimal_places=1,
        default=Decimal("3.0"),
        validators=[RATING],
    )

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "opens_at", "name"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="training_module_unique"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="training_window"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("training:module_detail", kwargs={"pk": self.pk})

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.opens_at <= moment < self.closes_at

    def eligibility_errors(self, *, years: int, education: int, has_certificate: bool, evidence) -> dict:
        """Messages keyed by the application form's fields; empty when the person may apply."""
        errors = {}
        if years < self.min_years:
            errors["years_in_child_services"] = gettext(
                "This module asks for at least %(years)s years in child services."
            ) % {"years": self.min_years}
        if education < self.min_education:
            errors["education"] = gettext("This module asks for at least: %(level)s.") % {
                "level": Education(self.min_education).label
            }
        if self.required_certificate and not has_certificate:
            errors["holds_required_certificate"] = gettext("This module asks for: %(certificate)s.") % {
                "certificate": self.required_certificate
            }
        if self.evidence_label and not evidence:
            errors["evidence"] = gettext("Upload %(evidence)s.") % {"evidence": self.evidence_label}
        return errors

    def completion_shortfalls(self, *, attendance_percent: int | None, records: int, ratings) -> list[str]:
        """What a learner still lacks to complete (empty: they may complete). ``ratings`` are the
        learner's, supervisor's and parent's, None where not given yet."""
        shortfalls = []
        # None: the module has no sessions on record, so there is no attendance to hold against.
        if attendance_percent is not None and attendance_percent < self.min_attendance_percent:
            shortfalls.append(
                gettext("Attendance %(actual)s%% is below %(needed)s%%.")
                % {"actual": attendance_percent, "needed": self.min_attendance_percent}
            )
        if records < self.min_practice_records:
            shortfalls.append(
                gettext("%(actual)s confirmed practice records, %(needed)s needed.")
                % {"actual": records, "needed": self.min_practice_records}
            )
        given = [r for r in ratings if r is not None]
        if len(given) < len(ratings):
            shortfalls.append(gettext("The learner's, supervisor's and parent's ratings are not all in."))
        elif min(given) < self.min_rating:
            shortfalls.append(
                gettext("A rating is below %(needed)s.") % {"needed": self.min_rating.normalize()}
            )
        return shortfalls


def evidence_path(instance, filename: str) -> str:
    """A random stored name: the person's file name is kept only as the download name."""
    ext = posixpath.splitext(filename)[1].lower()[:10]
    return f"training/evidence/{random_part()}{ext}"


class ApplicationQuerySet(ScopedQuerySet):
    """Internal to the applicant's organisation and the hub."""

    def learners(self):
        return self.filter(status__in=LEARNER_STATUSES)

    def pending(self):
        return self.filter(status__in=PENDING_STATUSES)

    def waiting_order(self):
        """The waiting list as it moves up: best initial assessment first, then who applied first."""
        return self.filter(status=ApplicationStatus.WAITLISTED).order_by(
            models.F("score").desc(nulls_last=True), "created_at", "pk"
        )


class Application(TimeStampedModel):
    """One person's application to one module, and then their record as a learner (学员).

    The organisation is the applicant's, set by the server. Status moves through the director's
    endorsement, the hub's selection (selected, waiting list, not selected), and for learners
    completion or deferral; a withdrawal frees a place for the head of the waiting list.
    """

    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="applications", verbose_name=_("module")
    )
    applicant = models.ForeignKey(
        "partners.User",
        on_delete=models.PROTECT,
        related_name="training_applications",
        verbose_name=_("applicant"),
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="training_applications",
        verbose_name=_("organisation"),
    )
    years_in_child_services = models.PositiveSmallIntegerField(
        _("years in child services"), validators=[YEARS]
    )
    education = models.PositiveSmallIntegerField(_("education"), choices=Education.choices)
    certificates = models.CharField(_("certificates held"), max_length=200, blank=True)
    holds_required_certificate = models.BooleanField(_("I hold the required certificate"), default=False)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True, max_length=200)
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    motivation = models.TextField(_("why this module"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    endorsed_by = models.ForeignKey(
        "partners.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("training", "endorsed by"),
    )
    endorsed_at = models.DateTimeField(pgettext_lazy("training", "endorsed at"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        _("initial assessment score"), null=True, blank=True, validators=[SCORE]
    )
    assessment_note = models.TextField(_("assessment note"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    learner_rating = models.DecimalField(
        _("learner's rating"), max_digits=2, decimal_places=1, null=True, blank=True, validators=[RATING]
    )
    supervisor_rating = models.DecimalField(
        _("supervisor's rating"), max_digits=2, decimal_places=1, null=True, blank=True, validators=[RATING]
    )
    parent_rating = models.DecimalField(
        _("parent's rating"), max_digits=2, decimal_places=1, null=True, blank=True, validators=[RATING]
    )
    deferral_reason = models.TextField(_("reason for deferral"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    incentive_amount = models.DecimalField(
        _("incentive"), max_digits=9, decimal_places=2, null=True, blank=True, validators=[bounds.MONEY]
    )
    incentive_paid_on = models.DateField(
        _("incentive paid on"), null=True, blank=True, validators=[bounds.DATE]
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["module", "-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["module", "applicant"], name="training_one_application_per_module"
            )
        ]

    def __str__(self) -> str:
        return f"{self.applicant} · {self.module}"

    def get_absolute_url(self) -> str:
        return reverse("training:application_detail", kwargs={"pk": self.pk})

    @property
    def is_learner(self) -> bool:
        return self.status in LEARNER_STATUSES

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES

    @property
    def can_withdraw(self) -> bool:
        return self.status in (*PENDING_STATUSES, ApplicationStatus.SELECTED, ApplicationStatus.WAITLISTED)

    @property
    def ratings(self) -> tuple:
        return (self.learner_rating, self.supervisor_rating, self.parent_rating)

    @property
    def rating_average(self) -> Decimal | None:
        if any(r is None for r in self.ratings):
            return None
        return (sum(self.ratings) / 3).quantize(Decimal("0.1"))

    def attendance_percent(self) -> int | None:
        """Held sessions of the module the learner was present at (the attendance the hub recorded on
        the meeting's invitations), in percent; None while no session has been held. One query."""
        present_here = Q(
            meeting__invitations__person_id=self.applicant_id,
            meeting__invitations__attendance=Attendance.PRESENT,
        )
        counts = (
            TrainingSession.objects.filter(module_id=self.module_id)
            .held()
            .aggregate(
                held=Count("pk", distinct=True), present=Count("meeting__invitations", filter=present_here)
            )
        )
        if not counts["held"]:
            return None
        return round(100 * counts["present"] / counts["held"])

    def completion_shortfalls(self) -> list[str]:
        records = self.practice_records.filter(confirmed_at__isnull=False).count()
        return self.module.completion_shortfalls(
            attendance_percent=self.attendance_percent(), records=records, ratings=self.ratings
        )

    def suggested_incentive(self) -> Decimal | None:
        """The cap scaled by the average rating (5 earns the whole cap), in steps of 100 yuan."""
        average = self.rating_average
        if average is None or self.status != ApplicationStatus.COMPLETED:
            return None
        amount = self.module.programme.incentive_cap * average / 5
        return (amount / INCENTIVE_STEP).quantize(Decimal("1"), rounding=ROUND_DOWN) * INCENTIVE_STEP


class PracticeRecord(TimeStampedModel):
    """A supervised service record (实践记录) a learner logged; it counts once the hub confirms it."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="practice_records", verbose_name=_("learner")
    )
    served_on = models.DateField(_("served on"), validators=[bounds.PAST_DATE])
    description = models.TextField(_("what was done"))
    logged_by = models.ForeignKey(
        "partners.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    confirmed_by = models.ForeignKey(
        "partners.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class QuerySet(ScopedQuerySet):
        organisation_field = "application__organisation"

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["-served_on", "-pk"]
        verbose_name = _("practice record")
        verbose_name_plural = _("practice records")

    def __str__(self) -> str:
        return f"{self.application.applicant} {self.served_on}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class TrainingSessionQuerySet(NetworkQuerySet):
    def held(self):
        return self.filter(meeting__status=MeetingStatus.HELD)


class TrainingSession(models.Model):
    """The link between a module and one of its sessions, a meeting of the calendar (kind "training
    session"): the meeting machinery keeps its invitations, replies, attendance and .ics; nothing of
    it is copied here."""

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("module")
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("meeting"),
    )

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting__starts_at"]
        verbose_name = pgettext_lazy("training", "session")
        verbose_name_plural = pgettext_lazy("training", "sessions")
        constraints = [models.UniqueConstraint(fields=["module", "meeting"], name="training_session_unique")]

    def __str__(self) -> str:
        return str(self.meeting)


def new_code() -> str:
    """The verification code in the certificate's public URL: unguessable (128 bits)."""
    return secrets.token_urlsafe(16)


class CertificateQuerySet(ScopedQuerySet):
    """The talent pool: certified people, their modules and organisation, shared inside the network."""

    organisation_field = "application__organisation"

    def visible_to(self, user) -> Q | None:
        return Q() if user.is_partner else None

    def editable_to(self, user) -> Q | None:
        return None


class Certificate(models.Model):
    """The completion certificate (结业证书) of one learner; ``honour`` adds the honour certificate
    (荣誉证书) of excellent learners. Anyone with its code may confirm it is genuine."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("learner")
    )
    code = models.CharField(
        _("verification code"), max_length=32, unique=True, default=new_code, editable=False
    )
    issued_on = models.DateField(_("issued on"), validators=[bounds.DATE])
    honour = models.BooleanField(_("honour certificate"), default=False)
    revoked = models.BooleanField(_("revoked"), default=False)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.application.applicant} · {self.application.module}"

    def get_verify_path(self) -> str:
        return reverse("training:verify", kwargs={"code": self.code})

    @property
    def is_valid(self) -> bool:
        return not self.revoked
