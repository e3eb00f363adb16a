from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Position(models.TextChoices):
    MANAGER = "manager", _("Project manager")
    TEACHER = "teacher", _("Frontline teacher")
    OTHER = "other", _("Other")


class OrganisationStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    APPLICANT = "applicant", _("Applicant")
    ACTIVE = "active", _("Active partner")
    PAUSED = "paused", _("Paused")
    EXITED = "exited", _("Exited")


# Which status may follow which: the lifecycle runs forward, a paused partner may resume, and an
# exited one may apply again.
ORGANISATION_TRANSITIONS = {
    OrganisationStatus.PROSPECT: {
        OrganisationStatus.APPLICANT,
        OrganisationStatus.ACTIVE,
        OrganisationStatus.EXITED,
    },
    OrganisationStatus.APPLICANT: {
        OrganisationStatus.ACTIVE,
        OrganisationStatus.PROSPECT,
        OrganisationStatus.EXITED,
    },
    OrganisationStatus.ACTIVE: {OrganisationStatus.PAUSED, OrganisationStatus.EXITED},
    OrganisationStatus.PAUSED: {OrganisationStatus.ACTIVE, OrganisationStatus.EXITED},
    OrganisationStatus.EXITED: {OrganisationStatus.APPLICANT, OrganisationStatus.PROSPECT},
}

# Statuses whose profile is shared with the whole network (the directory).
NETWORK_VISIBLE_STATUSES = (OrganisationStatus.ACTIVE, OrganisationStatus.PAUSED)


class DevelopmentStage(models.TextChoices):
    SPROUTING = "sprouting", _("Sprouting")
    STARTUP = "startup", _("Start-up")
    GROWING = "growing", _("Growing")


class ExpansionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    ABANDONED = "abandoned", _("Abandoned")


ACTIVE_EXPANSION_STATUSES = (ExpansionStatus.PLANNED, ExpansionStatus.IN_PROGRESS)


class ExperienceArea(models.TextChoices):
    TEACHING = "teaching", _("Teaching")
    OPERATIONS = "operations", _("Operations")
    OTHER = "other", _("Other")


class SiteType(models.TextChoices):
    COMMUNITY = "community", _("Community")
    COMMUNITY_SERVICE_CENTRE = "community_service_centre", _("Community service centre")
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    OTHER = "other", _("Other")


class CentreStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    MEETS_STANDARD = "meets_standard", _("Meets standard")
    NEEDS_IMPROVEMENT = "needs_improvement", _("Needs improvement")


# Higher is better; the mutual-aid policy compares ratings with this order.
RATING_RANK = {
    Rating.NEEDS_IMPROVEMENT: 0,
    Rating.MEETS_STANDARD: 1,
    Rating.GOOD: 2,
    Rating.EXCELLENT: 3,
}


# --- Growth file (成长档案)


class GrowthArea(models.TextChoices):
    """The areas a support cycle sets goals in and a needs assessment asks about."""

    GOVERNANCE = "governance", _("Governance")
    FINANCE = "finance", _("Finance")
    TEACHING_QUALITY = "teaching_quality", _("Teaching quality")
    FUNDRAISING = "fundraising", _("Fundraising")
    CENTRE_OPERATIONS = "centre_operations", _("Centre operations")


class GoalProgress(models.TextChoices):
    OPEN = "open", pgettext_lazy("growth", "Open")
    ACHIEVED = "achieved", _("Achieved")
    PARTLY_ACHIEVED = "partly_achieved", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class GraduationDecision(models.TextChoices):
    """The end of incubation (出壳): the organisation may run on its own, or needs another cycle."""

    GRADUATED = "graduated", _("Graduated: runs on its own")
    CONTINUE = "continue", _("Another support cycle")


# A need scored at least this high (1-5) counts as a high need in the network's summary.
HIGH_NEED_SCORE = 4
# A training topic is proposed when at least this many organisations rate its need high.
COMMON_NEED_ORGANISATIONS = 2


def stage_label(stage: str) -> str:
    """A stage's name as the hub calls it: ``PARTNERS_STAGE_LABELS`` (code -> name) may rename the
    three stages without a migration; otherwise the translated default."""
    from django.conf import settings

    if not stage:
        return ""
    renamed = getattr(settings, "PARTNERS_STAGE_LABELS", {}).get(stage)
    if renamed:
        return renamed
    return DevelopmentStage(stage).label if stage in DevelopmentStage.values else stage
