from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF_YEAR = "half_year", _("Half-year")
    YEAR = "year", _("Year")


# How many months each kind of period covers.
PERIOD_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6, PeriodKind.YEAR: 12}


class ReportScope(models.TextChoices):
    REGION = "region", _("Whole region")
    PREFECTURE = "prefecture", _("One prefecture")
    ORGANISATION = "organisation", _("One organisation")


class GenerationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# A request with the same parameters as one of these gets that one back instead of a new run.
ACTIVE_STATUSES = (GenerationStatus.QUEUED, GenerationStatus.RUNNING)
