from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, TemplateView, UpdateView
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin, SingleTableView

from hubsite.core.exports import SafeExportMixin, in_background, tracked
from hubsite.core.forms import STALE_MESSAGE
from hubsite.core.models import StaleObjectError
from hubsite.core.paging import paginate
from hubsite.core.permissions import (
    HubAdminRequiredMixin,
    HubRequiredMixin,
    PartnerOrHubMixin,
    RoleRequiredMixin,
)
from hubsite.core.roles import Role
from partners.models import Centre, Organisation, Prefecture

from . import exports, figures_page, periods, targets
from .actions import (
    do_approve_report,
    do_reopen_report,
    do_return_report,
    do_save_report,
    do_start_report,
    do_submit_report,
)
from .charts import bar_chart
from .choices import Cell, Scope
from .filtersets import ReviewQueueFilterSet
from .forms import FiguresFilterForm, IndicatorForm, ReopenForm, ReportForm, ReturnForm, field_name
from .grid import GridPageRow, build_grid, cached_grid, rows_html
from .models import Indicator, MonthlyReport, ReportError, ValidationRule
from .outliers import Outliers
from .rollup import figure_heading
from .tables import IndicatorTable, ReviewQueueTable

HISTORY_MONTHS = 24


class ScopedReportMixin(SingleObjectMixin):
    """The report named in the URL, among those the user may see (another organisation's: 404)."""

    context_object_name = "report"

    def get_queryset(self):
        return MonthlyReport.objects.for_user(self.request.user).select_related(
            "organisation", "organisation__prefecture", "submitted_by", "reviewed_by"
        )


def _stored_values(report, indicators) -> dict:
    by_pk = {i.pk: i for i in indicators}
    # Plain tuples: the summary and the form read four columns, not ReportValue objects.
    rows = report.values.values_list("centre_id", "indicator_id", "number", "text")
    return {
        (centre_id, indicator_id): by_pk[indicator_id].from_storage(number, text)
        for centre_id, indicator_id, number, text in rows
        if indicator_id in by_pk
    }


def _year_param(request) -> int:
    year = FiguresFilterForm(request.GET).value("year")
    if year is None:
        year = periods.add_months(periods.first_of(timezone.localdate()), -1).year
    return max(2000, min(year, timezone.localdate().year))


# ---------------------------------------------------------------------------------------------
# The organisation's own pages


class MyReportsView(PartnerOrHubMixin, TemplateView):
    """This month's report to fill and the past months with their status, for the user's organisation."""

    template_name = "reports/my_reports.html"

    def get_context_data(self, **kwargs):
        org = self.request.user.organisation
        rows, due_row = [], None
        if org is not None:
            rows = self._rows(org)
            last_month = periods.add_months(periods.first_of(timezone.localdate()), -1)
            if rows and rows[0]["month"] == last_month:
                due_row = rows[0]
        return super().get_context_data(organisation=org, rows=rows, due_row=due_row, Cell=Cell, **kwargs)

    def _rows(self, org) -> list[dict]:
        """The expected months (a centre operating) and any month with a report, newest first."""
        today = timezone.localdate()
        last_month = periods.add_months(periods.first_of(today), -1)
        first = periods.add_months(last_month, -(HISTORY_MONTHS - 1))
        reports = {
            r.month: r
            for r in MonthlyReport.objects.for_user(self.request.user).filter(
                organisation=org, month__gte=first
            )
        }
        spans = list(
            Centre.objects.filter(organisation=org, opened_on__isnull=False).values_list(
                "opened_on", "closed_on"
            )
        )
        rows = []
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
            rows.append({"month": month, "report": report, "cell": cell, "due": periods.due_date(month)})
        return rows


class StartReportView(PartnerOrHubMixin, View):
    """Open (or create) the user's own organisation's report for a month; the organisation is never posted."""

    def post(self, request, year, month):
        org = request.user.organisation
        if org is None:
            raise Http404
        try:
            report = do_start_report(org, datetime.date(year, month, 1), by=request.user)
        except (ReportError, ValueError) as error:
            messages.error(request, getattr(error, "message", str(error)))
            return redirect("reports:my_reports")
        return redirect("reports:edit", pk=report.pk)


def _hint(outliers, centre, indicator):
    return outliers.hint(centre.pk, indicator) if centre and indicator.is_numeric else None


class ReportDetailView(PartnerOrHubMixin, ScopedReportMixin, DetailView):
    """The report's summary (also the confirmation step before submitting), the hub's actions, history."""

    template_name = "reports/detail.html"

    def get_context_data(self, **kwargs):
        report, user = self.object, self.request.user
        indicators = list(report.indicators())
        centres = list(report.centres())
        stored = _stored_values(report, indicators)
        form = ReportForm(report=report, indicators=indicators, centres=centres, stored=stored)
        # Beside each figure: last month, the same month last year, and the outliers' flags.
        outliers = Outliers(report, indicators, centres, stored)
        sections = [
            (
                centre,
                [
                    (
                        group,
                        [
                            (f.indicator, f.stored_display, _hint(outliers, centre, f.indicator))
                            for f in fields
                        ],
                    )
                    for group, fields in groups
                ],
                outliers.centre_flags(centre.pk) if centre else [],
            )
            for centre, groups in form.sections()
        ]
        can_edit = report.can_edit(user)
        return super().get_context_data(
            sections=sections,
            flag_count=len(outliers.flags),
            events=report.events.select_related("actor"),
            can_edit=can_edit,
            missing=report.missing_required() if can_edit else [],
            return_form=ReturnForm(),
            reopen_form=ReopenForm(),
            confirm=self.request.GET.get("confirm") == "1",
            **kwargs,
        )


class ReportEditView(PartnerOrHubMixin, ScopedReportMixin, FormView):
    """The phone-first form: a draft saves whatever parses, "check and submit" needs every required
    figure and leads to the summary. A save over someone else's answers 409 with both versions."""

    template_name = "reports/edit.html"
    form_class = ReportForm

    def get(self, request, *args, **kwargs):
        return self._if_editable(messages.info, super().get, request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._if_editable(messages.error, super().post, request, *args, **kwargs)

    def _if_editable(self, say, handler, request, *args, **kwargs):
        """Only a report the person may still change opens; otherwise its summary, with a message."""
        self.object = self.get_object()
        if not self.object.can_edit(request.user):
            say(request, _("This report cannot be changed now."))
            return redirect(self.object)
        return handler(request, *args, **kwargs)

    @property
    def for_submit(self) -> bool:
        return "review" in self.request.POST

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("initial")  # the form's initial values are the stored figures
        self.indicators = list(self.object.indicators())
        self.centres = list(self.object.centres())
        return {
            **kwargs,
            "report": self.object,
            "indicators": self.indicators,
            "centres": self.centres,
            "stored": _stored_values(self.object, self.indicators),
            "for_submit": self.for_submit,
            "rules": self.rules,
        }

    @cached_property
    def rules(self) -> list:
        return list(ValidationRule.objects.in_force(self.object.month))

    def get_context_data(self, **kwargs):
        # The rules run in the browser as the person types (reports/static/reports/rules.js).
        context = super().get_context_data(rules_json=[rule.as_json() for rule in self.rules], **kwargs)
        # Hints beside each figure: last month, the same month last year, flags of the saved figures.
        form = context["form"]
        outliers = Outliers(self.object, form.indicators, form.centres, form.stored)
        for key, indicator in form._cells():
            if key is not None and indicator.is_numeric:
                form[field_name(key, indicator)].hint = outliers.hint(key, indicator)
        for centre in form.centres:
            centre.flags = outliers.centre_flags(centre.pk)
        return context

    def form_invalid(self, form):
        messages.error(self.request, _("Some figures need correcting; nothing was saved."))
        return super().form_invalid(form)

    def form_valid(self, form):
        report = self.object
        try:
            do_save_report(
                report,
                form.values(),
                by=self.request.user,
                expected_version=form.cleaned_data["version"],
                warning_reasons=form.warning_reasons() if self.for_submit else None,
            )
        except StaleObjectError:
            return self.stale()
        except ReportError as error:
            messages.error(self.request, error.message)
            return redirect(report)
        if self.for_submit:
            return redirect(f"{reverse('reports:detail', args=[report.pk])}?confirm=1")
        messages.success(self.request, _("Draft saved."))
        return redirect("reports:edit", pk=report.pk)

    def stale(self):
        """Nothing was saved: show what the other person stored beside what was typed."""
        report = self.object
        report.refresh_from_db()
        fresh = ReportForm(
            self.request.POST,
            report=report,
            indicators=self.indicators,
            centres=self.centres,
            stored=_stored_values(report, self.indicators),
        )
        conflicts = fresh.conflicts()
        messages.error(self.request, STALE_MESSAGE)
        # The new version lets the next save go through once the person has compared.
        fresh.data = fresh.data.copy()
        fresh.data["version"] = report.version
        fresh.is_valid()
        context = self.get_context_data(form=fresh, conflicts=conflicts, stale=True)
        return self.render_to_response(context, status=409)


class ReportStepView(ScopedReportMixin, View):
    """A step of the lifecycle posted from a page: one ``actions.do_*`` call (``step``); a step that
    is not possible now is said in a message, and the person goes back to the report."""

    def step(self, report):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        self.object = report = self.get_object()
        try:
            self.step(report)
        except ReportError as error:
            messages.error(request, error.message)
        return redirect(self.get_success_url())

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class SubmitReportView(PartnerOrHubMixin, ReportStepView):
    def step(self, report):
        do_submit_report(report, by=self.request.user)
        messages.success(self.request, _("Report submitted. Thank you!"))


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


class ReviewStepView(HubRequiredMixin, ReportStepView):
    """A review step goes back where it was posted from (the queue), if that is a page of this site."""

    def get_success_url(self) -> str:
        target = self.request.POST.get("next", "")
        # Only a printable path of this site: redirect() would read anything else as a view name.
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()})
        if not (safe and target.startswith("/") and target.isprintable()):
            target = super().get_success_url()
        return target


class ApproveReportView(ReviewStepView):
    def step(self, report):
        # A flagged report is approved from its own page, which shows the flags and says so.
        if report.is_flagged and self.request.POST.get("flags_seen") != "1":
            raise ReportError(_("This report has outliers: open it and look at its flags before approving."))
        do_approve_report(report, by=self.request.user)
        messages.success(self.request, _("%(report)s approved.") % {"report": report})


class ReturnReportView(ReviewStepView):
    def step(self, report):
        form = ReturnForm(self.request.POST)
        if not form.is_valid():
            raise ReportError(_("Say what needs to change."))
        do_return_report(report, by=self.request.user, comment=form.cleaned_data["comment"])
        messages.success(self.request, _("%(report)s returned for revision.") % {"report": report})


class ReopenReportView(HubAdminRequiredMixin, ReviewStepView):
    def step(self, report):
        form = ReopenForm(self.request.POST)
        if not form.is_valid():
            raise ReportError(_("Give the reason for reopening."))
        do_reopen_report(report, by=self.request.user, reason=form.cleaned_data["reason"])
        messages.success(self.request, _("%(report)s reopened.") % {"report": report})


# ---------------------------------------------------------------------------------------------
# Completeness grid, figures, exports


def _prefecture_param(request):
    code = FiguresFilterForm(request.GET).value("prefecture")
    return Prefecture.objects.filter(code=code).first() if code else None


def _target_choice(request, year: int):
    """The indicators with targets in the year, and the one whose achievement the grid shows (if any)."""
    choices = targets.indicators_with_targets(year)
    code = FiguresFilterForm(request.GET).value("indicator")
    return choices, next((i for i in choices if i.code == code), None)


def _grid_achievement(grid, year: int, indicator) -> dict:
    """Achievement of every organisation of the grid for the chosen indicator (2 queries, none without)."""
    if indicator is None:
        return {}
    return targets.by_organisation([row.organisation.pk for row in grid.rows], year, indicator)


class GridView(HubRequiredMixin, TemplateView):
    """Which organisation handed in which month of a year, with the network's rates."""

    template_name = "reports/grid.html"
    # The rates cover every organisation; the rows are shown a hundred at a time (at 100x the
    # network a whole year is 12,000 cells and 2 MB of HTML).
    paginate_by = 100

    def get_context_data(self, **kwargs):
        request = self.request
        year = _year_param(request)
        prefectures = list(Prefecture.objects.all())
        code = FiguresFilterForm(request.GET).value("prefecture")
        prefecture = next((p for p in prefectures if p.code == code), None)
        # The same for every hub person: from the cache until the data version changes.
        grid = cached_grid(year, prefecture)
        target_indicators, target_indicator = _target_choice(request, year)
        # Pages of row numbers: only the page's rows are unpacked.
        page, query = paginate(request, range(len(grid)), self.paginate_by)
        lines = [grid.line(index) for index in page.object_list]
        # The achievements of the page's rows only (the export reads every row's).
        achieved = (
            targets.grid_achievements([line.pk for line in lines], year, target_indicator)
            if target_indicator
            else None
        )
        # One reverse() for the page and the rows as one string, not template tags: thousands of cells.
        prefix = reverse("reports:detail", args=[0])[: -len("0/")]
        rows = [GridPageRow(line, (achieved or {}).get(line.pk)) for line in lines]
        this_year = timezone.localdate().year
        return super().get_context_data(
            grid=grid,
            rows=rows,
            rows_html=rows_html(lines, grid.months, prefix, achieved),
            page=page,
            page_query=query,
            year=year,
            years=list(range(this_year, this_year - 8, -1)),
            prefectures=prefectures,
            prefecture=prefecture,
            target_indicators=target_indicators,
            target_indicator=target_indicator,
            Cell=Cell,
            cell_labels=dict(Cell.choices),
            query=query,
            **kwargs,
        )


class GridExportView(HubRequiredMixin, View):
    """The grid of a year as CSV or Excel."""

    def get(self, request):
        year = _year_param(request)
        grid = build_grid(year, _prefecture_param(request))
        _choices, indicator = _target_choice(request, year)
        headers, rows = exports.grid_table(grid, indicator, _grid_achievement(grid, year, indicator))
        return exports.download(
            headers,
            rows,
            f"report-grid-{year}",
            FiguresFilterForm(request.GET).value("format", "csv"),
            title=_("Reporting grid %(year)s") % {"year": year},
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
        fmt = FiguresFilterForm(request.GET).value("format", "csv")
        title = _("Monthly figures %(year)s") % {"year": year}
        # A row per centre and month: the network's year (seconds of SQL and writing) goes to the worker.
        background = in_background(request, rows=reports.count(), title=title, fmt=fmt)
        if background is not None:
            return background
        indicators = exports.ordered_indicators()
        headers, rows = exports.figures_table(reports, indicators)
        # The year's targets and the share achieved, as rows below the figures (2 queries).
        organisations = Organisation.objects.for_user(request.user).active()
        if prefecture:
            organisations = organisations.filter(prefecture=prefecture)
        found = targets.achievements(
            organisations.values_list("pk", flat=True),
            year,
            related=("organisation__prefecture",),
            user=request.user,
        )
        rows += exports.target_rows(found, indicators, year)
        return exports.download(
            headers, tracked(request, rows, len(rows)), f"report-figures-{year}", fmt, title=title
        )


class NetworkFiguresView(RoleRequiredMixin, TemplateView):
    """Network totals of one indicator per month and prefecture, last 12 months, with a bar chart.

    Only aggregates are shown (handed-in reports), so viewers (funders, government) may see it too.
    """

    allowed_roles = frozenset({Role.HUB_ADMIN, Role.HUB_STAFF, Role.VIEWER})
    template_name = "reports/figures.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        fmt = FiguresFilterForm(request.GET).value("format")
        if fmt and context["indicator"]:
            # The table as shown: aggregates only, so viewers may download it too.
            return figures_page.download(context, fmt)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        indicators = list(Indicator.objects.numeric().filter(scope=Scope.CENTRE))
        code = FiguresFilterForm(self.request.GET).value("indicator", "child_visits")
        indicator = next((i for i in indicators if i.code == code), indicators[0] if indicators else None)
        last = periods.add_months(periods.first_of(timezone.localdate()), -1)
        months = periods.months_between(periods.add_months(last, -11), last)
        prefectures = list(Prefecture.objects.all())
        # The numbers are the same for everyone: from the cache until the data version changes.
        figures = figures_page.network_figures(indicator, months)
        by_pk = {prefecture_id: (values, total) for prefecture_id, values, total in figures["table"]}
        table = [(p, *by_pk[p.pk]) for p in prefectures if p.pk in by_pk]
        month_totals = figures["month_totals"]
        chart = bar_chart([m.strftime("%y-%m") for m in months], [v or 0 for v in month_totals])
        received = figures["reports_by_month"]
        return super().get_context_data(
            reports_by_month=received,
            short_months=[row for row in received if row["missing"]],
            indicators=indicators,
            indicator=indicator,
            # Each month's figure in its true unit (人 for people, 人次 for visits).
            indicator_heading=figure_heading(indicator, over_months=False) if indicator else "",
            months=months,
            table=table,
            month_totals=month_totals,
            grand_total=figures["grand_total"],
            chart=chart,
            **kwargs,
        )


# ---------------------------------------------------------------------------------------------
# Indicators


class IndicatorListView(HubRequiredMixin, SingleTableView):
    """Every indicator, current and retired (hub people; hub admins change them)."""

    model = Indicator
    table_class = IndicatorTable
    template_name = "reports/indicator_list.html"
    paginate_by = 100

    def get_queryset(self):
        return Indicator.objects.all()


class IndicatorCreateView(HubAdminRequiredMixin, CreateView):
    """A new figure reports ask for from its first month on."""

    model = Indicator
    form_class = IndicatorForm
    template_name = "reports/indicator_form.html"

    def get_success_url(self):
        return reverse("reports:indicator_list")


class IndicatorUpdateView(HubAdminRequiredMixin, UpdateView):
    """Labels, bounds and the months an indicator applies to (its code stays)."""

    model = Indicator
    form_class = IndicatorForm
    template_name = "reports/indicator_form.html"

    def get_success_url(self):
        return reverse("reports:indicator_list")
