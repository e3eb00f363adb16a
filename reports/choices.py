from django.db import models
from django.utils.translation import gettext_lazy as _


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    BOOLEAN = "boolean", _("Yes / no")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")


NUMERIC_TYPES = frozenset({ValueType.INTEGER, ValueType.DECIMAL, ValueType.BOOLEAN})
TEXT_TYPES = frozenset({ValueType.SHORT_TEXT, ValueType.LONG_TEXT})


class Scope(models.TextChoices):
    CENTRE = "centre", _("Per centre")
    ORGANISATION = "organisation", _("Per organisation")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")


# Statuses in which the organisation can still change its figures.
EDITABLE_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})
# Statuses waiting for the hub's review (the review queue).
WAITING_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED)
# Reports whose figures count in network totals and exports: handed in and not sent back.
COUNTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED, ReportStatus.APPROVED)


class EventAction(models.TextChoices):
    CREATED = "created", _("Started")
    SAVED = "saved", _("Saved")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")
    REOPENED = "reopened", _("Reopened")


class Cell(models.TextChoices):
    """What the completeness grid shows for one organisation and month."""

    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    MISSING = "missing", _("Missing")
    DRAFT = "draft", _("Draft")
    RETURNED = "returned", _("Returned")
    NOT_DUE = "not_due", _("Not due yet")
    NOT_EXPECTED = "not_expected", _("Not expected")


class OverMonths(models.TextChoices):
    """How an indicator's monthly figures add up over a longer period (DHIS2's aggregation type).

    Flows (visits, sessions, hours) add up; stocks (families enrolled, volunteers on the books) do not:
    a family that comes every month would count twelve times.
    """

    SUM = "sum", _("Sum of the months")
    AVERAGE = "average", _("Average month")
    MAX = "max", _("Highest month")
    LATEST = "latest", _("Latest month")


class OverUnits(models.TextChoices):
    """How the figures of several centres (or organisations) add up for a prefecture or the network."""

    SUM = "sum", _("Sum of the centres")
    NONE = "none", _("Not additive (per centre only)")
