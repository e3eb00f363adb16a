from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """The talent programme (人才培养): modules, selection, practice, certificates, talent pool."""

    name = "training"
    verbose_name = _("Talent programme")

    def ready(self):
        from meetings.hooks import meeting_panels

        from .views import session_panels

        # A session is a meeting: its page says which module it belongs to (meetings may not import us).
        meeting_panels.register(session_panels)
        from .timeline import register as register_timeline

        register_timeline()
