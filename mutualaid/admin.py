from django.contrib import admin

from .group_models import (
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


# --- The group's own work: plan, topic voting, joint actions ------------------------------------
# Read-mostly: everything is made on the site, where the people concerned are told (a core-team
# member, an invited organisation, who proposed a chosen topic). Here the hub corrects a typo or
# removes a stray row; the links between rows (plan, person, organisation, action) stay as made.


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class StageGoalInline(ReadOnlyInline):
    model = StageGoal
    fields = readonly_fields = ["title", "due_on", "reached_on"]


class CoreTeamInline(ReadOnlyInline):
    model = CoreTeamMember
    fields = readonly_fields = ["person", "organisation", "role"]


class PlanActionInline(ReadOnlyInline):
    model = PlanAction
    fields = readonly_fields = ["action_item", "goal"]
    show_change_link = False


class MadeOnTheSiteAdmin(admin.ModelAdmin):
    """No add page: new rows are made on the site, which tells the people concerned."""

    def has_add_permission(self, request):
        return False


@admin.register(GroupPlan)
class GroupPlanAdmin(MadeOnTheSiteAdmin):
    list_display = ["title", "starts_on", "ends_on", "meeting", "created_by"]
    list_filter = ["starts_on"]
    list_select_related = ["meeting", "created_by"]
    search_fields = ["title"]
    readonly_fields = ["meeting", "created_by", "version"]
    inlines = [StageGoalInline, CoreTeamInline, PlanActionInline]


@admin.register(StageGoal)
class StageGoalAdmin(MadeOnTheSiteAdmin):
    list_display = ["title", "plan", "due_on", "reached_on"]
    list_filter = ["plan", "due_on", "reached_on"]
    list_select_related = ["plan"]
    search_fields = ["title"]
    readonly_fields = ["plan", "version"]


@admin.register(CoreTeamMember)
class CoreTeamMemberAdmin(MadeOnTheSiteAdmin):
    """Role changes and removals are made on the plan page, where the person is told."""

    list_display = ["person", "organisation", "role", "plan"]
    list_filter = ["plan", "organisation"]
    list_select_related = ["person", "organisation", "plan"]
    search_fields = ["person__full_name", "organisation__name", "role"]
    readonly_fields = ["plan", "person", "organisation", "role", "version"]


class TopicVoteInline(ReadOnlyInline):
    model = TopicVote
    fields = readonly_fields = ["person", "recommendation", "difficulty", "updated_at"]
    show_change_link = False


@admin.register(GroupTopic)
class GroupTopicAdmin(MadeOnTheSiteAdmin):
    list_display = ["title", "organisation", "proposed_by", "chosen_for", "created_at"]
    list_filter = [("chosen_for", admin.EmptyFieldListFilter), "organisation"]
    list_select_related = ["organisation", "proposed_by", "chosen_for"]
    search_fields = ["title", "description"]
    readonly_fields = ["organisation", "proposed_by", "chosen_for", "chosen_at"]
    inlines = [TopicVoteInline]


@admin.register(TopicVote)
class TopicVoteAdmin(MadeOnTheSiteAdmin):
    """Scores, read only: a person changes their own on the topic page."""

    list_display = ["topic", "person", "recommendation", "difficulty", "updated_at"]
    list_filter = ["recommendation", "difficulty"]
    list_select_related = ["topic", "person"]
    search_fields = ["topic__title", "person__full_name"]
    readonly_fields = ["topic", "person", "recommendation", "difficulty"]


class JointActivityInline(ReadOnlyInline):
    model = JointActivity
    fields = readonly_fields = ["title", "order"]
    show_change_link = False


class JointParticipantInline(ReadOnlyInline):
    model = JointParticipant
    fields = readonly_fields = ["organisation", "invited_by", "invited_at"]
    show_change_link = False


@admin.register(JointAction)
class JointActionAdmin(MadeOnTheSiteAdmin):
    list_display = ["title", "lead", "starts_on", "ends_on", "created_by"]
    list_filter = ["starts_on", "lead"]
    list_select_related = ["lead", "created_by"]
    search_fields = ["title", "description"]
    readonly_fields = ["lead", "created_by"]
    inlines = [JointActivityInline, JointParticipantInline]


@admin.register(JointPart)
class JointPartAdmin(MadeOnTheSiteAdmin):
    """An organisation corrects its own part on the site; here its figures stay as logged."""

    list_display = ["action", "activity", "organisation", "held_on", "sessions", "people_served"]
    list_filter = ["organisation", "held_on"]
    list_select_related = ["action", "activity", "organisation"]
    search_fields = ["action__title", "organisation__name", "note"]
    readonly_fields = [
        "action",
        "activity",
        "organisation",
        "held_on",
        "sessions",
        "people_served",
        "volunteers",
        "materials",
        "recorded_by",
        "version",
    ]
