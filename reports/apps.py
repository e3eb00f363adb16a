from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Monthly reports")

    def ready(self):
        # Lower apps ask the reports through hooks, since they may not import a higher layer.
        from meetings.hooks import topic_ideas
        from partners.coverage.hooks import report_figures

        from . import (
            api,
            coverage,
            signals,  # noqa: F401 - keeps the cached coverage pages fresh
        )

        # Celery autodiscovers `reports.tasks` only; the generated reports' tasks live in their package.
        from .regional import tasks  # noqa: F401

        topic_ideas.register(api.recent_difficulties)
        report_figures.register(coverage)
