"""Who may open a page. Object-level scoping lives on the querysets (``for_user``), not here."""

from django.contrib.auth.mixins import AccessMixin, LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from hubsite.core.roles import HUB_ROLES, PARTNER_ROLES, Role


class RoleRequiredMixin(LoginRequiredMixin):
    """Logged-in users with one of ``allowed_roles``; others get 403 (anonymous: the login page)."""

    allowed_roles: frozenset[str] = frozenset()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.user.role not in self.allowed_roles:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class HubRequiredMixin(RoleRequiredMixin):
    allowed_roles = HUB_ROLES


class HubAdminRequiredMixin(RoleRequiredMixin):
    allowed_roles = frozenset({Role.HUB_ADMIN})


class PartnerOrHubMixin(RoleRequiredMixin):
    allowed_roles = frozenset({Role.HUB_ADMIN, Role.HUB_STAFF, Role.DIRECTOR, Role.PARTNER_STAFF})


class AnyRoleMixin(LoginRequiredMixin, AccessMixin):
    """Any logged-in person, whatever the role."""


class PartnerRequiredMixin(RoleRequiredMixin):
    """Partner people (staff and directors), who act for their own organisation."""

    allowed_roles = PARTNER_ROLES


class DirectorRequiredMixin(RoleRequiredMixin):
    allowed_roles = frozenset({Role.DIRECTOR})
