"""Request a regional report, watch its progress, download its files (permission checked each time)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from hubsite.core.files import serve_protected
from hubsite.core.paging import paginate
from hubsite.core.permissions import RoleRequiredMixin
from hubsite.core.roles import Role

from ..models import GeneratedReport
from .actions import request_report
from .choices import GenerationStatus
from .forms import RequestReportForm

REPORT_ROLES = frozenset({Role.HUB_ADMIN, Role.HUB_STAFF, Role.VIEWER, Role.DIRECTOR})
FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class RegionalReportMixin(RoleRequiredMixin):
    allowed_roles = REPORT_ROLES

    def scoped(self):
        return GeneratedReport.objects.for_user(self.request.user).select_related(
            "prefecture", "organisation", "requested_by"
        )


class RegionalReportListView(RegionalReportMixin, View):
    """The request form and the reports this person may see, newest first, with their status."""

    template_name = "reports/regional/list.html"

    def get(self, request, form=None):
        page, page_query = paginate(request, self.scoped(), 30)
        form = form or RequestReportForm(user=request.user)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "page": page,
                "page_query": page_query,
                "reports": page.object_list,
                "Status": GenerationStatus,
            },
            status=400 if form.is_bound else 200,
        )

    def post(self, request):
        form = RequestReportForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, _("Please correct the fields marked below; nothing was requested."))
            return self.get(request, form=form)
        data = form.cleaned_data
        report, created = request_report(
            by=request.user,
            kind=data["period_kind"],
            start=data["start"],
            scope=data.get("scope", ""),
            prefecture=data.get("prefecture"),
            organisation=data.get("organisation"),
        )
        if created:
            messages.success(
                request, _("%(title)s is queued: this page shows its progress.") % {"title": report.title}
            )
        else:
            messages.info(
                request, _("%(title)s is already being generated: here it is.") % {"title": report.title}
            )
        return redirect(f"{reverse('reports:regional_list')}#report-{report.pk}")


class RegionalReportRetryView(RegionalReportMixin, View):
    """Generate a failed report again: a new job with the same parameters (the failed one stays, with
    its reason). For the hub and for the person who asked for it."""

    def post(self, request, pk):
        report = get_object_or_404(self.scoped(), pk=pk)
        if report.status != GenerationStatus.FAILED:
            messages.info(request, _("Only a report that failed can be generated again."))
            return redirect(f"{reverse('reports:regional_list')}#report-{report.pk}")
        if not report.can_retry(request.user):
            raise PermissionDenied
        new, created = request_report(
            by=request.user,
            kind=report.period_kind,
            start=report.period_start,
            scope=report.scope,
            prefecture=report.prefecture,
            organisation=report.organisation,
        )
        if created:
            messages.success(
                request, _("%(title)s is queued again: this page shows its progress.") % {"title": new.title}
            )
        else:
            messages.info(
                request, _("%(title)s is already being generated: here it is.") % {"title": new.title}
            )
        return redirect(f"{reverse('reports:regional_list')}#report-{new.pk}")


class RegionalReportStatusView(RegionalReportMixin, View):
    """A small JSON document the list page polls while a report is queued or running."""

    def get(self, request, pk):
        report = get_object_or_404(self.scoped(), pk=pk)
        data = {
            "id": report.pk,
            "status": report.status,
            "status_label": report.get_status_display(),
            "progress": report.progress,
            "failure_reason": report.failure_reason,
            "files": {},
        }
        if report.status == GenerationStatus.DONE:
            data["files"] = {
                fmt: reverse("reports:regional_download", args=[report.pk, fmt]) for fmt in FORMATS
            }
        return JsonResponse(data)


class RegionalReportDownloadView(RegionalReportMixin, View):
    """Files are served through here, never from a public media URL: scope checked on every download."""

    def get(self, request, pk, fmt):
        if fmt not in FORMATS:
            raise Http404
        report = get_object_or_404(self.scoped(), pk=pk, status=GenerationStatus.DONE)
        # Stored under a random name; people get the report's title.
        filename = f"{report.title}.{fmt}".replace(" ", "-")
        return serve_protected(request, getattr(report, fmt), filename, content_type=FORMATS[fmt])
