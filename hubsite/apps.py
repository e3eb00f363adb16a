from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubsiteConfig(AppConfig):
    name = "hubsite"
    verbose_name = _("Hub platform")

    def ready(self):
        # Every process (web, worker, beat) must know every reminder kind: the preferences page
        # lists them and the sweeps need them registered.
        from hubsite.notifications import autodiscover

        autodiscover()
