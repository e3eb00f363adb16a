from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Bringing the past in: organisations, centres, people and past monthly figures from XLSX/CSV."""

    name = "imports"
    verbose_name = _("Imports")

    def ready(self):
        from . import actions  # noqa: F401 - registers the notification kind
