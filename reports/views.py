from __future__ import annotations

import datetime

from django.contrib import messages
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin, SingleTableView

from hubsite.core.exports import SafeExportMixin
from hubsite.core.models import StaleObjectError
from hubsite.core.paging import paginate
from hubsite.core.permissions import (
    HubAdminRequiredMixin,
    HubRequiredMixin,
    PartnerOrHubMixin,
    RoleRequiredMixin,
)
from hubsite.core.roles import Role
from partners.models import Centre, Prefecture

from . import exports, periods
from .charts import bar_chart
from .choices import COUNTED_STATUSES, Cell, Scope
from .filtersets import ReviewQueueFilterSet
from .forms import FiguresFilterForm, IndicatorForm, ReopenForm, ReportForm, ReturnForm
from .grid import build_grid
from .models import Indicator, MonthlyReport, ReportError, ReportValue
from .tables import IndicatorTable, ReviewQueueTable

HISTORY_MONTHS = 24


def _scoped_report(request, pk, **related) -> MonthlyReport:
    queryset = MonthlyReport.objects.for_user(request.user).select_related(
        "organisation", "organisation__prefecture", "submitted_by", "reviewed_by"
    )
    return get_object_or_404(queryset, pk=pk)


def _stored_values(report, indicators) -> dict:
    by_pk = {i.pk: i for i in indicators}
    return {
        (v.centre_id, v.indicator_id): by_pk[v.indicator_id].from_storage(v.number, v.text)
        for v in report.values.all()
        if v.indicator_id in by_pk
    }


def _year_param(request) -> int:
    year = FiguresFilterForm(request.GET).value("year")
    if year is None:
        year = periods.add_months(periods.first_of(timezone.localdate()), -1).year
    return max(2000, min(year, timezone.localdate().year))


# ---------------------------------------------------------------------------------------------
# The organisation's own pages


class MyReportsView(PartnerOrHubMixin, View):
    """This month's report to fill and the past months with their status, for the user's organisation."""

    def get(self, request):
        org = request.user.organisation
        rows, due_row = [], None
        if org is not None:
            today = timezone.localdate()
            last_month = periods.add_months(periods.first_of(today), -1)
            first = periods.add_months(last_month, -(HISTORY_MONTHS - 1))
            reports = {
                r.month: r
                for r in MonthlyReport.objects.for_user(request.user).filter(
                    organisation=org, month__gte=first
                )
            }
            spans = list(
                Centre.objects.filter(organisation=org, opened_on__isnull=False).values_list(
                    "opened_on", "closed_on"
                )
            )
            for month in reversed(periods.months_between(first, last_month)):
                end = periods.last_of(month)
                expected = any(o <= end and (c is None or c >= month) for o, c in spans)
                report = reports.get(month)
                if not report and not expected:
                    continue
                cell = (
                    report.cell()
                    if report
                    else (Cell.NOT_DUE if today <= periods.due_date(month) else Cell.MISSING)
                )
                row = {"month": month, "report": report, "cell": cell, "due": periods.due_date(month)}
                rows.append(row)
            if rows and rows[0]["month"] == last_month:
                due_row = rows[0]
        return render(
            request,
            "reports/my_reports.html",
            {"organisation": org, "rows": rows, "due_row": due_row, "Cell": Cell},
        )


class StartReportView(PartnerOrHubMixin, View):
    """Open (or create) the user's own organisation's report for a month; the organisation is never posted."""

    def post(self, request, year, month):
        org = request.user.organisation
        if org is None:
            raise Http404
        try:
            report = MonthlyReport.start(org, datetime.date(year, month, 1), by=request.user)
        except (ReportError, ValueError) as error:
            messages.error(request, getattr(error, "message", str(error)))
            return redirect("reports:my_reports")
        return redirect("reports:edit", pk=report.pk)


class ReportDetailView(PartnerOrHubMixin, View):
    """The report's summary (also the confirmation step before submitting), the hub's actions, history."""

    def get(self, request, pk):
        report = _scoped_report(request, pk)
        indicators = list(report.indicators())
        centres = list(report.centres())
        stored = _stored_values(report, indicators)
        form = ReportForm(report=report, indicators=indicators, centres=centres, stored=stored)
        sections = []
        for centre, groups in form.sections():
            sections.append(
                (
                    centre,
                    [(group, [(f.indicator, f.stored_display) for f in fields]) for group, fields in groups],
                )
            )
        return render(
            request,
            "reports/detail.html",
            {
                "report": report,
                "sections": sections,
                "events": report.events.select_related("actor"),
                "can_edit": report.can_edit(request.user),
                "missing": report.missing_required() if report.can_edit(request.user) else [],
                "return_form": ReturnForm(),
                "reopen_form": ReopenForm(),
                "confirm": request.GET.get("confirm") == "1",
            },
        )


class ReportEditView(PartnerOrHubMixin, View):
    template_name = "reports/edit.html"

    def _context(self, report):
        return list(report.indicators()), list(report.centres())

    def get(self, request, pk):
        report = _scoped_report(request, pk)
        if not report.can_edit(request.user):
            messages.info(request, _("This report cannot be changed now."))
            return redirect(report)
        indicators, centres = self._context(report)
        form = ReportForm(
            report=report, indicators=indicators, centres=centres, stored=_stored_values(report, indicators)
        )
        return render(request, self.template_name, {"report": report, "form": form})

    def post(self, request, pk):
        report = _scoped_report(request, pk)
        if not report.can_edit(request.user):
            messages.error(request, _("This report cannot be changed now."))
            return redirect(report)
        indicators, centres = self._context(report)
        stored = _stored_values(report, indicators)
        for_submit = "review" in request.POST
        form = ReportForm(
            request.POST,
            report=report,
            indicators=indicators,
            centres=centres,
            stored=stored,
            for_submit=for_submit,
        )
        context = {"report": report, "form": form}
        if not form.is_valid():
            messages.error(request, _("Some figures need correcting; nothing was saved."))
            return render(request, self.template_name, context, status=200)
        try:
            report.save_values(form.values(), by=request.user, expected_version=form.cleaned_data["version"])
        except StaleObjectError:
            report.refresh_from_db()
            fresh = ReportForm(
                request.POST,
                report=report,
                indicators=indicators,
                centres=centres,
                stored=_stored_values(report, indicators),
            )
            context.update(form=fresh, conflicts=fresh.conflicts(), stale=True)
            messages.error(
                request,
                _(
                    "Someone else saved this report after you opened it. Nothing of yours was saved: "
                    "compare the two versions below, then save again."
                ),
            )
            # The new version lets the next save go through once the person has compared.
            fresh.data = fresh.data.copy()
            fresh.data["version"] = report.version
            fresh.is_valid()
            return render(request, self.template_name, context, status=409)
        except ReportError as error:
            messages.error(request, error.message)
            return redirect(report)
        if for_submit:
            return redirect(f"{reverse('reports:detail', args=[report.pk])}?confirm=1")
        messages.success(request, _("Draft saved."))
        return redirect("reports:edit", pk=report.pk)


class SubmitReportView(PartnerOrHubMixin, View):
    def post(self, request, pk):
        report = _scoped_report(request, pk)
        try:
            report.submit(by=request.user)
        except ReportError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Report submitted. Thank you!"))
        return redirect(report)


# ---------------------------------------------------------------------------------------------
# The hub's review


class ReviewQueueView(HubRequiredMixin, SafeExportMixin, SingleTableMixin, FilterView):
    """Reports waiting for review, oldest first."""

    table_class = ReviewQueueTable
    filterset_class = ReviewQueueFilterSet
    template_name = "reports/review_queue.html"
    table_pagination = {"per_page": 50}
    export_name = "review-queue"

    def get_queryset(self):
        return (
            MonthlyReport.objects.for_user(self.request.user)
            .waiting()
            .select_related("organisation", "organisation__prefecture")
            .order_by("submitted_at")
        )


class _ReviewStep(HubRequiredMixin, View):
    def step(self, request, report):
        raise NotImplementedError

    def post(self, request, pk):
        report = _scoped_report(request, pk)
        try:
            self.step(request, report)
        except ReportError as error:
            messages.error(request, error.message)
        target = request.POST.get("next", "")
        # Only a printable path of this site: redirect() would read anything else as a view name.
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        if not (safe and target.startswith("/") and target.isprintable()):
            target = report.get_absolute_url()
        return redirect(target)


class ApproveReportView(_ReviewStep):
    def step(self, request, report):
        report.approve(by=request.user)
        messages.success(request, _("%(report)s approved.") % {"report": report})


class ReturnReportView(_ReviewStep):
    def step(self, request, report):
        form = ReturnForm(request.POST)
        if not form.is_valid():
            raise ReportError(_("Say what needs to change."))
        report.return_for_revision(by=request.user, comment=form.cleaned_data["comment"])
        messages.success(request, _("%(report)s returned for revision.") % {"report": report})


class ReopenReportView(HubAdminRequiredMixin, _ReviewStep):
    def step(self, request, report):
        form = ReopenForm(request.POST)
        if not form.is_valid():
            raise ReportError(_("Give the reason for reopening."))
        report.reopen(by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("%(report)s reopened.") % {"report": report})


# ---------------------------------------------------------------------------------------------
# Completeness grid, figures, exports


def _prefecture_param(request):
    code = FiguresFilterForm(request.GET).value("prefecture")
    return Prefecture.objects.filter(code=code).first() if code else None


def _grid_cell(prefix, month, cell, pk, label):
    if cell == Cell.NOT_EXPECTED:
        inner = ""
    else:
        inner = format_html('<span class="cell cell-{}" title="{}">{}</span>', cell, label, label[:2])
        if pk:
            inner = format_html('<a href="{}{}/" class="text-decoration-none">{}</a>', prefix, pk, inner)
    return format_html('<td data-month="{}" data-cell="{}">{}</td>', month.strftime("%Y-%m"), cell, inner)


class GridView(HubRequiredMixin, View):
    # The rates cover every organisation; the rows are shown a hundred at a time (at 100x the
    # network a whole year is 12,000 cells and 2 MB of HTML).
    paginate_by = 100

    def get(self, request):
        year = _year_param(request)
        prefectures = list(Prefecture.objects.all())
        code = FiguresFilterForm(request.GET).value("prefecture")
        prefecture = next((p for p in prefectures if p.code == code), None)
        grid = build_grid(year, prefecture)
        page, query = paginate(request, grid.rows, self.paginate_by)
        # One reverse() for the page and format_html per cell, not template tags: thousands of cells.
        prefix = reverse("reports:detail", args=[0])[: -len("0/")]
        for row in page.object_list:
            row.html = format_html_join("", "{}", ((_grid_cell(prefix, *cell),) for cell in row.cells))
        this_year = timezone.localdate().year
        return render(
            request,
            "reports/grid.html",
            {
                "grid": grid,
                "rows": page.object_list,
                "page": page,
                "page_query": query,
                "year": year,
                "years": list(range(this_year, this_year - 8, -1)),
                "prefectures": prefectures,
                "prefecture": prefecture,
                "Cell": Cell,
                "cell_labels": dict(Cell.choices),
                "query": query,
            },
        )


class GridExportView(HubRequiredMixin, View):
    def get(self, request):
        year = _year_param(request)
        grid = build_grid(year, _prefecture_param(request))
        headers, rows = exports.grid_table(grid)
        return exports.download(
            headers, rows, f"report-grid-{year}", FiguresFilterForm(request.GET).value("format", "csv")
        )


class FiguresExportView(PartnerOrHubMixin, View):
    """One row per centre and month; partner people get their own organisation's only (for_user)."""

    def get(self, request):
        year = _year_param(request)
        reports = MonthlyReport.objects.for_user(request.user).filter(
            month__gte=datetime.date(year, 1, 1), month__lte=datetime.date(year, 12, 1)
        )
        prefecture = _prefecture_param(request)
        if prefecture:
            reports = reports.filter(organisation__prefecture=prefecture)
        headers, rows = exports.figures_table(reports, exports.ordered_indicators())
        return exports.download(
            headers, rows, f"report-figures-{year}", FiguresFilterForm(request.GET).value("format", "csv")
        )


class NetworkFiguresView(RoleRequiredMixin, View):
    """Network totals of one indicator per month and prefecture, last 12 months, with a bar chart.

    Only aggregates are shown (handed-in reports), so viewers (funders, government) may see it too.
    """

    allowed_roles = frozenset({Role.HUB_ADMIN, Role.HUB_STAFF, Role.VIEWER})

    def get(self, request):
        indicators = list(Indicator.objects.numeric().filter(scope=Scope.CENTRE))
        code = FiguresFilterForm(request.GET).value("indicator", "child_visits")
        indicator = next((i for i in indicators if i.code == code), indicators[0] if indicators else None)
        last = periods.add_months(periods.first_of(timezone.localdate()), -1)
        months = periods.months_between(periods.add_months(last, -11), last)
        prefectures = list(Prefecture.objects.all())
        totals: dict = {}
        if indicator:
            rows = (
                ReportValue.objects.filter(
                    indicator=indicator,
                    month__gte=months[0],
                    month__lte=months[-1],
                    report__status__in=COUNTED_STATUSES,
                )
                .values_list("month", "centre__prefecture_id")
                .annotate(total=Sum("number"))
                .order_by()
            )
            for month, prefecture_id, total in rows:
                totals[(month, prefecture_id)] = total
        month_totals = [sum((totals.get((m, p.pk)) or 0) for p in prefectures) for m in months]
        table = []
        for prefecture in prefectures:
            values = [totals.get((m, prefecture.pk)) for m in months]
            if any(v is not None for v in values):
                table.append((prefecture, values, sum(v or 0 for v in values)))
        chart = bar_chart([m.strftime("%y-%m") for m in months], month_totals)
        return render(
            request,
            "reports/figures.html",
            {
                "indicators": indicators,
                "indicator": indicator,
                "months": months,
                "table": table,
                "month_totals": month_totals,
                "grand_total": sum(month_totals),
                "chart": chart,
            },
        )


# ---------------------------------------------------------------------------------------------
# Indicators


class IndicatorListView(HubRequiredMixin, SingleTableView):
    model = Indicator
    table_class = IndicatorTable
    template_name = "reports/indicator_list.html"
    paginate_by = 100

    def get_queryset(self):
        return Indicator.objects.all()


class IndicatorCreateView(HubAdminRequiredMixin, CreateView):
    model = Indicator
    form_class = IndicatorForm
    template_name = "reports/indicator_form.html"

    def get_success_url(self):
        return reverse("reports:indicator_list")


class IndicatorUpdateView(HubAdminRequiredMixin, UpdateView):
    model = Indicator
    form_class = IndicatorForm
    template_name = "reports/indicator_form.html"

    def get_success_url(self):
        return reverse("reports:indicator_list")
