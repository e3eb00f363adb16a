from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubsiteConfig(AppConfig):
    name = "hubsite"
    verbose_name = _("Hub platform")
