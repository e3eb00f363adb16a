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


class ClaimStatus(models.TextChoices):
    """Where a study visit's travel-subsidy claim stands once submitted: the hub checks it, then pays."""

    NONE = "", pgettext_lazy("claim", "Not claimed")
    SUBMITTED = "submitted", pgettext_lazy("claim", "Submitted")
    VERIFIED = "verified", pgettext_lazy("claim", "Verified")
    REJECTED = "rejected", pgettext_lazy("claim", "Rejected")
    PAID = "paid", pgettext_lazy("claim", "Paid")


class MentorArea(models.TextChoices):
    """What a mentor of the pool can help with (seed 004's 街坊导师库)."""

    OPERATIONS = "operations", _("Centre operations")
    TEACHING = "teaching", _("Early-education teaching")
    PARENTS = "parents", _("Parent work")
    FUNDRAISING = "fundraising", _("Fundraising")
    FINANCE = "finance", _("Finance")
    VOLUNTEERS = "volunteers", _("Volunteer management")


class HelpFormat(models.TextChoices):
    """How help is given."""

    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    EITHER = "either", _("On site or online")


class OfferStatus(models.TextChoices):
    """A mentor's offer: the hub approves it before it appears in the pool."""

    PENDING = "pending", pgettext_lazy("mentor offer", "Waiting for the hub")
    APPROVED = "approved", pgettext_lazy("mentor offer", "In the pool")
    DECLINED = "declined", pgettext_lazy("mentor offer", "Not accepted")


class ActivityKind(models.TextChoices):
    """What an organisation can deliver for another (seed 004's 活动供给库)."""

    LESSON_PLAN = "lesson_plan", _("Lesson plan")
    PARENT_WORKSHOP = "parent_workshop", _("Parent workshop")
    FESTIVAL_EVENT = "festival_event", _("Festival event")
    STAFF_COVER = "staff_cover", _("Staff cover")


class HelpRequestStatus(models.TextChoices):
    """Where a request for a mentor or an activity stands."""

    REQUESTED = "requested", pgettext_lazy("help request", "Requested")
    ACCEPTED = "accepted", pgettext_lazy("help request", "Accepted")
    DECLINED = "declined", pgettext_lazy("help request", "Declined")


class HelpKind(models.TextChoices):
    """Where the hours of the help-hours ledger come from."""

    MENTORING = "mentoring", _("Mentoring")
    ACTIVITY = "activity", _("Activity delivered")
    PIONEER = "pioneer", _("Pioneer visit")


class PairingOutcome(models.TextChoices):
    """How a pioneer pairing ended (seed 000: the new partner starts its 0-3 services)."""

    ONGOING = "", pgettext_lazy("pairing", "Ongoing")
    CENTRE_OPENED = "centre_opened", _("First centre opened")
    PREPARING = "preparing", _("Still preparing")
    STOPPED = "stopped", _("Stopped")
