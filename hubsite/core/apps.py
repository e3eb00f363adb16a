from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground every app stands on. Its label stays "hubsite", the label its tables, migrations
    and content types had before this package was split from the site layer."""

    name = "hubsite.core"
    label = "hubsite"
    verbose_name = _("Hub platform")

    def ready(self):
        # Every process (web, worker, beat) must know every reminder kind: the preferences page
        # lists them and the sweeps need them registered.
        from hubsite.core import (
            language,  # noqa: F401 - connects the saved language at login
            pagecache,  # noqa: F401 - a person's save ends their page-cache pass in every process
        )
        from hubsite.core.notifications import autodiscover

        autodiscover()
