"""The roles a person has on the platform. Every app's permissions are phrased in these."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HUB_ADMIN = "hub_admin", _("Hub admin")
    HUB_STAFF = "hub_staff", _("Hub staff")
    DIRECTOR = "director", _("Partner director")
    PARTNER_STAFF = "partner_staff", _("Partner staff")
    VIEWER = "viewer", _("Viewer")


HUB_ROLES = frozenset({Role.HUB_ADMIN, Role.HUB_STAFF})
PARTNER_ROLES = frozenset({Role.DIRECTOR, Role.PARTNER_STAFF})
