from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingKind(models.TextChoices):
    MONTHLY_TOPIC = "monthly_topic", _("Monthly topic meeting")
    QUARTERLY_DIRECTORS = "quarterly_directors", _("Quarterly directors' meeting")
    HALF_YEAR_REGIONAL = "half_year_regional", _("Half-year regional meeting")
    SUPERVISION = "supervision", _("Individual supervision")
    OTHER = "other", _("Other event")
    # A session of a talent-programme module: the training app invites the module's learners.
    TRAINING_SESSION = "training_session", _("Training session")


# Kinds whose invitees follow from people's roles; "other" events are invited by hand.
AUDIENCE_KINDS = (
    MeetingKind.MONTHLY_TOPIC,
    MeetingKind.QUARTERLY_DIRECTORS,
    MeetingKind.HALF_YEAR_REGIONAL,
    MeetingKind.SUPERVISION,
)


# The network meetings that review the region's figures (a regional report pack goes with them).
REGIONAL_REVIEW_KINDS = (MeetingKind.QUARTERLY_DIRECTORS, MeetingKind.HALF_YEAR_REGIONAL)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meetings", "Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


UPCOMING_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.CONFIRMED)


class StatusChange(models.TextChoices):
    """What hub staff may do to a meeting's status from its page."""

    CONFIRM = "confirm", _("Confirm")
    HELD = "held", _("Mark as held")
    CANCEL = "cancel", pgettext_lazy("meetings", "Cancel meeting")


class Rsvp(models.TextChoices):
    PENDING = "pending", _("No reply yet")
    ACCEPTED = "accepted", _("Will attend")
    DECLINED = "declined", _("Cannot attend")


class Attendance(models.TextChoices):
    UNRECORDED = "", _("Not recorded")
    PRESENT = "present", pgettext_lazy("meetings", "Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("meetings", "Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", pgettext_lazy("meetings", "Monthly")
    BIMONTHLY = "bimonthly", _("Every two months")
    QUARTERLY = "quarterly", pgettext_lazy("meetings", "Quarterly")
    HALF_YEARLY = "half_yearly", _("Every six months")


# How many months lie between two supervisions at each frequency.
FREQUENCY_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.BIMONTHLY: 2,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
}


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday (no work)")
    WORKDAY = "workday", _("Adjusted working day")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("First week")
    SECOND = 2, _("Second week")
    THIRD = 3, _("Third week")
    FOURTH = 4, _("Fourth week")


# The cadence: which months carry the network meetings (sequence = position in this tuple).
QUARTERLY_MONTHS = (3, 6, 9, 12)
HALF_YEAR_MONTHS = (5, 11)
