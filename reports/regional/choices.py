from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PeriodKind(models.TextChoices):
    # Context: Django's own catalogue translates a bare "Year" as 年份.
    MONTH = "month", pgettext_lazy("report period", "Month")
    QUARTER = "quarter", pgettext_lazy("report period", "Quarter")
    HALF_YEAR = "half_year", pgettext_lazy("report period", "Half-year")
    YEAR = "year", pgettext_lazy("report period", "Year")


# How many months each kind of period covers.
PERIOD_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6, PeriodKind.YEAR: 12}


class ReportScope(models.TextChoices):
    REGION = "region", _("Whole region")
    PREFECTURE = "prefecture", _("One prefecture")
    ORGANISATION = "organisation", _("One organisation")


class GenerationStatus(models.TextChoices):
    # Context: the notifications' catalogue translates a bare "Failed" as 发送失败 (e-mail not sent).
    QUEUED = "queued", pgettext_lazy("report generation", "Queued")
    RUNNING = "running", pgettext_lazy("report generation", "Running")
    DONE = "done", pgettext_lazy("report generation", "Done")
    FAILED = "failed", pgettext_lazy("report generation", "Failed")


# A request with the same parameters as one of these gets that one back instead of a new run.
ACTIVE_STATUSES = (GenerationStatus.QUEUED, GenerationStatus.RUNNING)
