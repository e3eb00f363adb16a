from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Criterion(models.TextChoices):
    """The five screening criteria of the mutual-aid group, in the order seed 000 numbers them."""

    PROJECT_YEAR = "project_year", _("0-3 project running for over a year")
    FIRST_CENTRE_RATING = "first_centre_rating", _("First centre rated meets standard or better")
    FUNDER_AWARD = "funder_award", _("Award from the programme funder")
    EXPANSION_PLAN = "expansion_plan", _("Expansion plan or second site")
    SHARED_EXPERIENCE = "shared_experience", _("Endorsed shareable experience")


CRITERIA_ORDER = [c.value for c in Criterion]


class ExpansionRule(models.TextChoices):
    """What meets criterion 4: the seed means an organisation that is expanding or has expanded."""

    EITHER = "either", _("An open expansion plan or a second site")
    PLAN = "plan", _("An open expansion plan only")
    SECOND_SITE = "second_site", _("A second site operating only")


class Status(models.TextChoices):
    """A criterion's status for one organisation."""

    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    UNKNOWN = "unknown", _("Unknown")


class RoundKind(models.TextChoices):
    """Admission of new members, or the yearly re-check that flags members."""

    ADMISSION = "admission", _("Admission review")
    RECHECK = "recheck", _("Yearly re-check of members")


class Decision(models.TextChoices):
    """The hub's decision on one organisation of an admission round."""

    PENDING = "pending", _("Pending")
    ADMITTED = "admitted", _("Admitted")
    DECLINED = "declined", pgettext_lazy("review decision", "Declined")


class ApplicationStatus(models.TextChoices):
    """Where an expansion-funding application stands."""

    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_APPLICATION_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


class VisitStatus(models.TextChoices):
    """Where a study visit stands: requested, decided, then claimed."""

    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    CLAIMED = "claimed", _("Claimed")


class SessionKind(models.TextChoices):
    """The kinds of support the group gives (rights (c) and (d))."""

    COACHING = "coaching", _("Director coaching")
    INDIVIDUAL = "individual", _("Individual support")
    EXPERIENCE = "experience", _("Experience-summary support")


class WaitStatus(models.TextChoices):
    """Where a place on the coaching waiting list stands."""

    WAITING = "waiting", _("Waiting")
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
