from django.contrib import admin

from .models import (
    CoachingRequest,
    CoachingSession,
    EligibilityPolicy,
    ExpansionFundingApplication,
    Membership,
    ReviewResult,
    ReviewRound,
    StudyVisit,
    StudyVisitBudget,
)


@admin.register(EligibilityPolicy)
class EligibilityPolicyAdmin(admin.ModelAdmin):
    """Policy versions, read only: a change is a new version, published on the site."""

    # Versions are immutable: change the policy through the site, which creates a new version.
    list_display = [
        "version",
        "required_numbers",
        "min_optional_met",
        "project_months",
        "min_rating",
        "expansion_rule",
        "created_by",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReviewResultInline(admin.TabularInline):
    """A round's frozen results, read only."""

    model = ReviewResult
    fields = ["organisation", "qualifies", "missing_count", "flagged", "decision", "decision_note"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ReviewRound)
class ReviewRoundAdmin(admin.ModelAdmin):
    """Review rounds; what they found cannot be edited here."""

    list_display = ["name", "kind", "cohort", "as_of", "policy", "run_by", "run_at"]
    list_filter = ["kind", "cohort"]
    search_fields = ["name"]
    readonly_fields = ["policy", "as_of", "kind", "run_by", "run_at"]
    inlines = [ReviewResultInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Membership periods, for corrections."""

    list_display = ["organisation", "cohort", "joined_on", "left_on"]
    list_filter = ["cohort"]
    search_fields = ["organisation__name", "organisation__short_name"]
    raw_id_fields = ["admitted_in"]


@admin.register(ExpansionFundingApplication)
class ExpansionFundingApplicationAdmin(admin.ModelAdmin):
    """Applications; decisions are taken on the site (so the applicant is told)."""

    list_display = ["organisation", "site_name", "budget", "status", "approved_amount", "submitted_at"]
    list_filter = ["status", "prefecture"]
    search_fields = ["organisation__name", "site_name"]
    readonly_fields = ["status", "approved_amount", "decided_by", "decided_at", "centre"]


@admin.register(StudyVisitBudget)
class StudyVisitBudgetAdmin(admin.ModelAdmin):
    """Each year's travel subsidy per member."""

    list_display = ["year", "amount_per_member"]


@admin.register(StudyVisit)
class StudyVisitAdmin(admin.ModelAdmin):
    """Study visits; decisions and claims are made on the site."""

    list_display = ["organisation", "host_centre", "visit_on", "estimated_cost", "actual_cost", "status"]
    list_filter = ["status"]
    search_fields = ["organisation__name", "host_centre__name", "visitors"]
    readonly_fields = ["status", "actual_cost", "decided_by", "decided_at", "claimed_at"]


@admin.register(CoachingSession)
class CoachingSessionAdmin(admin.ModelAdmin):
    """Support sessions, for corrections."""

    list_display = ["held_on", "organisation", "kind", "director", "coach", "topic"]
    list_filter = ["kind"]
    search_fields = ["organisation__name", "topic", "coach"]


@admin.register(CoachingRequest)
class CoachingRequestAdmin(admin.ModelAdmin):
    """The coaching waiting list, for corrections."""

    list_display = ["director", "organisation", "topic", "requested_at", "status"]
    list_filter = ["status"]
