"""The mutual-aid group (区域互助支持小组): policy, review rounds, membership and the rights it grants.

The five criteria are code (``criteria.py``); which of them are required is data
(``EligibilityPolicy``, one immutable row per version). Review rounds keep what they found as JSON
snapshots so a decision can be audited later whatever happens to the underlying records.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubsite.core import validators as bounds
from hubsite.core.scoping import ScopedQuerySet
from partners.choices import RATING_RANK, Rating, SiteType
from partners.models import Centre, Organisation, Prefecture

from .choices import (
    CRITERIA_ORDER,
    ActivityKind,
    ApplicationStatus,
    ClaimStatus,
    Criterion,
    Decision,
    ExpansionRule,
    HelpFormat,
    HelpKind,
    HelpRequestStatus,
    MentorArea,
    OfferStatus,
    PairingOutcome,
    RoundKind,
    SessionKind,
    VisitStatus,
    WaitStatus,
)


class ImmutableError(Exception):
    """A row that is kept as an audit record was about to be changed."""


def _member_on(day: datetime.date | None = None, ref: str = "organisation"):
    """An ``Exists`` that is true when the row's organisation is a member of the group on ``day``."""
    day = day or timezone.localdate()
    return Exists(
        Membership.objects.filter(organisation=OuterRef(ref)).current(day),
    )


# ---------------------------------------------------------------------------------------------
# Policy


class EligibilityPolicyQuerySet(models.QuerySet):
    """Policy versions; ``current()`` is the one in force."""

    def current(self) -> EligibilityPolicy:
        """The latest version; version 1 (all five required) is created if none exists yet."""
        policy = self.order_by("-version").first()
        if policy is None:
            policy, _created = self.get_or_create(version=1, defaults={"required": list(CRITERIA_ORDER)})
        return policy


class EligibilityPolicy(models.Model):
    """One version of the screening policy. Never edited: a change is a new version.

    An organisation qualifies when every required criterion is met and at least
    ``min_optional_met`` of the optional ones are.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    required = ArrayField(
        models.CharField(max_length=30, choices=Criterion.choices),
        verbose_name=_("required criteria"),
        default=list,
        blank=True,
    )
    min_optional_met = models.PositiveSmallIntegerField(
        _("minimum optional criteria met"),
        validators=[bounds.CRITERIA_COUNT],
        default=0,
        help_text=_("How many of the optional criteria an organisation must meet as well."),
    )
    project_months = models.PositiveSmallIntegerField(
        _("project length (months)"),
        validators=[bounds.PROJECT_MONTHS],
        default=12,
        help_text=_("What 'more than one year' means, in months."),
    )
    min_rating = models.CharField(
        _("minimum rating of the first centre"),
        max_length=20,
        choices=Rating.choices,
        default=Rating.MEETS_STANDARD,
    )
    expansion_rule = models.CharField(
        _("what counts as expanding"),
        max_length=20,
        choices=ExpansionRule.choices,
        default=ExpansionRule.EITHER,
        help_text=_("Criterion 4: an open expansion plan, a second site operating, or either."),
    )
    note = models.TextField(_("reason for the change"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(_("created at"), validators=[bounds.DATE], default=timezone.now)

    objects = EligibilityPolicyQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("eligibility policy")
        verbose_name_plural = _("eligibility policies")

    def __str__(self) -> str:
        return _("Policy v%(version)s") % {"version": self.version}

    def save(self, *args, **kwargs):
        # Evaluations and review rounds point at a version: changing it would rewrite history.
        if not self._state.adding:
            raise ImmutableError("An eligibility policy version cannot be changed; create a new one.")
        super().save(*args, **kwargs)

    def clean(self):
        unknown = set(self.required) - set(CRITERIA_ORDER)
        if unknown:
            raise ValidationError({"required": _("Unknown criteria.")})
        if self.min_optional_met > len(self.optional):
            raise ValidationError(
                {
                    "min_optional_met": _("Only %(count)s criteria are optional.")
                    % {"count": len(self.optional)}
                }
            )
        if self.project_months < 1:
            raise ValidationError({"project_months": _("Enter at least one month.")})

    @property
    def optional(self) -> list[str]:
        return [code for code in CRITERIA_ORDER if code not in self.required]

    @property
    def required_numbers(self) -> str:
        """The required criteria by their numbers, e.g. "1, 2, 3, 4"."""
        return ", ".join(
            str(CRITERIA_ORDER.index(code) + 1) for code in CRITERIA_ORDER if code in self.required
        )

    def is_required(self, code: str) -> bool:
        return code in self.required

    def rating_is_enough(self, rating: str) -> bool:
        return RATING_RANK.get(rating, -1) >= RATING_RANK[self.min_rating]

    @property
    def counts_plans(self) -> bool:
        return self.expansion_rule in (ExpansionRule.EITHER, ExpansionRule.PLAN)

    @property
    def counts_second_site(self) -> bool:
        return self.expansion_rule in (ExpansionRule.EITHER, ExpansionRule.SECOND_SITE)

    def as_dict(self) -> dict:
        return {
            "version": self.version,
            "required": list(self.required),
            "min_optional_met": self.min_optional_met,
            "project_months": self.project_months,
            "min_rating": self.min_rating,
            "expansion_rule": self.expansion_rule,
        }


# ---------------------------------------------------------------------------------------------
# Review rounds and membership


class ReviewRound(models.Model):
    """Hub staff evaluate every active partner (or, for a re-check, every member) as of a date."""

    name = models.CharField(_("name"), max_length=80)
    cohort = models.CharField(_("cohort"), max_length=20, help_text=_("e.g. 2024"))
    kind = models.CharField(_("kind"), max_length=20, choices=RoundKind.choices, default=RoundKind.ADMISSION)
    as_of = models.DateField(_("as of"), validators=[bounds.DATE])
    policy = models.ForeignKey(
        EligibilityPolicy, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("policy")
    )
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
    )
    run_at = models.DateTimeField(_("run at"), validators=[bounds.DATE], default=timezone.now)

    class Meta:
        ordering = ["-run_at", "-pk"]
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mutualaid:round_detail", args=[self.pk])


class ReviewResult(models.Model):
    """One organisation's result in a round: the frozen snapshot, then the hub's decision.

    The snapshot (every criterion's status, evidence and explanation, plus the policy) is written once
    and never recomputed; only the decision fields change afterwards.
    """

    DECISION_FIELDS = frozenset({"decision", "decision_note", "decided_by", "decided_at"})

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="results")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="review_results", verbose_name=_("organisation")
    )
    snapshot = models.JSONField(_("snapshot"))
    qualifies = models.BooleanField(_("qualifies"))
    missing = ArrayField(models.CharField(max_length=30), verbose_name=_("missing"), default=list)
    missing_count = models.PositiveSmallIntegerField(
        _("criteria missing"), validators=[bounds.CRITERIA_COUNT]
    )
    was_member = models.BooleanField(_("member at the time"), default=False)
    flagged = models.BooleanField(
        _("flagged"), default=False, help_text=_("A member that no longer meets the policy.")
    )
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), validators=[bounds.DATE], null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["round", "missing_count", "organisation__name"]
        verbose_name = _("review result")
        verbose_name_plural = _("review results")
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="one_result_per_org_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.organisation}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= self.DECISION_FIELDS:
                raise ImmutableError("A review snapshot is never rewritten; only the decision may change.")
        super().save(*args, **kwargs)

    @property
    def criteria(self) -> list[dict]:
        return self.snapshot.get("criteria", [])


class MembershipQuerySet(models.QuerySet):
    """Membership periods; ``current(day)`` those that include the day."""

    def current(self, day: datetime.date | None = None):
        day = day or timezone.localdate()
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))


class Membership(models.Model):
    """A period during which an organisation belongs to the group, within a cohort."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    cohort = models.CharField(_("cohort"), max_length=20)
    joined_on = models.DateField(_("joined on"), validators=[bounds.DATE])
    left_on = models.DateField(_("left on"), validators=[bounds.DATE], null=True, blank=True)
    left_reason = models.TextField(_("reason for leaving"), blank=True)
    admitted_in = models.ForeignKey(
        ReviewResult,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("admitted in"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-joined_on", "organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(left_on__isnull=True),
                name="one_open_membership_per_org",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.cohort})"

    def is_current(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)


# ---------------------------------------------------------------------------------------------
# Right (a): expansion funding


class ApplicationQuerySet(ScopedQuerySet):
    """Applications, scoped to the applicant's organisation (hub staff: all)."""

    def with_membership(self, day: datetime.date | None = None):
        return self.annotate(is_member=_member_on(day))

    def review_queue(self, day: datetime.date | None = None):
        """Open applications, members of the group first, then the earliest submitted."""
        return (
            self.filter(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW])
            .with_membership(day)
            .order_by("-is_member", "submitted_at", "pk")
        )


class ExpansionFundingApplication(models.Model):
    """A partner's application for expansion funding (拓点经费) for one planned site."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="funding_applications",
        verbose_name=_("organisation"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("applicant")
    )
    site_name = models.CharField(_("planned site"), max_length=120)
    prefecture = models.ForeignKey(
        Prefecture, on_delete=models.PROTECT, related_name="+", verbose_name=_("prefecture")
    )
    site_type = models.CharField(_("site type"), max_length=30, choices=SiteType.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    budget = models.DecimalField(
        _("budget (yuan)"), validators=[bounds.MONEY], max_digits=10, decimal_places=2
    )
    justification = models.TextField(_("justification"))
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted at"), validators=[bounds.DATE], default=timezone.now)
    approved_amount = models.DecimalField(
        _("approved amount"),
        validators=[bounds.MONEY],
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), validators=[bounds.DATE], null=True, blank=True)
    centre = models.ForeignKey(
        Centre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned centre created"),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("expansion funding application")
        verbose_name_plural = _("expansion funding applications")
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="application_budget_positive"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_amount__gt=0),
                name="approved_application_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.site_name}"

    def get_absolute_url(self) -> str:
        return reverse("mutualaid:application_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


# ---------------------------------------------------------------------------------------------
# Right (b): study-visit travel subsidy


class StudyVisitBudgetQuerySet(models.QuerySet):
    def amount_for(self, year: int) -> Decimal | None:
        return self.filter(year=year).values_list("amount_per_member", flat=True).first()


class StudyVisitBudget(models.Model):
    """The travel subsidy each member may use in one calendar year (元)."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[bounds.YEAR], unique=True)
    amount_per_member = models.DecimalField(
        _("budget per member (yuan)"), validators=[bounds.MONEY], max_digits=10, decimal_places=2
    )

    objects = StudyVisitBudgetQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("study-visit budget")
        verbose_name_plural = _("study-visit budgets")

    def __str__(self) -> str:
        return f"{self.year}: {self.amount_per_member}"


@dataclass
class BudgetUse:
    """One member's study-visit budget for a year, as every page shows it.

    The buckets do not overlap: *committed* is approved visits not claimed yet (their estimate) and
    claims waiting for the hub's check (the amount claimed); *verified* is checked, not yet paid (the
    verified amount); *paid* is paid out. A rejected claim uses nothing.
    """

    year: int
    budget: Decimal | None
    committed: Decimal = Decimal(0)
    verified: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)

    @property
    def used(self) -> Decimal:
        return self.committed + self.verified + self.paid

    @property
    def left(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.used


class StudyVisitQuerySet(ScopedQuerySet):
    """Study visits, scoped to the visiting organisation (hub staff: all)."""

    def in_year(self, year: int):
        return self.filter(visit_on__year=year)

    def budget_use(self, year: int) -> dict[int, BudgetUse]:
        """Per organisation with visits in the year: its ``BudgetUse`` (one query, plus the budget)."""
        budget = StudyVisitBudget.objects.amount_for(year)
        rows = (
            self.in_year(year)
            .values("organisation_id")
            .annotate(
                reserved=Sum("estimated_cost", filter=Q(status=VisitStatus.APPROVED)),
                claimed=Sum(
                    "actual_cost",
                    filter=Q(status=VisitStatus.CLAIMED, claim_status=ClaimStatus.SUBMITTED),
                ),
                verified=Sum("verified_amount", filter=Q(claim_status=ClaimStatus.VERIFIED)),
                paid=Sum("verified_amount", filter=Q(claim_status=ClaimStatus.PAID)),
            )
        )
        zero = Decimal(0)
        return {
            row["organisation_id"]: BudgetUse(
                year=year,
                budget=budget,
                committed=(row["reserved"] or zero) + (row["claimed"] or zero),
                verified=row["verified"] or zero,
                paid=row["paid"] or zero,
            )
            for row in rows
        }

    def budget_of(self, organisation_id: int, year: int) -> BudgetUse:
        """One member's ``BudgetUse`` for the year (zero use when it has no visit)."""
        use = self.filter(organisation_id=organisation_id).budget_use(year)
        if organisation_id in use:
            return use[organisation_id]
        return BudgetUse(year=year, budget=StudyVisitBudget.objects.amount_for(year))


class StudyVisit(models.Model):
    """A member's study visit to another organisation's centre (区域内走访学习) and its claim.

    requested -> approved (reserves the estimated cost in the year's budget) / declined; after the
    visit, the claim records the actual cost and a learning note (claimed). The claim then has its
    own course (``claim_status``): submitted -> verified by the hub (the amount may be adjusted, with
    the reason) or rejected; only a verified claim can be paid.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="study_visits", verbose_name=_("organisation")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    visitors = models.CharField(_("who visits"), max_length=200)
    host_centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="study_visits", verbose_name=_("centre visited")
    )
    visit_on = models.DateField(_("visit date"), validators=[bounds.DATE])
    estimated_cost = models.DecimalField(
        _("estimated cost (yuan)"), validators=[bounds.MONEY], max_digits=10, decimal_places=2
    )
    purpose = models.TextField(_("what to learn"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested at"), validators=[bounds.DATE], default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), validators=[bounds.DATE], null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    actual_cost = models.DecimalField(
        _("actual cost (yuan)"),
        validators=[bounds.MONEY],
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    learning_note = models.TextField(_("learning note"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), validators=[bounds.DATE], null=True, blank=True)
    claim_status = models.CharField(
        _("claim"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.NONE, blank=True
    )
    verified_amount = models.DecimalField(
        _("verified amount (yuan)"),
        validators=[bounds.MONEY],
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    verification_note = models.TextField(_("the hub's check"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    verified_at = models.DateTimeField(_("checked at"), validators=[bounds.DATE], null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), validators=[bounds.DATE], null=True, blank=True)

    objects = StudyVisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visit_on", "-pk"]
        verbose_name = _("study visit")
        verbose_name_plural = _("study visits")
        constraints = [
            models.CheckConstraint(condition=Q(estimated_cost__gt=0), name="visit_estimate_positive"),
            models.CheckConstraint(
                condition=~Q(status="claimed") | Q(actual_cost__isnull=False),
                name="claimed_visit_has_actual_cost",
            ),
            models.CheckConstraint(
                condition=~Q(claim_status__in=["verified", "paid"]) | Q(verified_amount__isnull=False),
                name="verified_claim_has_amount",
            ),
            models.CheckConstraint(
                condition=~Q(claim_status="paid") | Q(paid_at__isnull=False),
                name="paid_claim_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} -> {self.host_centre} ({self.visit_on})"

    def get_absolute_url(self) -> str:
        return reverse("mutualaid:visit_detail", args=[self.pk])

    @property
    def claim_is_waiting(self) -> bool:
        return self.claim_status == ClaimStatus.SUBMITTED

    @property
    def claim_amount_adjusted(self) -> bool:
        return self.verified_amount is not None and self.verified_amount != self.actual_cost

    def verify_claim(self, *, by, amount: Decimal, note: str = "") -> None:
        """The hub has checked the receipts: the claim stands at ``amount`` (at most what was claimed;
        a lower amount needs the reason, which the director reads)."""
        if self.claim_status != ClaimStatus.SUBMITTED:
            raise ValidationError({"decision": _("Only a submitted claim can be verified or rejected.")})
        if amount is None or amount <= 0:
            raise ValidationError({"amount": _("Enter the verified amount.")})
        if amount > self.actual_cost:
            raise ValidationError({"amount": _("The verified amount cannot exceed the amount claimed.")})
        if amount != self.actual_cost and not note.strip():
            raise ValidationError({"note": _("Say why the amount was adjusted; the director will read it.")})
        self.claim_status = ClaimStatus.VERIFIED
        self.verified_amount = amount
        self._checked(by, note)

    def reject_claim(self, *, by, note: str) -> None:
        """The claim is refused (no receipts, not a study visit...): it uses none of the budget."""
        if self.claim_status != ClaimStatus.SUBMITTED:
            raise ValidationError({"decision": _("Only a submitted claim can be verified or rejected.")})
        if not note.strip():
            raise ValidationError({"note": _("Say why the claim is rejected; the director will read it.")})
        self.claim_status = ClaimStatus.REJECTED
        self._checked(by, note)

    def _checked(self, by, note: str) -> None:
        self.verification_note = note.strip()
        self.verified_by = by
        self.verified_at = timezone.now()

    def mark_paid(self) -> None:
        """The verified amount has been paid out. Never before the hub has verified the claim."""
        if self.claim_status != ClaimStatus.VERIFIED:
            raise ValidationError({"decision": _("Only a verified claim can be paid.")})
        self.claim_status = ClaimStatus.PAID
        self.paid_at = timezone.now()


# ---------------------------------------------------------------------------------------------
# Rights (c) and (d): support and coaching


class CoachingSession(models.Model):
    """One support or coaching session for an organisation (and, for coaching, its director)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="coaching_sessions",
        verbose_name=_("organisation"),
    )
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coaching_sessions",
        verbose_name=_("director"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=SessionKind.choices, default=SessionKind.COACHING
    )
    held_on = models.DateField(_("date"), validators=[bounds.DATE])
    coach = models.CharField(_("coach"), max_length=80)
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("support session")
        verbose_name_plural = _("support sessions")

    def __str__(self) -> str:
        return f"{self.organisation} {self.held_on} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("mutualaid:session_detail", args=[self.pk])


class CoachingRequestQuerySet(ScopedQuerySet):
    """Waiting-list entries, scoped to the director's organisation (hub staff: all)."""

    def waiting_list(self, day: datetime.date | None = None):
        """Directors waiting for coaching: members' directors first, then first come, first served."""
        return (
            self.filter(status=WaitStatus.WAITING)
            .annotate(is_member=_member_on(day))
            .order_by("-is_member", "requested_at", "pk")
        )


class CoachingRequest(models.Model):
    """A director's place on the coaching waiting list."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="coaching_requests",
        verbose_name=_("organisation"),
    )
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("director")
    )
    topic = models.CharField(_("what they want to work on"), max_length=200)
    requested_at = models.DateTimeField(_("requested at"), validators=[bounds.DATE], default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=WaitStatus.choices, default=WaitStatus.WAITING
    )
    session = models.ForeignKey(
        CoachingSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("coaching", "session"),
    )

    objects = CoachingRequestQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at"]
        verbose_name = _("coaching request")
        verbose_name_plural = _("coaching requests")
        constraints = [
            models.UniqueConstraint(
                fields=["director"], condition=Q(status="waiting"), name="one_waiting_request_per_director"
            )
        ]

    def __str__(self) -> str:
        return f"{self.director} ({self.get_status_display()})"


# ---------------------------------------------------------------------------------------------
# Partners helping partners: the mentor pool, the activity supply library and the help-hours ledger


def _partner_organisation(user) -> int | None:
    return user.organisation_id if user.is_partner and user.organisation_id else None


class MentorQuerySet(ScopedQuerySet):
    """Offers are shared in the network once the hub approved them; an organisation also sees its
    own people's offers whatever their state."""

    def visible_to(self, user) -> Q | None:
        organisation_id = _partner_organisation(user)
        if organisation_id is None:
            return None
        return Q(status=OfferStatus.APPROVED) | Q(organisation_id=organisation_id)

    def in_pool(self):
        return self.filter(status=OfferStatus.APPROVED)


class Mentor(models.Model):
    """A person of a partner organisation who offers to mentor others (街坊导师库)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentor_offer",
        verbose_name=_("mentor"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="mentors", verbose_name=_("organisation")
    )
    areas = ArrayField(
        models.CharField(max_length=20, choices=MentorArea.choices), verbose_name=_("areas"), default=list
    )
    format = models.CharField(
        pgettext_lazy("help", "format"), max_length=20, choices=HelpFormat.choices, default=HelpFormat.EITHER
    )
    availability = models.CharField(_("availability"), max_length=200)
    introduction = models.TextField(_("what you can share"))
    status = models.CharField(
        _("status"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    review_note = models.TextField(_("the hub's note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), validators=[bounds.DATE], null=True, blank=True)
    created_at = models.DateTimeField(_("offered at"), validators=[bounds.DATE], default=timezone.now)

    objects = MentorQuerySet.as_manager()

    class Meta:
        ordering = ["person__full_name", "pk"]
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")

    def __str__(self) -> str:
        return f"{self.person.full_name} ({self.organisation.display_name})"

    def get_absolute_url(self) -> str:
        return reverse("mutualaid:mentor_detail", args=[self.pk])

    def area_labels(self) -> list[str]:
        return [str(MentorArea(code).label) for code in self.areas if code in MentorArea.values]

    def review(self, *, by, approve: bool, note: str = "") -> None:
        """The hub puts the offer in the pool, or says why not."""
        if self.status != OfferStatus.PENDING:
            raise ValidationError({"approve": _("This offer has already been reviewed.")})
        if not approve and not note.strip():
            raise ValidationError({"note": _("Say why the offer is not accepted; the person will read it.")})
        self.status = OfferStatus.APPROVED if approve else OfferStatus.DECLINED
        self.review_note = note.strip()
        self.reviewed_by = by
        self.reviewed_at = timezone.now()


class HelpRequestQuerySet(ScopedQuerySet):
    """Requests are seen by the organisation that asked and the one asked (and the hub)."""

    provider_field = ""

    def visible_to(self, user) -> Q | None:
        organisation_id = _partner_organisation(user)
        if organisation_id is None:
            return None
        return Q(organisation_id=organisation_id) | Q(**{f"{self.provider_field}_id": organisation_id})

    def editable_to(self, user) -> Q | None:
        return self.visible_to(user)


class MentorRequestQuerySet(HelpRequestQuerySet):
    provider_field = "mentor__organisation"


class HelpRequest(models.Model):
    """What a request for help has in common: who asked, for what, and the answer."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by organisation")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    message = models.TextField(_("what you need"))
    status = models.CharField(
        _("status"), max_length=20, choices=HelpRequestStatus.choices, default=HelpRequestStatus.REQUESTED
    )
    answer_note = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), validators=[bounds.DATE], null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), validators=[bounds.DATE], default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def is_open(self) -> bool:
        return self.status == HelpRequestStatus.REQUESTED

    @property
    def is_accepted(self) -> bool:
        return self.status == HelpRequestStatus.ACCEPTED

    def answer(self, *, by, accept: bool, note: str = "") -> None:
        """Accept or decline once; declining says why (the organisation that asked reads it)."""
        if not self.is_open:
            raise ValidationError({"accept": _("This request has already been answered.")})
        if not accept and not note.strip():
            raise ValidationError(
                {"note": _("Say why you decline; the organisation that asked will read it.")}
            )
        self.status = HelpRequestStatus.ACCEPTED if accept else HelpRequestStatus.DECLINED
        self.answer_note = note.strip()
        self.answered_by = by
        self.answered_at = timezone.now()


class MentorRequest(HelpRequest):
    """An organisation asks a mentor of the pool for help."""

    mentor = models.ForeignKey(
        Mentor, on_delete=models.PROTECT, related_name="requests", verbose_name=_("mentor")
    )
    format = models.CharField(
        pgettext_lazy("help", "format"), max_length=20, choices=HelpFormat.choices, default=HelpFormat.EITHER
    )

    objects = MentorRequestQuerySet.as_manager()

    class Meta(HelpRequest.Meta):
        verbose_name = _("mentor request")
        verbose_name_plural = _("mentor requests")

    def __str__(self) -> str:
        return f"{self.organisation} -> {self.mentor}"

    def get_absolute_url(self) -> str:
        return reverse("mutualaid:mentor_request_detail", args=[self.pk])

    @property
    def provider_id(self) -> int:
        return self.mentor.organisation_id


class ActivityQuerySet(ScopedQuerySet):
    """The library is shared with every partner; an organisation also sees its own withdrawn listings."""

    def visible_to(self, user) -> Q | None:
        organisation_id = _partner_organisation(user)
        if organisation_id is None:
            return None
        return Q(active=True) | Q(organisation_id=organisation_id)


class Activity(models.Model):
    """An activity an organisation can deliver for another (活动供给库)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="activities_offered", verbose_name=_("provider")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("listed by")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    capacity = models.PositiveIntegerField(
        _("people per delivery"),
        validators=[bounds.CAPACITY],
        help_text=_("How many people one delivery serves."),
    )
    conditions = models.TextField(
        _("conditions"), blank=True, help_text=_("e.g. travel costs, a room, notice.")
    )
    format = models.CharField(
        pgettext_lazy("help", "format"), max_length=20, choices=HelpFormat.choices, default=HelpFormat.ON_SITE
    )
    active = models.BooleanField(_("listed"), default=True)
    created_at = models.DateTimeField(_("listed at"), validators=[bounds.DATE], default=timezone.now)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("activity offered")
        verbose_name_plural = _("activities offered")
        constraints = [models.CheckConstraint(condition=Q(capacity__gt=0), name="activity_capacity_positive")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mutualaid:activity_detail", args=[self.pk])


class ActivityRequestQuerySet(HelpRequestQuerySet):
    provider_field = "activity__organisation"


class ActivityRequest(HelpRequest):
    """An organisation asks another to deliver one of its listed activities."""

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="requests", verbose_name=_("activity")
    )
    wanted_on = models.DateField(_("wanted around"), validators=[bounds.DATE])

    objects = ActivityRequestQuerySet.as_manager()

    class Meta(HelpRequest.Meta):
        verbose_name = _("activity request")
        verbose_name_plural = _("activity requests")

    def __str__(self) -> str:
        return f"{self.organisation} -> {self.activity}"

    def get_absolute_url(self) -> str:
        return reverse("mutualaid:activity_request_detail", args=[self.pk])

    @property
    def provider_id(self) -> int:
        return self.activity.organisation_id


class PioneerPairingQuerySet(ScopedQuerySet):
    """A pairing is seen by the pioneer, the organisation it accompanies and the hub."""

    def visible_to(self, user) -> Q | None:
        organisation_id = _partner_organisation(user)
        if organisation_id is None:
            return None
        return Q(pioneer_id=organisation_id) | Q(partner_id=organisation_id)


class PioneerPairing(models.Model):
    """The hub pairs a member (the pioneer) with a prospect or new partner for a period (seed 000: 3-5
    pioneers accompany neighbouring organisations that want to start 0-3 services). Visits are logged
    as help hours; the hub records the outcome at the end."""

    pioneer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pairings_led", verbose_name=_("pioneer")
    )
    partner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="pairings_received",
        verbose_name=_("organisation accompanied"),
    )
    starts_on = models.DateField(pgettext_lazy("date", "from"), validators=[bounds.DATE])
    ends_on = models.DateField(_("until"), validators=[bounds.DATE])
    goals = models.TextField(_("goals"))
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=PairingOutcome.choices,
        default=PairingOutcome.ONGOING,
        blank=True,
    )
    outcome_note = models.TextField(_("outcome note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("paired by")
    )
    created_at = models.DateTimeField(_("created at"), validators=[bounds.DATE], default=timezone.now)

    objects = PioneerPairingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("pioneer pairing")
        verbose_name_plural = _("pioneer pairings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(pioneer=models.F("partner")), name="pairing_two_organisations"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="pairing_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pioneer.display_name} → {self.partner.display_name}"

    def get_absolute_url(self) -> str:
        return reverse("mutualaid:pairing_detail", args=[self.pk])

    def record_outcome(self, *, outcome: str, note: str = "") -> None:
        if self.outcome:
            raise ValidationError({"outcome": _("The outcome of this pairing has already been recorded.")})
        if outcome not in PairingOutcome.values or not outcome:
            raise ValidationError({"outcome": _("Choose the outcome.")})
        self.outcome = outcome
        self.outcome_note = note.strip()


@dataclass
class HelpSummary:
    """The group page's figure: N mentors and M teams gave K organisations H hours."""

    mentors: int
    teams: int
    organisations: int
    hours: Decimal


class HelpHoursQuerySet(ScopedQuerySet):
    """The ledger: hours between two organisations are seen by both (and the hub)."""

    def visible_to(self, user) -> Q | None:
        organisation_id = _partner_organisation(user)
        if organisation_id is None:
            return None
        return Q(giver_id=organisation_id) | Q(receiver_id=organisation_id)

    def editable_to(self, user) -> Q | None:
        organisation_id = _partner_organisation(user)
        return None if organisation_id is None else Q(giver_id=organisation_id)

    def in_year(self, year: int):
        return self.filter(given_on__year=year)

    def summary(self) -> HelpSummary:
        """One query: mentors are the people who gave mentoring, teams the organisations that delivered
        activities, and organisations those who received either."""
        row = self.aggregate(
            mentors=Count("giver_person", distinct=True, filter=Q(kind=HelpKind.MENTORING)),
            teams=Count("giver", distinct=True, filter=Q(kind=HelpKind.ACTIVITY)),
            organisations=Count("receiver", distinct=True),
            hours=Sum("hours"),
        )
        return HelpSummary(row["mentors"], row["teams"], row["organisations"], row["hours"] or Decimal(0))

    def balances(self) -> list[dict]:
        """Per organisation: hours given, hours received and the balance (two grouped queries)."""
        given = dict(self.values("giver_id").annotate(h=Sum("hours")).values_list("giver_id", "h"))
        received = dict(self.values("receiver_id").annotate(h=Sum("hours")).values_list("receiver_id", "h"))
        ids = set(given) | set(received)
        names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
        zero = Decimal(0)
        rows = [
            {
                "organisation_id": pk,
                "name": names.get(pk, ""),
                "given": given.get(pk, zero),
                "received": received.get(pk, zero),
                "balance": given.get(pk, zero) - received.get(pk, zero),
            }
            for pk in ids
        ]
        return sorted(rows, key=lambda row: (-row["given"], row["name"]))

    def by_person(self) -> list[dict]:
        """Per person who gave help: hours and how many organisations they helped (one query)."""
        return list(
            self.filter(giver_person__isnull=False)
            .values("giver_person_id", "giver_person__full_name", "giver__name")
            .annotate(hours=Sum("hours"), helped=Count("receiver", distinct=True))
            .order_by("-hours", "giver_person__full_name")
        )


class HelpHours(models.Model):
    """One entry of the help-hours ledger, the one source of truth for help given between partners:
    a mentoring session held or an activity delivered, by one organisation (and person) to another."""

    kind = models.CharField(_("kind"), max_length=20, choices=HelpKind.choices)
    giver = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="help_given", verbose_name=_("given by")
    )
    giver_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person who helped"),
    )
    receiver = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="help_received", verbose_name=_("given to")
    )
    given_on = models.DateField(_("date"), validators=[bounds.PAST_DATE])
    hours = models.DecimalField(_("hours"), validators=[bounds.HOURS], max_digits=6, decimal_places=1)
    people_served = models.PositiveIntegerField(
        _("people served"), validators=[bounds.COUNT], null=True, blank=True
    )
    note = models.TextField(_("what was done"), blank=True)
    mentor_request = models.ForeignKey(
        MentorRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="hours"
    )
    activity_request = models.ForeignKey(
        ActivityRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="hours"
    )
    pairing = models.ForeignKey(
        PioneerPairing, on_delete=models.PROTECT, null=True, blank=True, related_name="hours"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), validators=[bounds.DATE], default=timezone.now)

    objects = HelpHoursQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("help hours")
        verbose_name_plural = _("help hours")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="help_hours_positive"),
            models.CheckConstraint(
                condition=~Q(giver=models.F("receiver")), name="help_between_two_organisations"
            ),
            models.CheckConstraint(
                condition=Q(
                    kind="mentoring",
                    mentor_request__isnull=False,
                    activity_request__isnull=True,
                    pairing__isnull=True,
                )
                | Q(
                    kind="activity",
                    activity_request__isnull=False,
                    mentor_request__isnull=True,
                    pairing__isnull=True,
                )
                | Q(
                    kind="pioneer",
                    pairing__isnull=False,
                    mentor_request__isnull=True,
                    activity_request__isnull=True,
                ),
                name="help_hours_from_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.giver} -> {self.receiver}: {self.hours}"

    @property
    def request(self):
        """Where the hours come from: the mentor request, the activity request or the pairing."""
        return {
            HelpKind.MENTORING: self.mentor_request,
            HelpKind.ACTIVITY: self.activity_request,
            HelpKind.PIONEER: self.pairing,
        }[self.kind]


# The group's own work (plan, topic voting, joint actions) lives in its own module.
from .group_models import (  # noqa: E402, F401
    CoreTeamMember,
    GroupPlan,
    GroupTopic,
    JointAction,
    JointActivity,
    JointPart,
    JointParticipant,
    PlanAction,
    StageGoal,
    TopicVote,
)
