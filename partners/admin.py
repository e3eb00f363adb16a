"""Django admin for the hub: Chinese labels come from the models' verbose names.

Who may do what here is decided in one place, ``hubsite/core/admin_permissions.py``.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import actions
from .actions import sync_login_email
from .models import (
    Award,
    Centre,
    CentreAssessment,
    County,
    CycleGoal,
    ExpansionPlan,
    Interest,
    NeedsQuestion,
    Organisation,
    OrganisationStageChange,
    OrganisationStatusChange,
    Prefecture,
    Province,
    SharedExperience,
    SupportCycle,
    User,
)


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en")
    search_fields = ("code", "name", "name_en")


class CountyInline(admin.TabularInline):
    model = County
    extra = 0


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "province", "children_under_3")
    list_filter = ("province",)
    search_fields = ("code", "name", "name_en")
    inlines = [CountyInline]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "prefecture")
    list_filter = ("prefecture",)
    search_fields = ("name", "code")
    list_select_related = ("prefecture",)


class CentreInline(admin.TabularInline):
    model = Centre
    extra = 0
    fields = ("name", "prefecture", "site_type", "status", "opened_on", "closed_on", "is_demonstration")
    show_change_link = True


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0


class ExpansionPlanInline(admin.TabularInline):
    model = ExpansionPlan
    extra = 0
    fields = ("planned_sites", "target_date", "status", "description")


class StatusChangeInline(admin.TabularInline):
    """History is read-only here: status changes go through ``Organisation.change_status``."""

    model = OrganisationStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "effective_on", "reason", "changed_by", "changed_at")

    def has_add_permission(self, request, obj=None):
        return False


class StageChangeInline(admin.TabularInline):
    """Read-only, like the status history: stages change through ``Organisation.change_stage``."""

    model = OrganisationStageChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_stage", "to_stage", "effective_on", "reason", "decided_by", "decided_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "prefecture", "status", "stage", "is_hub", "joined_on")
    list_filter = ("status", "stage", "is_hub", "prefecture")
    search_fields = ("name", "short_name", "contact_name", "contact_phone", "contact_email", "address")
    list_select_related = ("prefecture",)
    autocomplete_fields = ("county",)
    # Status and stage change on the site, where their history is kept.
    readonly_fields = ("status", "status_changed_on", "stage", "version", "created_at", "updated_at")
    inlines = [CentreInline, AwardInline, ExpansionPlanInline, StatusChangeInline, StageChangeInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(OrganisationStatusChange)
class OrganisationStatusChangeAdmin(admin.ModelAdmin):
    list_display = ("organisation", "from_status", "to_status", "effective_on", "changed_by")
    list_filter = ("to_status", "from_status")
    search_fields = ("organisation__name", "organisation__short_name", "reason")
    list_select_related = ("organisation", "changed_by")
    readonly_fields = ("organisation", "from_status", "to_status", "effective_on", "changed_by", "changed_at")

    def has_add_permission(self, request):
        return False


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "issuer", "year", "from_programme_funder")
    list_filter = ("from_programme_funder", "year")
    search_fields = ("title", "issuer", "organisation__name", "organisation__short_name")
    list_select_related = ("organisation",)


@admin.register(ExpansionPlan)
class ExpansionPlanAdmin(admin.ModelAdmin):
    list_display = ("organisation", "planned_sites", "target_date", "status")
    list_filter = ("status",)
    search_fields = ("organisation__name", "organisation__short_name", "description")
    list_select_related = ("organisation",)


@admin.register(SharedExperience)
class SharedExperienceAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "area", "endorsed_by", "endorsed_at")
    list_filter = ("area", ("endorsed_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "text", "organisation__name", "organisation__short_name")
    list_select_related = ("organisation", "endorsed_by")
    readonly_fields = ("endorsed_by", "endorsed_at")


class AssessmentInline(admin.TabularInline):
    """Rating history is append-only: new assessments go through ``Centre.record_assessment``."""

    model = CentreAssessment
    fk_name = "centre"
    extra = 0
    can_delete = False
    fields = ("assessed_on", "rating", "previous_rating", "assessor", "notes", "recorded_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "organisation",
        "prefecture",
        "county",
        "site_type",
        "status",
        "opened_on",
        "rating",
        "is_demonstration",
    )
    list_filter = ("status", "site_type", "is_demonstration", "rating", "prefecture")
    search_fields = ("name", "address", "organisation__name", "organisation__short_name")
    list_select_related = ("organisation", "prefecture", "county")
    autocomplete_fields = ("organisation", "county")
    readonly_fields = ("rating", "rated_on", "version", "created_at", "updated_at")
    inlines = [AssessmentInline]


@admin.register(CentreAssessment)
class CentreAssessmentAdmin(admin.ModelAdmin):
    list_display = ("centre", "assessed_on", "rating", "previous_rating", "assessor", "recorded_by")
    list_filter = ("rating",)
    search_fields = ("centre__name", "centre__organisation__name", "assessor", "notes")
    list_select_related = ("centre", "recorded_by")
    readonly_fields = ("previous_rating", "recorded_by", "recorded_at")

    def has_add_permission(self, request):
        # An assessment added here would skip the centre's latest rating: use the centre page.
        return False


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role", "organisation")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"email": forms.EmailField}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """People log in with their e-mail address; there is no username."""

    form = UserEditForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "phone")}),
        # No is_superuser, groups or permissions: rights follow the role (hubsite/core/admin_permissions.py).
        (_("Role"), {"fields": ("role", "position", "organisation", "is_active")}),
        (_("Invitation"), {"fields": ("invited_by", "invited_at", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "role",
                    "organisation",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("invited_by", "invited_at", "last_login", "date_joined")
    list_display = ("email", "full_name", "role", "organisation", "is_active", "last_login")
    list_filter = ("role", "is_active", "position", "organisation")
    search_fields = ("email", "full_name", "phone", "organisation__name")
    list_select_related = ("organisation",)
    ordering = ("full_name",)
    filter_horizontal = ()
    autocomplete_fields = ("organisation",)
    # Who someone is and what they may do: even if hub staff are ever allowed to edit people here,
    # these stay the hub admin's.
    hub_admin_fields = ("email", "role", "organisation", "is_active")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_hub_admin:
            fields += self.hub_admin_fields
        return fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # allauth's address rows follow the login e-mail, as on the person page.
        sync_login_email(obj)


# --- Growth file: the stage history and the needs answers are recorded on the site (the stage history
# shows read only on the organisation); cycles and the needs questions are kept here.


class CycleGoalInline(admin.TabularInline):
    model = CycleGoal
    extra = 0


@admin.register(SupportCycle)
class SupportCycleAdmin(admin.ModelAdmin):
    list_display = ("organisation", "starts_on", "ends_on", "graduation", "graduation_decided_on")
    list_filter = ("graduation",)
    search_fields = ("organisation__name", "organisation__short_name", "planned_support")
    list_select_related = ("organisation",)
    readonly_fields = ("graduation", "graduation_evidence", "graduation_decided_on", "graduation_decided_by")
    inlines = [CycleGoalInline]


@admin.register(NeedsQuestion)
class NeedsQuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "area", "topic", "first_year", "last_year", "order")
    list_filter = ("area", "first_year", "last_year")
    search_fields = ("text", "topic")


# --- Expressions of interest from the public page: what a person gave about themselves and when they
# consented to the privacy notice. Read only (the public form is the only way in, and the consent it
# records must stay as given); a hub admin deletes one when its person asks (PIPL art. 47), and the
# daily purge deletes them after INTEREST_RETENTION_DAYS.


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = (
        "contact_name",
        "organisation",
        "prefecture",
        "contact_phone",
        "contact_email",
        "received_at",
        "consented_at",
    )
    list_filter = (("organisation__prefecture", admin.RelatedOnlyFieldListFilter), "received_at")
    date_hierarchy = "received_at"
    search_fields = ("contact_name", "contact_phone", "contact_email", "organisation__name")
    list_select_related = ("organisation__prefecture",)
    readonly_fields = (
        "organisation",
        "contact_name",
        "contact_phone",
        "contact_email",
        "consented_at",
        "received_at",
    )

    @admin.display(description=_("prefecture"), ordering="organisation__prefecture__code")
    def prefecture(self, obj):
        return obj.organisation.prefecture if obj.organisation else None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A privacy request is the hub admin's to carry out, whatever hub staff may otherwise do here.
        return request.user.is_hub_admin and super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        self.delete_queryset(request, Interest.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        """Forget the person, not just this row, as the retention purge does
        (``partners.actions.do_forget_interests``)."""
        actions.do_forget_interests(queryset)
