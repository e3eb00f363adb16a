"""Request a regional report, watch its progress, download its files (permission checked each time)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic.detail import BaseDetailView, SingleObjectMixin

from hubsite.core.files import serve_protected
from hubsite.core.paging import paginate
from hubsite.core.permissions import RoleRequiredMixin
from hubsite.core.roles import Role
from hubsite.core.views import ActionFormView

from ..models import GeneratedReport
from .actions import do_request_report
from .choices import GenerationStatus
from .forms import RequestReportForm

REPORT_ROLES = frozenset({Role.HUB_ADMIN, Role.HUB_STAFF, Role.VIEWER, Role.DIRECTOR})
FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _list_anchor(report: GeneratedReport) -> str:
    return f"{reverse('reports:regional_list')}#report-{report.pk}"


class RegionalReportMixin(RoleRequiredMixin):
    """Who may use regional reports, and which reports they see: ``for_user`` scoping."""

    allowed_roles = REPORT_ROLES

    def get_queryset(self):
        return GeneratedReport.objects.for_user(self.request.user).select_related(
            "prefecture", "organisation", "requested_by"
        )


class RegionalReportListView(RegionalReportMixin, ActionFormView):
    """The request form and the reports this person may see, newest first, with their status."""

    template_name = "reports/regional/list.html"
    form_class = RequestReportForm
    # FormView would take PUT as a POST; this page answers GET and POST only, as it always has.
    http_method_names = ["get", "post", "head", "options"]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        page, page_query = paginate(self.request, self.get_queryset(), 30)
        return super().get_context_data(
            page=page, page_query=page_query, reports=page.object_list, Status=GenerationStatus, **kwargs
        )

    def form_invalid(self, form):
        messages.error(self.request, _("Please correct the fields marked below; nothing was requested."))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def perform(self, form):
        data = form.cleaned_data
        report, created = do_request_report(
            by=self.request.user,
            kind=data["period_kind"],
            start=data["start"],
            scope=data.get("scope", ""),
            prefecture=data.get("prefecture"),
            organisation=data.get("organisation"),
        )
        if created:
            messages.success(
                self.request,
                _("%(title)s is queued: this page shows its progress.") % {"title": report.title},
            )
        else:
            messages.info(
                self.request, _("%(title)s is already being generated: here it is.") % {"title": report.title}
            )
        return report

    def get_success_url(self):
        return _list_anchor(self.result)


class RegionalReportRetryView(RegionalReportMixin, SingleObjectMixin, View):
    """Generate a failed report again: a new job with the same parameters (the failed one stays, with
    its reason). For the hub and for the person who asked for it."""

    def post(self, request, pk):
        report = self.get_object()
        if report.status != GenerationStatus.FAILED:
            messages.info(request, _("Only a report that failed can be generated again."))
            return redirect(_list_anchor(report))
        if not report.can_retry(request.user):
            raise PermissionDenied
        new, created = do_request_report(
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
        return redirect(_list_anchor(new))


class RegionalReportStatusView(RegionalReportMixin, BaseDetailView):
    """A small JSON document the list page polls while a report is queued or running."""

    def render_to_response(self, context):
        report = self.object
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


class RegionalReportDownloadView(RegionalReportMixin, BaseDetailView):
    """Files are served through here, never from a public media URL: scope checked on every download."""

    def get_queryset(self):
        return super().get_queryset().filter(status=GenerationStatus.DONE)

    def get(self, request, pk, fmt):
        if fmt not in FORMATS:
            raise Http404
        report = self.get_object()
        # Stored under a random name; people get the report's title.
        filename = f"{report.title}.{fmt}".replace(" ", "-")
        return serve_protected(request, getattr(report, fmt), filename, content_type=FORMATS[fmt])


def meeting_pack_panels(request, meeting) -> list[dict]:
    """The report pack attached to a regional review, on the meeting's page (registered into
    ``meetings.hooks.meeting_panels``): one query, only for regional reviews; shown to those who may
    download it (the failed pack's "generate again" form is for hub staff)."""
    if not meeting.is_regional_review:
        return []
    report = (
        GeneratedReport.objects.for_user(request.user)
        .filter(meeting_packs__meeting=meeting)
        .select_related("prefecture", "organisation")
        .first()
    )
    return [{"template": "reports/regional/_meeting_pack.html", "report": report}]
