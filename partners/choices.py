from django.db import models
from django.utils.translation import gettext_lazy as _


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
