from django.contrib import admin

from .models import AnnualNarrative, AnnualStory, Indicator, MonthlyReport, ReportEvent, ReportValue


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "label_zh",
        "label_en",
        "scope",
        "value_type",
        "required",
        "order",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["scope", "value_type", "required"]
    search_fields = ["code", "label_zh", "label_en"]
    ordering = ["scope", "order"]


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "at", "from_status", "to_status", "comment", "changes"]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ["organisation", "month", "status", "first_submitted_at", "reviewed_at"]
    list_filter = ["status", "organisation__prefecture", "month"]
    search_fields = ["organisation__name", "organisation__short_name"]
    date_hierarchy = "month"
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation", "created_by", "submitted_by", "reviewed_by"]
    # Status changes go through the lifecycle methods (and their history) on the site, not here.
    readonly_fields = ["status", "first_submitted_at", "submitted_at", "reviewed_at", "version"]
    inlines = [ReportEventInline]


@admin.register(ReportValue)
class ReportValueAdmin(admin.ModelAdmin):
    list_display = ["report", "centre", "indicator", "number", "text"]
    list_filter = ["indicator"]
    raw_id_fields = ["report", "centre"]
    list_select_related = ["report__organisation", "centre", "indicator"]
    search_fields = ["report__organisation__name"]


class AnnualStoryInline(admin.StackedInline):
    model = AnnualStory
    extra = 0
    fk_name = "narrative"
    raw_id_fields = ["organisation", "source_report", "photo"]
    # Consent is asked and answered on the site (each step notifies); here it can only be read.
    readonly_fields = [
        "consent_requested_at",
        "consent_requested_by",
        "consented_at",
        "consented_by",
        "consent_declined_at",
        "consent_note",
    ]


@admin.register(AnnualNarrative)
class AnnualNarrativeAdmin(admin.ModelAdmin):
    """The annual report texts, for the hub admin's repairs. Publishing (which tells viewers) and the
    share link (an unguessable key) are done on the site's page, so they are read only here."""

    list_display = ["__str__", "organisation", "period_kind", "period_start", "published_at", "updated_at"]
    list_filter = ["period_kind", "period_start"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "organisation__short_name"]
    raw_id_fields = ["organisation", "updated_by"]
    readonly_fields = ["share_token", "published_at", "version"]
    inlines = [AnnualStoryInline]
