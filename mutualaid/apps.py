from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MutualaidConfig(AppConfig):
    """The regional mutual-aid support group."""

    name = "mutualaid"
    verbose_name = _("Mutual-aid group")

    def ready(self):
        from . import signals  # noqa: F401 - keeps the hub panel's cached evaluation fresh
        from .timeline import register as register_timeline

        register_timeline()
