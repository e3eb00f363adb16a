from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Monthly reports")

    def ready(self):
        from meetings.hooks import meeting_panels, topic_ideas
        from partners.coverage.hooks import report_figures
        from partners.hooks import organisation_panels

        from . import (
            api,
            coverage,
            signals,  # noqa: F401 - keeps the cached coverage pages fresh
            targets,
        )

        # Celery autodiscovers `reports.tasks` only; the generated reports' tasks live in their package.
        from .regional import tasks  # noqa: F401
        from .regional.views import meeting_pack_panels

        # Lower apps ask the reports through hooks, since they may not import a higher layer.
        topic_ideas.register(api.recent_difficulties)
        report_figures.register(coverage)
        meeting_panels.register(meeting_pack_panels)
        _register_attachments()
        # The annual report's words: their notification kinds (at import) and logo/cover attachments.
        from .regional.annual_actions import register_attachments as register_annual_attachments

        register_annual_attachments()
        organisation_panels.register(targets.organisation_panels)
        from .timeline import register as register_timeline

        register_timeline()


def _register_attachments():
    """Photos, sign-in sheets and receipts on a monthly report, per centre or for the organisation.
    ``for_user`` already keeps them to the organisation and the hub; its people add while the report
    is theirs to change (draft, returned), the hub at any time."""
    from hubsite.core import attachments
    from hubsite.core.models import AttachmentKind

    from .models import MonthlyReport

    attachments.register(
        MonthlyReport,
        can_view=lambda user, report: True,
        can_add=lambda user, report: user.is_hub or (report.is_editable and user.is_partner),
        kinds=[
            AttachmentKind.PHOTO,
            AttachmentKind.SIGN_IN_SHEET,
            AttachmentKind.RECEIPT,
            AttachmentKind.OTHER,
        ],
        max_count=30,
        centres=lambda report: report.centres(),
    )
