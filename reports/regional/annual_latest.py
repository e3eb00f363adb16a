"""The menu's "Annual report" for viewers: the newest published region report's web edition.

A redirect keeps the menu free of queries (every page renders it, and pages assert their query
counts); the look-up happens only when someone follows the entry.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from hubsite.core.permissions import RoleRequiredMixin

from ..models import AnnualNarrative
from .annual_web import WEB_ROLES


class AnnualLatestView(RoleRequiredMixin, View):
    """Redirect to the web edition of the newest published region text (a viewer sees only published
    ones anyway); with none published yet, to the regional reports with a note saying so."""

    allowed_roles = WEB_ROLES
    http_method_names = ["get", "head", "options"]

    def get(self, request):
        narrative = (
            AnnualNarrative.objects.for_user(request.user)
            .region()
            .filter(published_at__isnull=False)
            .order_by("-period_start", "-published_at")
            .first()
        )
        if narrative is None:
            messages.info(request, _("No annual report has been published yet."))
            return redirect("reports:regional_list")
        return redirect(
            "reports:annual_web", kind=narrative.period_kind, month=narrative.period_start.strftime("%Y-%m")
        )
