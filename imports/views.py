"""Hub staff's imports: the list of past runs, the upload, the preview and its confirmation, the
templates, and the kept file. Partner people and viewers get 403 before any object is looked up."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from hubsite.core.files import content_disposition, serve_protected
from hubsite.core.paging import paginate
from hubsite.core.permissions import HubRequiredMixin
from hubsite.core.views import ActionFormView

from . import actions
from .choices import ImportKind, RowAction, RunStatus
from .filtersets import ImportRunFilterSet
from .forms import UploadForm
from .models import ImportRun
from .sheets import template_file
from .tables import ImportRunTable

PREVIEW_ROWS_PER_PAGE = 100
TEMPLATE_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ImportRunListView(HubRequiredMixin, SingleTableMixin, FilterView):
    """Who imported what, newest first."""

    table_class = ImportRunTable
    filterset_class = ImportRunFilterSet
    template_name = "imports/run_list.html"

    def get_queryset(self):
        return (
            ImportRun.objects.for_user(self.request.user)
            .select_related("uploaded_by", "imported_by")
            .defer("preview")
        )


class UploadView(HubRequiredMixin, ActionFormView):
    """Upload a sheet: it is checked and shown as a preview; nothing is imported yet."""

    form_class = UploadForm
    template_name = "imports/upload.html"
    page_title = _("Import from a spreadsheet")
    submit_label = _("Check the file")
    cancel_url = reverse_lazy("imports:run_list")

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in ImportKind.values else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = ImportKind.choices
        return context

    def perform(self, form):
        data = form.cleaned_data
        return actions.do_upload_sheet(
            kind=data["kind"],
            upload=data["file"],
            by=self.request.user,
            send_invitations=data["send_invitations"],
        )

    def get_success_url(self):
        return self.result.get_absolute_url()

    def get_success_message(self):
        return _("The file is being checked. This page shows every row's outcome, and you will be notified.")


class TemplateDownloadView(HubRequiredMixin, View):
    """The blank sheet of one kind, with Chinese headings and an example row."""

    def get(self, request, kind, fmt):
        if kind not in ImportKind.values or fmt not in TEMPLATE_CONTENT_TYPES:
            raise Http404
        importer = actions.importer_for(kind, request.user)
        title = ImportKind(kind).label
        body = template_file(importer.columns, importer.example(), fmt, title)
        response = HttpResponse(body, content_type=TEMPLATE_CONTENT_TYPES[fmt])
        response["Content-Disposition"] = content_disposition(f"{_('Import template')}-{title}.{fmt}")
        return response


class ImportRunDetailView(HubRequiredMixin, DetailView):
    """The preview: every row's outcome (new, changed fields old -> new, unchanged, errors)."""

    template_name = "imports/run_detail.html"
    context_object_name = "run"

    def get_queryset(self):
        return ImportRun.objects.for_user(self.request.user).select_related("uploaded_by", "imported_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = self.object.preview
        only = self.request.GET.get("only")
        if only in RowAction.values:
            rows = [row for row in rows if row["action"] == only]
        page, query = paginate(self.request, rows, PREVIEW_ROWS_PER_PAGE)
        context.update(
            page=page,
            page_query=query,
            only=only,
            actions=RowAction.choices,
            action_labels=dict(RowAction.choices),
            row_errors=[error for row in self.object.preview for error in row["errors"]][:200],
        )
        return context


class ImportRunConfirmView(HubRequiredMixin, View):
    """Import a previewed sheet: checked again, then every row or none."""

    def get(self, request, pk):
        run = get_object_or_404(ImportRun.objects.for_user(request.user), pk=pk)
        return redirect(run)

    def post(self, request, pk):
        run = get_object_or_404(ImportRun.objects.for_user(request.user).only("pk", "status"), pk=pk)
        if run.status != RunStatus.READY:
            messages.warning(request, _("This import is not waiting for confirmation any more."))
            return redirect(reverse("imports:run_detail", args=[pk]))
        actions.do_confirm_import(run, by=request.user)
        messages.success(
            request, _("The import has started. This page shows the outcome, and you will be notified.")
        )
        return redirect(reverse("imports:run_detail", args=[pk]))


class ImportRunFileView(HubRequiredMixin, View):
    """The file as it was uploaded."""

    def get(self, request, pk):
        run = get_object_or_404(ImportRun.objects.for_user(request.user).defer("preview"), pk=pk)
        return serve_protected(request, run.file, run.file_name)
