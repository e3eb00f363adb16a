from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Monthly reports")

    def ready(self):
        from . import signals  # noqa: F401 - keeps the cached coverage pages fresh

        # Celery autodiscovers `reports.tasks` only; the generated reports' tasks live in their package.
        from .regional import tasks  # noqa: F401
