from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The site layer on top of every app: URLs, home pages, management commands, operations."""

    name = "hubsite"
    # "hubsite" is the ground's label (hubsite.core), which owns the tables.
    label = "site"
    verbose_name = _("Hub site")
