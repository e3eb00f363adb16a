from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and centres")

    def ready(self):
        from .coverage import signals  # noqa: F401 - connects the cache invalidation
