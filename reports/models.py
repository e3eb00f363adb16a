"""Monthly reports: indicators defined as data, one report per organisation and month, its values.

Values live in a narrow table (one row per report, centre and indicator) so that the set of figures
can change from year to year without a migration, as in DHIS2's data sets.
"""

from __future__ import annotations

import datetime
import posixpath
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from hubsite.core import validators as bounds
from hubsite.core.files import random_part
from hubsite.core.models import StaleObjectError, TimeStampedModel, VersionedModel
from hubsite.core.scoping import ScopedQuerySet
from partners.models import Centre, Organisation

from . import periods
from .choices import (
    COUNTED_STATUSES,
    EDITABLE_STATUSES,
    NUMERIC_TYPES,
    WAITING_STATUSES,
    Cell,
    EventAction,
    OverMonths,
    OverUnits,
    ReportStatus,
    Scope,
    ValueType,
)
from .regional.choices import ACTIVE_STATUSES, GenerationStatus, PeriodKind, ReportScope


class ReportError(Exception):
    """A lifecycle step that is not possible now (the message says why, in the user's language)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------
# Indicators


ROLLUP_LABELS = {
    OverMonths.SUM: _("total of the months"),
    OverMonths.AVERAGE: _("in an average month"),
    OverMonths.MAX: _("in the highest month"),
    OverMonths.LATEST: _("in the latest month reported"),
}


class IndicatorQuerySet(models.QuerySet):
    """Indicators are network-wide reference data: no scoping, only the month they apply to."""

    def valid_for(self, month: datetime.date) -> IndicatorQuerySet:
        """Indicators that apply to a month: reports keep the form of their own period."""
        month = periods.first_of(month)
        return self.filter(valid_from__lte=month).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=month)
        )

    def numeric(self) -> IndicatorQuerySet:
        return self.filter(value_type__in=NUMERIC_TYPES)


class Indicator(TimeStampedModel):
    """One figure a report asks for (a DHIS2 data element), per centre or per organisation.

    ``within`` states a rule between figures: the indicators that point to another one cannot
    together exceed it (children in the age bands came at least once each, so together they cannot
    exceed the month's child visits).

    ``over_months`` and ``over_units`` say how the figure adds up (``reports.rollup``): a stock such as
    the families that came this month is not added over months, or a family counts once a month.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_zh = models.CharField(_("Chinese label"), max_length=120)
    label_en = models.CharField(_("English label"), max_length=120)
    help_zh = models.CharField(_("Chinese help text"), max_length=250, blank=True)
    help_en = models.CharField(_("English help text"), max_length=250, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("For example 次, 人, 小时."))
    value_type = models.CharField(_("type"), max_length=20, choices=ValueType.choices)
    min_value = models.DecimalField(
        _("minimum"), validators=[bounds.FIGURE], max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), validators=[bounds.FIGURE], max_digits=14, decimal_places=2, null=True, blank=True
    )
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("display order"), validators=[bounds.ORDER], default=100)
    group_zh = models.CharField(_("Chinese group"), max_length=60, blank=True)
    group_en = models.CharField(_("English group"), max_length=60, blank=True)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default=Scope.CENTRE)
    within = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("cannot exceed (together with its siblings)"),
    )
    valid_from = models.DateField(
        _("applies from month"), validators=[bounds.DATE], default=datetime.date(2018, 1, 1)
    )
    valid_until = models.DateField(_("applies until month"), validators=[bounds.DATE], null=True, blank=True)
    # db_default too: rows written by older data migrations (historical models) still get a value.
    over_months = models.CharField(
        _("adds up over months as"),
        max_length=10,
        choices=OverMonths.choices,
        default=OverMonths.SUM,
        db_default=OverMonths.SUM,
    )
    over_units = models.CharField(
        _("adds up over centres as"),
        max_length=10,
        choices=OverUnits.choices,
        default=OverUnits.SUM,
        db_default=OverUnits.SUM,
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["scope", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="indicator_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("reports:indicator_edit", args=[self.pk])

    @property
    def label(self) -> str:
        english = (get_language() or "").startswith("en")
        return (self.label_en if english else self.label_zh) or self.label_zh or self.label_en

    @property
    def help(self) -> str:
        english = (get_language() or "").startswith("en")
        return (self.help_en if english else self.help_zh) or ""

    @property
    def group(self) -> str:
        english = (get_language() or "").startswith("en")
        return (self.group_en if english else self.group_zh) or self.group_zh

    @property
    def is_numeric(self) -> bool:
        return self.value_type in NUMERIC_TYPES

    @property
    def rollup_label(self) -> str:
        """What a total of this figure over several months is, in words (shown beside every total)."""
        label = ROLLUP_LABELS[self.over_months]
        if self.over_units == OverUnits.NONE:
            return f"{label}; {_('per centre only, not added up across centres')}"
        return str(label)

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.valid_from and self.valid_from.day != 1:
            self.valid_from = periods.first_of(self.valid_from)
        if self.valid_until:
            self.valid_until = periods.first_of(self.valid_until)
            if self.valid_from and self.valid_until < self.valid_from:
                errors["valid_until"] = _("The last month cannot come before the first.")
        if self.min_value is not None and self.max_value is not None and self.max_value < self.min_value:
            errors["max_value"] = _("The maximum cannot be below the minimum.")
        if (self.min_value is not None or self.max_value is not None) and not self.is_numeric:
            errors["value_type"] = _("Only numbers can have bounds.")
        if self.within_id and (self.within_id == self.pk or self.within.scope != self.scope):
            errors["within"] = _("Choose another indicator of the same scope.")
        if errors:
            raise ValidationError(errors)

    def to_storage(self, value) -> tuple[Decimal | None, str]:
        """A cleaned form value as the (number, text) pair stored in ReportValue."""
        if self.value_type == ValueType.BOOLEAN:
            return (None if value is None else Decimal(1 if value else 0)), ""
        if self.is_numeric:
            return (None if value is None else Decimal(value)), ""
        return None, (value or "").strip()

    def from_storage(self, number, text):
        if self.value_type == ValueType.BOOLEAN:
            return None if number is None else bool(number)
        if self.value_type == ValueType.INTEGER:
            return None if number is None else int(number)
        if self.value_type == ValueType.DECIMAL:
            return number.normalize() if number is not None else None
        return text

    def display(self, number, text) -> str:
        value = self.from_storage(number, text)
        if value is None or value == "":
            return ""
        if self.value_type == ValueType.BOOLEAN:
            return str(_("Yes") if value else _("No"))
        if isinstance(value, Decimal):
            return f"{value:f}"
        return str(value)


# ---------------------------------------------------------------------------------------------
# Validation rules (``reports.validation`` parses and evaluates them)


class RuleSeverity(models.TextChoices):
    ERROR = "error", _("Error: blocks submitting")
    WARNING = "warning", _("Warning: needs a reason to submit")


class RuleOperator(models.TextChoices):
    LT = "<", "<"
    LE = "<=", "≤"
    EQ = "==", "="
    GE = ">=", "≥"
    GT = ">", ">"
    NE = "!=", "≠"


class ValidationRuleQuerySet(models.QuerySet):
    """Rules are network-wide reference data like indicators: no scoping, only the months they apply to."""

    def in_force(self, month: datetime.date) -> ValidationRuleQuerySet:
        """The active rules of a month: a report is checked by the rules of its own period."""
        month = periods.first_of(month)
        return self.filter(active=True, valid_from__lte=month).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=month)
        )


class ValidationRule(TimeStampedModel):
    """A rule between the figures of one centre-month (or organisation-month), as data.

    ``left <operator> right``, each side an expression over indicator codes (``reports.validation``):
    for example ``families_served <= child_visits``. An error blocks submitting; a warning needs a
    reason, which the reviewer reads. The message explains the rule to the person filling the form.
    """

    name = models.CharField(_("name"), max_length=120)
    left = models.CharField(_("left side"), max_length=500, help_text=_("For example child_visits"))
    operator = models.CharField(_("operator"), max_length=2, choices=RuleOperator.choices)
    right = models.CharField(
        _("right side"), max_length=500, help_text=_("For example (children_0_1 + children_1_2) * days_open")
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=RuleSeverity.choices, default=RuleSeverity.WARNING
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default=Scope.CENTRE)
    message_zh = models.CharField(_("Chinese message"), max_length=300)
    message_en = models.CharField(_("English message"), max_length=300)
    active = models.BooleanField(_("active"), default=True)
    valid_from = models.DateField(
        _("applies from month"), validators=[bounds.DATE], default=datetime.date(2018, 1, 1)
    )
    valid_until = models.DateField(_("applies until month"), validators=[bounds.DATE], null=True, blank=True)

    objects = ValidationRuleQuerySet.as_manager()

    class Meta:
        ordering = ["scope", "name", "pk"]
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="rule_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reports:rule_edit", args=[self.pk])

    @property
    def is_error(self) -> bool:
        return self.severity == RuleSeverity.ERROR

    @property
    def message(self) -> str:
        english = (get_language() or "").startswith("en")
        return (self.message_en if english else self.message_zh) or self.message_zh or self.message_en

    @property
    def operator_symbol(self) -> str:
        return RuleOperator(self.operator).label

    @property
    def expression(self) -> str:
        return f"{self.left} {self.operator_symbol} {self.right}"

    @property
    def left_tree(self):
        if getattr(self, "_left_tree", None) is None:
            from .validation import parse

            self._left_tree = parse(self.left)
        return self._left_tree

    @property
    def right_tree(self):
        if getattr(self, "_right_tree", None) is None:
            from .validation import parse

            self._right_tree = parse(self.right)
        return self._right_tree

    def codes(self) -> set[str]:
        from .validation import codes

        return codes(self.left_tree) | codes(self.right_tree)

    def applies_to(self, month: datetime.date) -> bool:
        return (
            self.active
            and self.valid_from <= month
            and (self.valid_until is None or month <= self.valid_until)
        )

    def as_json(self) -> dict:
        """What the form's script needs to run the rule as the person types (no round trip)."""
        return {
            "id": self.pk,
            "key": self.pk,
            "scope": self.scope,
            "left": self.left_tree,
            "right": self.right_tree,
            "op": self.operator,
            "error": self.is_error,
            "message": self.message,
            "symbol": self.operator_symbol,
        }

    def clean(self):
        """Both sides parse and name numeric indicators of the rule's scope (errors beside the field)."""
        from django.core.exceptions import ValidationError

        from .validation import ExpressionError, codes, parse

        errors = {}
        if self.valid_from and self.valid_from.day != 1:
            self.valid_from = periods.first_of(self.valid_from)
        if self.valid_until:
            self.valid_until = periods.first_of(self.valid_until)
            if self.valid_from and self.valid_until < self.valid_from:
                errors["valid_until"] = _("The last month cannot come before the first.")
        known = set(Indicator.objects.numeric().filter(scope=self.scope).values_list("code", flat=True))
        for side in ("left", "right"):
            try:
                tree = parse(getattr(self, side))
            except ExpressionError as error:
                errors[side] = error.args[0]
                continue
            unknown = sorted(codes(tree) - known)
            if unknown:
                errors[side] = _(
                    "Unknown figure: %(codes)s. Use the code of a numeric indicator of the same scope."
                ) % {"codes": ", ".join(unknown)}
        if errors:
            raise ValidationError(errors)
        self._left_tree = self._right_tree = None


# ---------------------------------------------------------------------------------------------
# Reports


class MonthlyReportQuerySet(ScopedQuerySet):
    """Reports are internal to their organisation: the base rule (hub all, partner people their own
    organisation's, viewers none) applies as it is."""

    def waiting(self) -> MonthlyReportQuerySet:
        return self.filter(status__in=WAITING_STATUSES)

    def counted(self) -> MonthlyReportQuerySet:
        return self.filter(status__in=COUNTED_STATUSES)


class MonthlyReport(VersionedModel, TimeStampedModel):
    """What one organisation did in one month, per operating centre plus organisation-wide notes.

    Lifecycle: draft -> submitted -> returned (with the hub's comment) -> resubmitted -> approved.
    Approved reports are locked; a hub admin may reopen one with a reason (it goes back to returned).
    Every step and every change of figures is kept in ``events``.

    The lifecycle methods are the rules and the transitions only (each under the row's lock, in its
    own transaction); who hears of a step is ``reports.actions``, which views call instead.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="monthly_reports", verbose_name=_("organisation")
    )
    month = models.DateField(
        _("month"), validators=[bounds.REPORT_MONTH], help_text=_("First day of the month reported on.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    created_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_submitted_at = models.DateTimeField(
        _("first submitted at"), validators=[bounds.DATE], null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), validators=[bounds.DATE], null=True, blank=True)
    submitted_by = models.ForeignKey(
        "partners.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), validators=[bounds.DATE], null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "partners.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    hub_comment = models.TextField(_("hub's comment"), blank=True)
    # Reasons given for the warnings of the validation rules at "check and submit", kept for the
    # reviewer: [{"key", "rule", "centre", "message", "figures", "reason"}] (``reports.validation``).
    warning_reasons = models.JSONField(_("reasons for warnings"), default=list, db_default=[], blank=True)
    # The outliers found when it was handed in (``reports.outliers``): a flagged report is approved
    # from its own page, where the flags are shown, never straight from the review queue.
    outlier_flags = models.JSONField(_("outlier flags"), default=list, db_default=[], blank=True)

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "organisation__name"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "month"], name="one_report_per_org_and_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="report_month_is_first_day"),
        ]
        indexes = [
            models.Index(fields=["month", "organisation"], name="report_month_org"),
            models.Index(fields=["status", "submitted_at"], name="report_status_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    # --- Periods

    @property
    def due_date(self) -> datetime.date:
        return periods.due_date(self.month)

    @property
    def last_day(self) -> datetime.date:
        return periods.last_of(self.month)

    @property
    def is_late(self) -> bool:
        if self.first_submitted_at is None:
            return timezone.localdate() > self.due_date
        return timezone.localtime(self.first_submitted_at).date() > self.due_date

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.APPROVED

    @property
    def is_waiting(self) -> bool:
        return self.status in WAITING_STATUSES

    def cell(self) -> str:
        return cell_for(self.status, self.first_submitted_at, self.month)

    def centres(self):
        return Centre.objects.operating_in_month(self.month, self.last_day).filter(
            organisation_id=self.organisation_id
        )

    def indicators(self):
        return Indicator.objects.valid_for(self.month).select_related("within")

    def can_edit(self, user) -> bool:
        return self.is_editable and (
            user.is_hub or (user.is_partner and user.organisation_id == self.organisation_id)
        )

    # --- Lifecycle

    @classmethod
    def start(cls, organisation: Organisation, month: datetime.date, *, by) -> MonthlyReport:
        """The organisation's report for a month, created as a draft if it does not exist yet."""
        month = periods.first_of(month)
        if month >= periods.first_of(timezone.localdate()):
            raise ReportError(_("A report can only be started once the month has ended."))
        existing = cls.objects.filter(organisation=organisation, month=month).first()
        if existing:
            return existing
        operating = Centre.objects.operating_in_month(month, periods.last_of(month)).filter(
            organisation=organisation
        )
        if not operating.exists():
            raise ReportError(_("This organisation had no operating centre in that month."))
        try:
            with transaction.atomic():
                report = cls.objects.create(organisation=organisation, month=month, created_by=by)
                report.record(EventAction.CREATED, by, "", ReportStatus.DRAFT)
        except IntegrityError:
            # Two people started the same month at once: both get the one report.
            return cls.objects.get(organisation=organisation, month=month)
        return report

    def _lock(self) -> MonthlyReport:
        """Reload this row under a row lock; call inside a transaction."""
        locked = type(self).objects.select_for_update().get(pk=self.pk)
        # Who submitted and who reviewed too: the actions tell them, so they must be the row's own.
        for field in (
            "status",
            "version",
            "first_submitted_at",
            "submitted_at",
            "hub_comment",
            "submitted_by_id",
            "reviewed_by_id",
        ):
            setattr(self, field, getattr(locked, field))
        return locked

    def record(self, action, by, from_status, to_status, comment="", changes=None) -> ReportEvent:
        return ReportEvent.objects.create(
            report=self,
            action=action,
            actor=by,
            from_status=from_status,
            to_status=to_status,
            comment=comment,
            changes=changes or [],
        )

    def save_values(self, values: dict, *, by, expected_version: int) -> list[dict]:
        """Store the figures typed in the form and keep the differences in the history.

        ``values`` maps (centre_id or None, indicator) to the cleaned form value. Refused when the
        report is no longer editable or someone saved it since ``expected_version`` was loaded.
        Returns the list of changes.
        """
        with transaction.atomic():
            self._lock()
            if self.version != expected_version:
                raise StaleObjectError(self)
            if not self.is_editable:
                raise ReportError(_("This report can no longer be changed."))
            stored = {(v.centre_id, v.indicator_id): v for v in self.values.all()}
            names = dict(self.centres().values_list("pk", "name"))
            changes, to_create, to_update, to_delete = [], [], [], []
            for (centre_id, indicator), value in values.items():
                number, text = indicator.to_storage(value)
                current = stored.get((centre_id, indicator.pk))
                old = indicator.display(current.number, current.text) if current else ""
                new = indicator.display(number, text)
                if old == new:
                    continue
                changes.append(
                    {
                        "centre": names.get(centre_id, "") if centre_id else "",
                        "indicator": indicator.code,
                        "label": indicator.label_zh,
                        "old": old,
                        "new": new,
                    }
                )
                if number is None and not text:
                    if current:
                        to_delete.append(current.pk)
                elif current:
                    current.number, current.text = number, text
                    to_update.append(current)
                else:
                    to_create.append(
                        ReportValue(
                            report=self,
                            centre_id=centre_id,
                            indicator=indicator,
                            month=self.month,
                            number=number,
                            text=text,
                        )
                    )
            ReportValue.objects.filter(pk__in=to_delete).delete()
            ReportValue.objects.bulk_update(to_update, ["number", "text"])
            ReportValue.objects.bulk_create(to_create)
            self.save_versioned(expected_version, update_fields=["version", "updated_at"])
            if changes:
                self.record(EventAction.SAVED, by, self.status, self.status, changes=changes)
        return changes

    def keep_warning_reasons(self, reasons: list[dict]) -> None:
        """Keep the reasons given for the rules' warnings (the reviewer reads them); no new version:
        they come with a save of the figures, which has one."""
        self.warning_reasons = reasons
        type(self).objects.filter(pk=self.pk).update(warning_reasons=reasons)

    def keep_outlier_flags(self, flags: list[dict]) -> None:
        self.outlier_flags = flags
        type(self).objects.filter(pk=self.pk).update(outlier_flags=flags)

    @property
    def is_flagged(self) -> bool:
        return bool(self.outlier_flags)

    def missing_required(self) -> list[str]:
        """Labels of required figures not filled in (per centre), so nothing incomplete is submitted."""
        indicators = [i for i in self.indicators() if i.required]
        filled = set(self.values.values_list("centre_id", "indicator_id"))
        missing = []
        for centre in self.centres():
            missing += [
                f"{centre.name}: {i.label}"
                for i in indicators
                if i.scope == Scope.CENTRE and (centre.pk, i.pk) not in filled
            ]
        missing += [
            i.label for i in indicators if i.scope == Scope.ORGANISATION and (None, i.pk) not in filled
        ]
        return missing

    def submit(self, *, by) -> ReportEvent:
        """Hand the report in. A second click or tab finds it already submitted and is refused.
        Returns the history's new event."""
        with transaction.atomic():
            self._lock()
            if not self.can_edit(by):
                raise ReportError(_("This report has already been submitted."))
            missing = self.missing_required()
            if missing:
                raise ReportError(
                    _("Some required figures are missing: %(list)s") % {"list": "、".join(missing)}
                )
            before = self.status
            now = timezone.now()
            self.status = (
                ReportStatus.RESUBMITTED if before == ReportStatus.RETURNED else ReportStatus.SUBMITTED
            )
            self.first_submitted_at = self.first_submitted_at or now
            self.submitted_at = now
            self.submitted_by = by
            self.version += 1
            self.save(
                update_fields=[
                    "status",
                    "first_submitted_at",
                    "submitted_at",
                    "submitted_by",
                    "version",
                    "updated_at",
                ]
            )
            return self.record(EventAction.SUBMITTED, by, before, self.status)

    def _review(self, by, *, allowed, to_status, action, comment="") -> ReportEvent:
        if not by.is_hub:
            raise PermissionDenied
        with transaction.atomic():
            self._lock()
            if self.status not in allowed:
                raise ReportError(_("This report is not waiting for this step any more."))
            before = self.status
            self.status = to_status
            self.reviewed_at = timezone.now()
            self.reviewed_by = by
            if comment:
                self.hub_comment = comment
            self.version += 1
            self.save(
                update_fields=["status", "reviewed_at", "reviewed_by", "hub_comment", "version", "updated_at"]
            )
            return self.record(action, by, before, to_status, comment=comment)

    def approve(self, *, by) -> ReportEvent:
        return self._review(
            by, allowed=WAITING_STATUSES, to_status=ReportStatus.APPROVED, action=EventAction.APPROVED
        )

    def return_for_revision(self, *, by, comment: str) -> ReportEvent:
        if not comment.strip():
            raise ReportError(_("Say what needs to change."))
        return self._review(
            by,
            allowed=WAITING_STATUSES,
            to_status=ReportStatus.RETURNED,
            action=EventAction.RETURNED,
            comment=comment.strip(),
        )

    def reopen(self, *, by, reason: str) -> ReportEvent:
        """Unlock an approved report (hub admins only); it goes back to the organisation to revise."""
        if not by.is_hub_admin:
            raise PermissionDenied
        if not reason.strip():
            raise ReportError(_("Give the reason for reopening."))
        return self._review(
            by,
            allowed={ReportStatus.APPROVED},
            to_status=ReportStatus.RETURNED,
            action=EventAction.REOPENED,
            comment=reason.strip(),
        )


def cell_for(status: str | None, first_submitted_at, month: datetime.date, today=None) -> str:
    """The grid's verdict for an expected report (``status`` None: no report was started)."""
    today = today or timezone.localdate()
    due = periods.due_date(month)
    if status in COUNTED_STATUSES:
        on_time = timezone.localtime(first_submitted_at).date() <= due
        return Cell.ON_TIME if on_time else Cell.LATE
    if status == ReportStatus.RETURNED:
        return Cell.RETURNED
    if status == ReportStatus.DRAFT:
        return Cell.DRAFT
    return Cell.NOT_DUE if today <= due else Cell.MISSING


class ReportValue(models.Model):
    """One figure of a report: for one centre (or the organisation when ``centre`` is empty).

    ``month`` repeats the report's month so that network totals per indicator and month read one
    index range instead of joining every report.
    """

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="values")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    month = models.DateField(_("month"), validators=[bounds.REPORT_MONTH])
    number = models.DecimalField(
        _("number"), validators=[bounds.FIGURE], max_digits=14, decimal_places=2, null=True, blank=True
    )
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "centre", "indicator"], name="one_value_per_cell", nulls_distinct=False
            ),
        ]
        indexes = [models.Index(fields=["indicator", "month"], name="value_indicator_month")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.centre_id} {self.indicator_id}"


class ReportEvent(models.Model):
    """One step in a report's history: who, when, from which status to which, what changed."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=EventAction.choices)
    actor = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), validators=[bounds.DATE], default=timezone.now)
    from_status = models.CharField(_("from"), max_length=20, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ReportStatus.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    changes = models.JSONField(_("changes"), default=list, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("report history")
        verbose_name_plural = _("report history")

    def __str__(self) -> str:
        return f"{self.report} {self.action}"


# ---------------------------------------------------------------------------------------------
# Yearly targets (achievement is computed by ``reports.targets`` through the roll-up)

# A target is a figure of the same kind as the indicator's roll-up, never negative.
TARGET_BOUNDS = bounds.NumberBounds(Decimal(0), bounds.MAX_FIGURE)


class TargetQuerySet(ScopedQuerySet):
    """Targets are agreed between the hub and one organisation: the hub sees every target, the
    organisation's own people theirs (the base rule), viewers none; only the hub sets them."""

    def editable_to(self, user) -> Q | None:
        return None

    def of_year(self, year: int) -> TargetQuerySet:
        return self.filter(year=year)


class Target(TimeStampedModel):
    """What an organisation (or one of its centres) agreed to deliver in a year for one indicator.

    The figure is in the terms of the indicator's roll-up (``Indicator.over_months``): the year's
    total for a flow such as child visits, the level to hold for a stock such as families in an
    average month. Empty centre: the target of the whole organisation.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="targets", verbose_name=_("organisation")
    )
    centre = models.ForeignKey(
        Centre,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("centre"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[bounds.YEAR])
    value = models.DecimalField(
        pgettext_lazy("reports", "target"), validators=[TARGET_BOUNDS], max_digits=14, decimal_places=2
    )
    set_by = models.ForeignKey(
        "partners.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["year", "organisation", "indicator__order", "centre"]
        verbose_name = pgettext_lazy("reports", "target")
        verbose_name_plural = pgettext_lazy("reports", "targets")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "indicator", "centre"],
                name="one_target_per_org_year_indicator_centre",
                nulls_distinct=False,
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_not_negative"),
        ]
        indexes = [models.Index(fields=["year", "indicator"], name="target_year_indicator")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year} {self.indicator.code}"


# ---------------------------------------------------------------------------------------------
# Generated regional reports (PDF and XLSX written by a Celery task)


def _generated_file_path(instance, filename: str) -> str:
    # One folder per report: a retried run replaces what a killed run may have left there. The random
    # part makes the stored name unguessable; people download under the report's title instead.
    stem, ext = posixpath.splitext(filename)
    return f"regional-reports/{instance.pk}/{stem}-{random_part()}{ext}"


# First key of the two-key PostgreSQL advisory lock a run holds on its report ("generated reports").
GENERATION_LOCK = 7406


def _try_generation_xact_lock(report_id: int) -> bool:
    """Whether no run holds the report: taken until the end of the current transaction if so."""
    from django.db import connection

    # Raw SQL because Django has no advisory-lock API; parameterised, constants only.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [GENERATION_LOCK, report_id])
        return cursor.fetchone()[0]


class GeneratedReportQuerySet(ScopedQuerySet):
    """Generated reports: the hub all (the base); viewers the region and prefecture reports
    (aggregates); partner directors their own organisation's; everyone else nothing."""

    def visible_to(self, user) -> Q | None:
        if user.is_viewer:
            return Q(scope__in=[ReportScope.REGION, ReportScope.PREFECTURE])
        if user.is_director and user.organisation_id:
            return Q(scope=ReportScope.ORGANISATION, organisation_id=user.organisation_id)
        return None

    def editable_to(self, user) -> Q | None:
        # Only the hub changes generated reports (a retry by the requester is the report's own rule).
        return None

    def active(self) -> GeneratedReportQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)

    def stale(self, now: datetime.datetime | None = None) -> GeneratedReportQuerySet:
        """Queued or running reports past their deadline: a running one ``REGIONAL_REPORT_STALE_MINUTES``
        after its last heartbeat (``progress_at``), a queued one ``REGIONAL_REPORT_QUEUED_STALE_MINUTES``
        after it was requested (longer: the outbox may hold it while the broker is down)."""
        from django.conf import settings
        from django.db.models.functions import Coalesce

        now = now or timezone.now()
        running = now - datetime.timedelta(minutes=settings.REGIONAL_REPORT_STALE_MINUTES)
        queued = now - datetime.timedelta(minutes=settings.REGIONAL_REPORT_QUEUED_STALE_MINUTES)
        return self.alias(heartbeat=Coalesce("progress_at", "started_at", "requested_at")).filter(
            Q(status=GenerationStatus.RUNNING, heartbeat__lt=running)
            | Q(status=GenerationStatus.QUEUED, requested_at__lt=queued)
        )

    def fail_stale(self, now: datetime.datetime | None = None) -> list[int]:
        """Mark these reports failed where they are stale, with a visible reason, and tell each
        requester once. Returns the ids marked failed.

        One transaction per report, its row locked. A report whose run still holds the advisory lock
        is left alone: that worker's database session is alive, so the run is only slow, and the
        worker's hard time limit ends a hung run (which releases the lock). Only past that limit too
        is it marked failed regardless (a worker whose parent died cannot enforce the limit); the
        run then stops at its next step, because every write of a run requires status "running".
        """
        from django.conf import settings

        from .regional.generate import notify_finished, stale_reason

        now = now or timezone.now()
        hard_limit = now - datetime.timedelta(
            seconds=settings.CELERY_TASK_TIME_LIMIT, minutes=settings.REGIONAL_REPORT_STALE_MINUTES
        )
        failed = []
        for pk in self.stale(now).values_list("pk", flat=True):
            with transaction.atomic():
                report = (
                    GeneratedReport.objects.select_for_update(skip_locked=True)
                    .stale(now)
                    .filter(pk=pk)
                    .first()
                )
                if report is None:  # finished, or a concurrent sweep has it
                    continue
                heartbeat = report.progress_at or report.started_at or report.requested_at
                if not _try_generation_xact_lock(pk) and heartbeat >= hard_limit:
                    continue
                report.failure_reason = stale_reason(report, now)
                GeneratedReport.objects.filter(pk=pk).update(
                    status=GenerationStatus.FAILED, failure_reason=report.failure_reason, finished_at=now
                )
                report.status = GenerationStatus.FAILED
                notify_finished(report)
            failed.append(pk)
        return failed


class GeneratedReport(models.Model):
    """A regional report for one period and scope, generated in the background as PDF and XLSX.

    Status: queued -> running (with ``progress`` in percent) -> done, or failed with ``failure_reason``.
    A partial unique constraint allows only one queued or running report per set of parameters, so
    the same request while one runs gets the running one (``regional.actions.request_report``).
    Done and failed are final: trying again is a new report (a new job) with the same parameters.
    A run beats (``progress_at``) when it starts and at each step; a queued or running report
    whose heartbeat stops is marked failed by ``fail_stale`` (beat, and before each request).
    """

    period_kind = models.CharField(_("period"), max_length=20, choices=PeriodKind.choices)
    period_start = models.DateField(_("period starts"))
    scope = models.CharField(
        _("scope"), max_length=20, choices=ReportScope.choices, default=ReportScope.REGION
    )
    prefecture = models.ForeignKey(
        "partners.Prefecture",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prefecture"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="generated_reports",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=GenerationStatus.choices, default=GenerationStatus.QUEUED
    )
    failure_reason = models.TextField(_("reason for failure"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    pdf = models.FileField(_("PDF"), upload_to=_generated_file_path, blank=True, max_length=200)
    xlsx = models.FileField(_("Excel"), upload_to=_generated_file_path, blank=True, max_length=200)
    requested_by = models.ForeignKey(
        "partners.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    progress_at = models.DateTimeField(_("last progress at"), null=True, blank=True)

    objects = GeneratedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        constraints = [
            models.UniqueConstraint(
                fields=["period_kind", "period_start", "scope", "prefecture", "organisation"],
                condition=Q(status__in=ACTIVE_STATUSES),
                nulls_distinct=False,
                name="one_active_generated_report_per_parameters",
            ),
            models.CheckConstraint(
                condition=(Q(scope="region", prefecture__isnull=True, organisation__isnull=True))
                | Q(scope="prefecture", prefecture__isnull=False, organisation__isnull=True)
                | Q(scope="organisation", prefecture__isnull=True, organisation__isnull=False),
                name="generated_report_scope_matches_target",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="generated_report_progress_is_percent"
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="generated_status_requested")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("reports:regional_list")

    @property
    def period_label(self) -> str:
        from .regional import periods as report_periods

        return report_periods.label(self.period_kind, self.period_start)

    @property
    def scope_label(self) -> str:
        if self.scope == ReportScope.PREFECTURE and self.prefecture_id:
            return self.prefecture.name
        if self.scope == ReportScope.ORGANISATION and self.organisation_id:
            return self.organisation.short_name or self.organisation.name
        return str(_("Guangxi region"))

    @property
    def title(self) -> str:
        return f"{self.scope_label} {self.period_label}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def can_retry(self, user) -> bool:
        """A failed report can be generated again by the hub and by the person who asked for it."""
        if self.status != GenerationStatus.FAILED or not user.is_authenticated:
            return False
        return user.is_hub or (self.requested_by_id is not None and self.requested_by_id == user.pk)


class MeetingReportPack(models.Model):
    """The regional report attached to a directors' or regional meeting as its report pack."""

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="report_pack", verbose_name=_("meeting")
    )
    report = models.ForeignKey(
        GeneratedReport, on_delete=models.CASCADE, related_name="meeting_packs", verbose_name=_("report")
    )
    attached_at = models.DateTimeField(_("attached at"), validators=[bounds.DATE], default=timezone.now)

    class Meta:
        verbose_name = _("meeting report pack")
        verbose_name_plural = _("meeting report packs")

    def __str__(self) -> str:
        return f"{self.meeting} - {self.report}"


class AnnualNarrativeQuerySet(ScopedQuerySet):
    """The words of annual reports. The hub writes the region's (``organisation`` empty) and reads
    all; a partner's people read their organisation's and its director edits it; viewers read the
    region's once it is published (they are the funders and officials it is written for)."""

    def visible_to(self, user) -> Q | None:
        if user.is_viewer:
            return Q(organisation__isnull=True, published_at__isnull=False)
        return self.own_organisation(user)

    def editable_to(self, user) -> Q | None:
        if user.is_director and user.organisation_id:
            return Q(organisation_id=user.organisation_id)
        return None

    def region(self) -> AnnualNarrativeQuerySet:
        return self.filter(organisation__isnull=True)


class AnnualNarrative(VersionedModel, TimeStampedModel):
    """The words of one annual or half-year report: the region's (``organisation`` empty, written by
    the hub) or one partner organisation's (written by its director for its own funders and board).

    Drafted from the period's data (``reports.regional.narrative.draft``) so nobody starts from a blank
    page, then edited. ``share_token`` makes the partner's web edition readable by link without an
    account; clearing it revokes the link. ``published_at`` opens the region's web edition to viewers.
    Photos (cover, logo, stories) are attachments of this narrative (``hubsite.core.attachments``);
    only those ``usable_for_funders()`` are ever printed.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="annual_narratives",
        verbose_name=_("organisation"),
    )
    period_kind = models.CharField(
        _("period"),
        max_length=20,
        choices=[
            (PeriodKind.HALF_YEAR, PeriodKind.HALF_YEAR.label),
            (PeriodKind.YEAR, PeriodKind.YEAR.label),
        ],
        default=PeriodKind.YEAR,
    )
    period_start = models.DateField(_("period starts"), validators=[bounds.DATE])
    foreword = models.TextField(_("foreword"), blank=True, max_length=5000)
    highlights = models.TextField(_("highlights of the year"), blank=True, max_length=5000)
    challenges = models.TextField(_("challenges"), blank=True, max_length=5000)
    next_plan = models.TextField(_("plan for next year"), blank=True, max_length=5000)
    thanks = models.TextField(_("thanks to funders"), blank=True, max_length=3000)
    funders = models.TextField(_("funders and partners (one per line)"), blank=True, max_length=3000)
    contact = models.TextField(_("contact"), blank=True, max_length=1000)
    share_token = models.CharField(_("share link key"), max_length=64, blank=True, db_index=True)
    published_at = models.DateTimeField(_("published at"), validators=[bounds.DATE], null=True, blank=True)
    updated_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AnnualNarrativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual report text")
        verbose_name_plural = _("annual report texts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period_kind", "period_start"],
                name="annual_narrative_one_per_period",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation or '-'} {self.period_kind} {self.period_start:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("reports:annual_text_edit", args=[self.pk])

    @property
    def is_region(self) -> bool:
        return self.organisation_id is None

    @property
    def period_label(self) -> str:
        from .regional import periods as report_periods

        return report_periods.label(self.period_kind, self.period_start)

    @property
    def scope_label(self) -> str:
        if self.organisation_id:
            return self.organisation.short_name or self.organisation.name
        return str(_("Guangxi region"))

    @property
    def title(self) -> str:
        return f"{self.scope_label} {self.period_label}"


class AnnualStoryQuerySet(ScopedQuerySet):
    """Stories: the hub sees all; a partner's people see the stories about their organisation (in the
    region's text too, so its director can agree or decline); its director edits those of its own
    organisation's text."""

    def editable_to(self, user) -> Q | None:
        if user.is_director and user.organisation_id:
            return Q(narrative__organisation_id=user.organisation_id)
        return None

    def publishable(self) -> AnnualStoryQuerySet:
        return self.filter(consented_at__isnull=False)


class AnnualStory(VersionedModel):
    """One story of an annual report, usually picked from a partner's monthly highlights and edited.

    A story about a partner is printed only once that organisation has agreed (``consented_at``);
    its photo only if ``usable_for_funders()``. The hub asks (``consent_requested_at``/``_by``, told
    when the director answers); a decline keeps its time and reason so the hub knows not to print it.
    Changing the words after the organisation agreed takes the agreement back: it agreed to a text.
    """

    narrative = models.ForeignKey(
        AnnualNarrative,
        on_delete=models.CASCADE,
        related_name="stories",
        verbose_name=_("annual report text"),
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("story order", "position"), default=0)
    title = models.CharField(pgettext_lazy("story", "title"), max_length=100)
    body = models.TextField(pgettext_lazy("story", "text"), max_length=3000)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    source_report = models.ForeignKey(
        "reports.MonthlyReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the monthly report"),
    )
    photo = models.ForeignKey(
        "hubsite.Attachment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    consent_requested_at = models.DateTimeField(
        _("consent requested at"), validators=[bounds.DATE], null=True, blank=True
    )
    consented_at = models.DateTimeField(
        _("organisation agreed at"), validators=[bounds.DATE], null=True, blank=True
    )
    consented_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_requested_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_declined_at = models.DateTimeField(
        _("organisation declined at"), validators=[bounds.DATE], null=True, blank=True
    )
    consent_note = models.CharField(_("organisation's note"), max_length=500, blank=True)

    objects = AnnualStoryQuerySet.as_manager()

    class Meta:
        ordering = ["narrative", "position", "pk"]
        verbose_name = _("annual report story")
        verbose_name_plural = _("annual report stories")

    def __str__(self) -> str:
        return self.title

    @property
    def publishable(self) -> bool:
        return self.consented_at is not None

    @property
    def consent_state(self) -> str:
        """ "agreed", "declined", "asked" or "not_asked", for the pages' badges."""
        if self.consented_at:
            return "agreed"
        if self.consent_declined_at:
            return "declined"
        if self.consent_requested_at:
            return "asked"
        return "not_asked"
