from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubsite.core import validators as bounds
from hubsite.core.admin_permissions import role_has_module_perms, role_has_perm, role_permissions
from hubsite.core.models import TimeStampedModel, VersionedModel
from hubsite.core.roles import HUB_ROLES, PARTNER_ROLES, Role
from hubsite.core.scoping import ScopedQuerySet

from .choices import (
    ACTIVE_EXPANSION_STATUSES,
    NETWORK_VISIBLE_STATUSES,
    ORGANISATION_TRANSITIONS,
    CentreStatus,
    DevelopmentStage,
    ExpansionStatus,
    ExperienceArea,
    GoalProgress,
    GraduationDecision,
    GrowthArea,
    OrganisationStatus,
    Position,
    Rating,
    SiteType,
    stage_label,
)

# ---------------------------------------------------------------------------------------------
# Places


class Province(models.Model):
    """A province-level division; the hub's region (Guangxi) is loaded by a migration."""

    code = models.CharField(_("administrative code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Prefecture(models.Model):
    """A prefecture-level city (地市), identified by its administrative code (e.g. 450100)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="prefectures")
    code = models.CharField(_("administrative code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    children_under_3 = models.PositiveIntegerField(
        _("children aged 0-3"),
        null=True,
        validators=[bounds.POPULATION],
        blank=True,
        help_text=_("Estimated population aged 0-3, used for centres per 10,000 children."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("prefecture")
        verbose_name_plural = _("prefectures")

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    """A county-level division (区县) inside a prefecture."""

    prefecture = models.ForeignKey(Prefecture, on_delete=models.PROTECT, related_name="counties")
    code = models.CharField(_("administrative code"), max_length=6, blank=True)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["prefecture__code", "name"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        constraints = [models.UniqueConstraint(fields=["prefecture", "name"], name="unique_county_name")]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------------------------
# Organisations


class OrganisationQuerySet(ScopedQuerySet):
    """Organisations: the profile is shared inside the network, the internal records are not."""

    def visible_to(self, user) -> Q:
        """Whose profile the user may see: the network directory plus their own organisation.

        Everyone who is not hub staff sees active and paused partners (and the hub) and, for
        partner people, their own organisation whatever its status; prospects stay with the hub.
        """
        visible = Q(status__in=NETWORK_VISIBLE_STATUSES) | Q(is_hub=True)
        if user.organisation_id:
            visible |= Q(pk=user.organisation_id)
        return visible

    def editable_to(self, user) -> Q | None:
        """Partner people may edit their own organisation (its contact details only)."""
        if user.is_partner and user.organisation_id:
            return Q(pk=user.organisation_id)
        return None

    def internal_for(self, user) -> OrganisationQuerySet:
        """Organisations whose internal records (people, reports, supervision ...) the user may see."""
        return self.editable_by(user)

    def partners(self) -> OrganisationQuerySet:
        return self.filter(is_hub=False)

    def active(self) -> OrganisationQuerySet:
        return self.filter(status=OrganisationStatus.ACTIVE)


class Organisation(VersionedModel, TimeStampedModel):
    """A partner organisation (伙伴机构) of the network, or the hub itself (``is_hub``).

    Its profile (names, prefecture, centres, public contact, awards, stage) is shared inside the
    network; its people and records are internal to it and the hub. Status moves through
    ``change_status`` so that every change is kept in ``status_changes``.
    """

    name = models.CharField(_("full name"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    prefecture = models.ForeignKey(
        Prefecture, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("prefecture")
    )
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        verbose_name=_("county"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("public contact"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_hub = models.BooleanField(_("is the hub"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=OrganisationStatus.choices, default=OrganisationStatus.PROSPECT
    )
    status_changed_on = models.DateField(
        _("status since"), validators=[bounds.DATE], default=datetime.date.today
    )
    joined_on = models.DateField(
        _("partner since"),
        validators=[bounds.DATE],
        null=True,
        blank=True,
        help_text=_("When it first became an active partner."),
    )
    project_started_on = models.DateField(
        _("0-3 project started"),
        null=True,
        validators=[bounds.DATE],
        blank=True,
        help_text=_("When its 0-3 early-childhood project started, by the programme's standard."),
    )
    stage = models.CharField(
        _("development stage"), max_length=20, choices=DevelopmentStage.choices, blank=True
    )
    # The organisation's own WeCom group robot: a secret (whoever has the key posts to the group) that
    # also decides where the server connects, so it is checked against WECOM_WEBHOOK_HOSTS on save and
    # before each post (hubsite.core.notifications.channels.wecom).
    wecom_webhook_url = models.URLField(_("WeCom group webhook"), max_length=300, blank=True)
    wecom_kinds = models.JSONField(_("kinds posted to the WeCom group"), default=list, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["-is_hub", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:organisation_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def can_change_status_to(self, new_status: str) -> bool:
        return new_status in ORGANISATION_TRANSITIONS.get(self.status, set())

    def change_status(self, new_status: str, *, by, reason: str = "", on: datetime.date | None = None):
        """Move along the lifecycle and record who did it, when, from what and why."""
        if new_status == self.status:
            raise ValidationError({"status": _("The organisation already has this status.")})
        if not self.can_change_status_to(new_status):
            raise ValidationError(
                {
                    "status": _("Cannot change status from %(old)s to %(new)s.")
                    % {
                        "old": self.get_status_display(),
                        "new": OrganisationStatus(new_status).label,
                    }
                }
            )
        on = on or timezone.localdate()
        with transaction.atomic():
            change = OrganisationStatusChange.objects.create(
                organisation=self,
                from_status=self.status,
                to_status=new_status,
                effective_on=on,
                reason=reason,
                changed_by=by,
            )
            self.status = new_status
            self.status_changed_on = on
            if new_status == OrganisationStatus.ACTIVE and self.joined_on is None:
                self.joined_on = on
            self.version += 1
            self.save(update_fields=["status", "status_changed_on", "joined_on", "version", "updated_at"])
        return change

    def get_stage_display(self) -> str:
        return stage_label(self.stage)

    def change_stage(self, new_stage: str, *, by, reason: str = "", on: datetime.date | None = None):
        """Record a stage decision (who, when, why); the current stage is the latest entry's."""
        if new_stage not in DevelopmentStage.values:
            raise ValidationError({"stage": _("Choose a development stage.")})
        on = on or timezone.localdate()
        with transaction.atomic():
            change = self.record_stage_change(self.stage, new_stage, by=by, reason=reason, on=on)
            latest = self.stage_changes.order_by("-effective_on", "-decided_at", "-pk").first()
            self.stage = latest.to_stage
            self.version += 1
            self.save(update_fields=["stage", "version", "updated_at"])
        return change

    def record_stage_change(self, from_stage: str, to_stage: str, *, by, reason: str = "", on=None):
        """Only the history row, for a stage already saved on the profile (the hub's edit form)."""
        return OrganisationStageChange.objects.create(
            organisation=self,
            from_stage=from_stage or "",
            to_stage=to_stage,
            effective_on=on or timezone.localdate(),
            reason=reason,
            decided_by=by,
        )

    def has_active_expansion_plan(self) -> bool:
        return self.expansion_plans.filter(status__in=ACTIVE_EXPANSION_STATUSES).exists()


class OrganisationStatusChange(models.Model):
    """One step of an organisation's lifecycle: who moved it, when, from what to what, and why."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=OrganisationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=OrganisationStatus.choices)
    effective_on = models.DateField(_("effective on"), validators=[bounds.DATE])
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), validators=[bounds.DATE], default=timezone.now)

    class Meta:
        ordering = ["-effective_on", "-changed_at"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.from_status} -> {self.to_status}"


class ExpansionPlan(TimeStampedModel):
    """An organisation's plan to open more sites (拓点计划)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="expansion_plans")
    planned_sites = models.PositiveSmallIntegerField(_("planned sites"), validators=[bounds.SITES], default=1)
    target_date = models.DateField(_("target date"), validators=[bounds.DATE], null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ExpansionStatus.choices, default=ExpansionStatus.PLANNED
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("expansion plan")
        verbose_name_plural = _("expansion plans")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.planned_sites}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_EXPANSION_STATUSES


class Award(models.Model):
    """An award an organisation received; ``from_programme_funder`` marks the funder's (活力未来) awards."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="awards")
    issuer = models.CharField(_("issuer"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"), validators=[bounds.AWARD_YEAR])
    title = models.CharField(_("title"), max_length=200)
    from_programme_funder = models.BooleanField(_("from the programme funder"), default=False)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    def clean(self):
        if self.year and not (1990 <= self.year <= timezone.localdate().year + 1):
            raise ValidationError({"year": _("Enter a year between 1990 and next year.")})


class SharedExperience(TimeStampedModel):
    """Experience an organisation can share with the network; hub staff endorse the good ones."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="experiences")
    area = models.CharField(_("area"), max_length=20, choices=ExperienceArea.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    endorsed_by = models.ForeignKey(
        "partners.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("endorsed by"),
    )
    endorsed_at = models.DateTimeField(_("endorsed at"), validators=[bounds.DATE], null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("shareable experience")
        verbose_name_plural = _("shareable experience")

    def __str__(self) -> str:
        return self.title

    @property
    def is_endorsed(self) -> bool:
        return self.endorsed_at is not None

    def endorse(self, by) -> None:
        self.endorsed_by = by
        self.endorsed_at = timezone.now()
        self.save(update_fields=["endorsed_by", "endorsed_at", "updated_at"])


# ---------------------------------------------------------------------------------------------
# Centres


class CentreQuerySet(ScopedQuerySet):
    """Centres follow their organisation: seen where it is seen, edited where it is edited."""

    def visible_to(self, user) -> Q:
        return Q(organisation__in=Organisation.objects.for_user(user))

    def editable_to(self, user) -> Q:
        return Q(organisation__in=Organisation.objects.editable_by(user))

    def operating(self) -> CentreQuerySet:
        return self.filter(status=CentreStatus.OPERATING)

    def operating_on(self, day: datetime.date) -> CentreQuerySet:
        """Centres open on a given day, by their dates (not their current status)."""
        return self.filter(opened_on__isnull=False, opened_on__lte=day).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=day)
        )

    def operating_in_month(self, first_day: datetime.date, last_day: datetime.date) -> CentreQuerySet:
        """Centres open at some point of the period [first_day, last_day]."""
        return self.filter(opened_on__isnull=False, opened_on__lte=last_day).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=first_day)
        )


class Centre(VersionedModel, TimeStampedModel):
    """A parent-child centre (亲子园) run by one organisation at one site.

    ``rating`` mirrors the latest operation assessment so lists can filter on it without a subquery;
    ``record_assessment`` is the only way it changes, and every change stays in ``assessments``.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="centres", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=120)
    prefecture = models.ForeignKey(
        Prefecture, on_delete=models.PROTECT, related_name="centres", verbose_name=_("prefecture")
    )
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        related_name="centres",
        null=True,
        blank=True,
        verbose_name=_("county"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    site_type = models.CharField(_("site type"), max_length=30, choices=SiteType.choices)
    opened_on = models.DateField(_("opened on"), validators=[bounds.DATE], null=True, blank=True)
    closed_on = models.DateField(_("closed on"), validators=[bounds.DATE], null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CentreStatus.choices, default=CentreStatus.PLANNED
    )
    is_demonstration = models.BooleanField(_("demonstration centre"), default=False)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        validators=[bounds.CAPACITY],
        null=True,
        blank=True,
        help_text=_("Families the site can serve at one time."),
    )
    description = models.TextField(_("description"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    rating = models.CharField(
        _("latest rating"), max_length=20, choices=Rating.choices, blank=True, editable=False
    )
    rated_on = models.DateField(
        _("rated on"), validators=[bounds.DATE], null=True, blank=True, editable=False
    )

    objects = CentreQuerySet.as_manager()

    class Meta:
        ordering = ["prefecture__code", "organisation__name", "name"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unique_centre_name_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=models.F("opened_on")),
                name="centre_closed_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:centre_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            errors["closed_on"] = _("A centre cannot close before it opened.")
        if self.status == CentreStatus.OPERATING and not self.opened_on:
            errors["opened_on"] = _("An operating centre needs an opening date.")
        if self.status == CentreStatus.CLOSED and not self.closed_on:
            errors["closed_on"] = _("A closed centre needs a closing date.")
        if self.county_id and self.prefecture_id and self.county.prefecture_id != self.prefecture_id:
            errors["county"] = _("This county is not in the chosen prefecture.")
        if errors:
            raise ValidationError(errors)

    def record_assessment(self, *, assessed_on, rating, assessor="", notes="", by=None) -> CentreAssessment:
        """Add an operation assessment, keeping the rating it replaces, and update the latest rating."""
        with transaction.atomic():
            latest = self.assessments.order_by("-assessed_on", "-pk").first()
            assessment = CentreAssessment.objects.create(
                centre=self,
                assessed_on=assessed_on,
                rating=rating,
                previous_rating=latest.rating if latest else "",
                assessor=assessor,
                notes=notes,
                recorded_by=by,
            )
            if latest is None or assessed_on >= latest.assessed_on:
                self.rating = rating
                self.rated_on = assessed_on
                self.save(update_fields=["rating", "rated_on", "updated_at"])
        return assessment


class CentreAssessment(models.Model):
    """An operation assessment (运营评估) of a centre; together they are its rating history."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"), validators=[bounds.DATE])
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    previous_rating = models.CharField(
        _("previous rating"), max_length=20, choices=Rating.choices, blank=True
    )
    assessor = models.CharField(_("assessor"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), validators=[bounds.DATE], default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("operation assessment")
        verbose_name_plural = _("operation assessments")

    def __str__(self) -> str:
        return f"{self.centre} {self.assessed_on} {self.get_rating_display()}"


# ---------------------------------------------------------------------------------------------
# People


class UserQuerySet(ScopedQuerySet):
    """People: personal details are internal to their organisation and the hub."""

    def visible_to(self, user) -> Q:
        """Partner people see their own organisation's people; anyone else only themselves."""
        if user.is_partner and user.organisation_id:
            return Q(organisation_id=user.organisation_id)
        return Q(pk=user.pk)

    def editable_to(self, user) -> None:
        """Only hub staff manage people (the people pages are theirs alone)."""
        return None


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    """E-mail logins (no username); every person has a role, partner people an organisation."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("role", Role.HUB_ADMIN)
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in, with one role; partner people belong to exactly one organisation.

    Logins are by e-mail (allauth). People are invited by hub staff rather than signing up.
    """

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), validators=[bounds.DATE], default=timezone.now)
    invited_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited at"), validators=[bounds.DATE], null=True, blank=True)
    # Saved by the menu's language switch; pages and e-mails follow it (hubsite.core.language). Empty:
    # never chosen, the site's default (Chinese).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            # A partner person always belongs to an organisation; the server, not the person, sets it.
            models.CheckConstraint(
                condition=~Q(role__in=["director", "partner_staff"]) | Q(organisation__isnull=False),
                name="partner_people_have_an_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if self.role in PARTNER_ROLES and not self.organisation_id:
            raise ValidationError({"organisation": _("Partner people must belong to an organisation.")})

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name

    @property
    def is_staff(self) -> bool:
        # Django admin access follows the role; there is no separate flag to forget.
        return self.is_active and self.role in HUB_ROLES

    @property
    def is_hub(self) -> bool:
        return self.role in HUB_ROLES

    @property
    def is_hub_admin(self) -> bool:
        return self.role == Role.HUB_ADMIN

    @property
    def is_partner(self) -> bool:
        return self.role in PARTNER_ROLES

    @property
    def is_director(self) -> bool:
        return self.role == Role.DIRECTOR

    @property
    def is_viewer(self) -> bool:
        return self.role == Role.VIEWER

    # Rights follow the role alone (hubsite/core/admin_permissions.py): is_superuser, groups and
    # per-person permissions are deliberately not consulted, so no edited row can grant rights.
    def has_perm(self, perm, obj=None):
        return role_has_perm(self, perm)

    def has_module_perms(self, app_label):
        return role_has_module_perms(self, app_label)

    def get_all_permissions(self, obj=None):
        return role_permissions(self)


# ---------------------------------------------------------------------------------------------
# Growth file (成长档案): stage history, support cycles, needs assessments


class OrganisationStageChange(models.Model):
    """A decision on an organisation's development stage (萌芽期/初创期/发展期): when, why and by whom.

    ``Organisation.stage`` mirrors the latest entry; ``Organisation.change_stage`` keeps both in step.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=20, choices=DevelopmentStage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=DevelopmentStage.choices)
    effective_on = models.DateField(_("effective on"), validators=[bounds.DATE])
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), validators=[bounds.DATE], default=timezone.now)

    class Meta:
        ordering = ["-effective_on", "-decided_at"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.from_stage} -> {self.to_stage}"

    def get_from_stage_display(self) -> str:
        return stage_label(self.from_stage)

    def get_to_stage_display(self) -> str:
        return stage_label(self.to_stage)


class SupportCycleQuerySet(ScopedQuerySet):
    """The hub's support of one organisation: its own people read it, only the hub changes it."""

    def editable_to(self, user) -> None:
        return None


class SupportCycle(VersionedModel, TimeStampedModel):
    """A support cycle (usually a year) of incubation: goals per area, the support the hub plans, a
    mid-cycle and an end-of-cycle review, and the graduation decision (出壳) with its evidence."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="support_cycles", verbose_name=_("organisation")
    )
    starts_on = models.DateField(_("starts on"), validators=[bounds.DATE])
    ends_on = models.DateField(_("ends on"), validators=[bounds.DATE])
    planned_support = models.TextField(_("support planned"), blank=True)
    mid_review = models.TextField(_("mid-cycle review"), blank=True)
    mid_reviewed_on = models.DateField(
        _("mid-cycle review on"), validators=[bounds.DATE], null=True, blank=True
    )
    end_review = models.TextField(_("end-of-cycle review"), blank=True)
    end_reviewed_on = models.DateField(
        _("end-of-cycle review on"), validators=[bounds.DATE], null=True, blank=True
    )
    graduation = models.CharField(
        _("graduation decision"),
        max_length=20,
        choices=GraduationDecision.choices,
        blank=True,
        editable=False,
    )
    graduation_evidence = models.TextField(_("evidence"), blank=True, editable=False)
    graduation_decided_on = models.DateField(
        _("decided on"), validators=[bounds.DATE], null=True, blank=True, editable=False
    )
    graduation_decided_by = models.ForeignKey(
        "partners.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("decided by"),
    )

    objects = SupportCycleQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("support cycle")
        verbose_name_plural = _("support cycles")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="support_cycle_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.starts_on:%Y-%m-%d} - {self.ends_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("partners:cycle_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            errors["ends_on"] = _("A cycle ends after it starts.")
        for field in ("mid_reviewed_on", "end_reviewed_on"):
            day = getattr(self, field)
            if day and self.starts_on and day < self.starts_on:
                errors[field] = _("A review cannot come before the cycle starts.")
        if errors:
            raise ValidationError(errors)

    def decide_graduation(self, decision: str, *, evidence: str, by, on: datetime.date) -> None:
        """Record the graduation decision (出壳 or another cycle); evidence is what it rests on."""
        if decision not in GraduationDecision.values:
            raise ValidationError({"decision": _("Choose a decision.")})
        if not evidence.strip():
            raise ValidationError({"evidence": _("Write down the evidence the decision rests on.")})
        if on < self.starts_on:
            raise ValidationError({"decided_on": _("A decision cannot come before the cycle starts.")})
        self.graduation = decision
        self.graduation_evidence = evidence
        self.graduation_decided_on = on
        self.graduation_decided_by = by
        self.version += 1
        self.save(
            update_fields=[
                "graduation",
                "graduation_evidence",
                "graduation_decided_on",
                "graduation_decided_by",
                "version",
                "updated_at",
            ]
        )


class CycleGoal(models.Model):
    """One goal of a support cycle in one area, and how far it was reached at the end."""

    cycle = models.ForeignKey(SupportCycle, on_delete=models.CASCADE, related_name="goals")
    area = models.CharField(_("area"), max_length=20, choices=GrowthArea.choices)
    goal = models.TextField(_("goal"))
    progress = models.CharField(
        _("progress"), max_length=20, choices=GoalProgress.choices, default=GoalProgress.OPEN
    )
    note = models.TextField(pgettext_lazy("growth", "note"), blank=True)

    class Meta:
        ordering = ["area", "pk"]
        verbose_name = _("cycle goal")
        verbose_name_plural = _("cycle goals")

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.goal[:40]}"


class NeedsQuestionQuerySet(models.QuerySet):
    def for_year(self, year: int) -> NeedsQuestionQuerySet:
        """The questionnaire of one year: questions live from ``first_year`` until ``last_year``."""
        return self.filter(first_year__lte=year).filter(Q(last_year__isnull=True) | Q(last_year__gte=year))


class NeedsQuestion(models.Model):
    """One question of the yearly needs questionnaire, as data. A question changes by retiring it
    (``last_year``) and adding its successor, so earlier answers keep the wording they answered."""

    area = models.CharField(_("area"), max_length=20, choices=GrowthArea.choices)
    text = models.CharField(_("question"), max_length=300)
    topic = models.CharField(
        _("training topic"),
        max_length=120,
        help_text=_("What the half-year regional meeting could offer when many rate this need high."),
    )
    first_year = models.PositiveSmallIntegerField(_("asked from"), validators=[bounds.PLAN_YEAR])
    last_year = models.PositiveSmallIntegerField(
        _("asked until"), validators=[bounds.PLAN_YEAR], null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("display order"), validators=[bounds.ORDER], default=100)

    objects = NeedsQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("needs question")
        verbose_name_plural = _("needs questions")

    def __str__(self) -> str:
        return self.text

    def clean(self):
        if self.last_year and self.first_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": _("The last year cannot come before the first.")})


class NeedsAssessmentQuerySet(ScopedQuerySet):
    """Its organisation's people and the hub read it; the director fills it in (see the view)."""


class NeedsAssessment(TimeStampedModel):
    """An organisation's answers to one year's needs questionnaire, filled in by its director."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="needs_assessments",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[bounds.PLAN_YEAR])
    filled_by = models.ForeignKey(
        "partners.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filled in by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), validators=[bounds.DATE], default=timezone.now)

    objects = NeedsAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "organisation__name"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_needs_assessment_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("partners:needs_detail", args=[self.pk])


class NeedsAnswer(models.Model):
    """How strongly an organisation needs support on one question: 1 (not at all) to 5 (urgently)."""

    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(NeedsQuestion, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(_("score"), validators=[bounds.NumberBounds(1, 5)])
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["question__order", "question__pk"]
        verbose_name = _("needs answer")
        verbose_name_plural = _("needs answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_per_question"),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="needs_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.score}"


class Interest(models.Model):
    """One expression of interest sent from the public page, with the consent it was sent under.

    The organisation it created (a prospect) is the hub's working record; this row holds what the
    person gave about themselves and when they agreed to the privacy notice. After
    ``INTEREST_RETENTION_DAYS`` it is deleted, and the contact details it put on a prospect that never
    joined are cleared with it (``actions.do_purge_old_interests``).
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interests",
        verbose_name=_("organisation"),
    )
    contact_name = models.CharField(_("contact person"), max_length=60)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    consented_at = models.DateTimeField(_("consented at"), validators=[bounds.DATE])
    received_at = models.DateTimeField(_("received at"), validators=[bounds.DATE], default=timezone.now)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        indexes = [models.Index(fields=["received_at"], name="partners_interest_received")]

    def __str__(self) -> str:
        return self.contact_name
