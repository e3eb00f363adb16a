from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and centres")

    def ready(self):
        from . import growth  # noqa: F401 - registers its notification kinds
        from .coverage import signals  # noqa: F401 - connects the cache invalidation
        from .timeline import register as register_timeline
        from .wecom import register as register_wecom_group

        register_timeline()
        register_wecom_group()
