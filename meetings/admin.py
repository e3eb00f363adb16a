from django.contrib import admin

from .models import (
    ActionItem,
    CalendarFeedToken,
    HolidayOverride,
    Invitation,
    Meeting,
    Minutes,
    PlanDraft,
    RotationSkip,
    SupervisionDiagnosis,
    SupervisionFrequency,
    TopicProposal,
)


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    raw_id_fields = ["person"]
    fields = ["person", "organisation", "rsvp", "attendance", "is_manual"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "status", "host", "organisation"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["title", "topic"]
    date_hierarchy = "starts_at"
    inlines = [InvitationInline]
    list_select_related = ["host", "organisation"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["what", "owner_organisation", "owner_person", "due_on", "status"]
    list_filter = ["status", "owner_organisation"]
    search_fields = ["what", "note"]
    list_select_related = ["owner_organisation", "owner_person"]


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(RotationSkip)
class RotationSkipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "month", "reason"]
    search_fields = ["organisation__name", "reason"]


@admin.register(SupervisionFrequency)
class SupervisionFrequencyAdmin(admin.ModelAdmin):
    list_display = ["organisation", "frequency", "note"]
    list_filter = ["frequency"]
    search_fields = ["organisation__name"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ["person", "created_at", "revoked_at"]
    search_fields = ["person__email", "person__full_name"]
    exclude = ["token"]


for model, fields in [
    (Minutes, ["meeting__title", "text"]),
    (TopicProposal, ["title", "problem"]),
    (SupervisionDiagnosis, ["meeting__title"]),
    (PlanDraft, ["year"]),
]:
    admin.site.register(model, type(f"{model.__name__}Admin", (admin.ModelAdmin,), {"search_fields": fields}))
