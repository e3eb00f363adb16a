from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportKind(models.TextChoices):
    ORGANISATIONS = "organisations", _("Organisations")
    CENTRES = "centres", _("Centres")
    PEOPLE = "people", _("People")
    FIGURES = "figures", pgettext_lazy("imports", "Past monthly figures")


class RunStatus(models.TextChoices):
    # Uploaded: a worker is checking every row (a large sheet takes a minute).
    CHECKING = "checking", pgettext_lazy("imports", "Checking")
    # Checked, every row valid, waiting for the person to confirm.
    READY = "ready", pgettext_lazy("imports", "Ready to import")
    # Checked, some row has an error: nothing can be saved from this file.
    INVALID = "invalid", pgettext_lazy("imports", "Has errors")
    # Confirmed: a worker is writing it (a large sheet takes minutes).
    IMPORTING = "importing", pgettext_lazy("imports", "Importing")
    DONE = "done", pgettext_lazy("imports", "Imported")


class RowAction(models.TextChoices):
    NEW = "new", pgettext_lazy("imports", "New")
    CHANGED = "changed", pgettext_lazy("imports", "Changed")
    UNCHANGED = "unchanged", pgettext_lazy("imports", "Unchanged")
    ERROR = "error", pgettext_lazy("imports", "Error")
