"""The completeness and timeliness grid (DHIS2's reporting-rate summary) in a fixed number of queries.

Expected: a report from every active organisation (the hub included) for each month in which at
least one of its centres was operating, once the month has ended. Reported: handed in at least once
(returned reports count, they were handed in). On time: first handed in by the due date. Rates are
taken over the expected reports whose due date has passed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from partners.models import Centre, Organisation

from . import periods
from .choices import COUNTED_STATUSES, Cell, ReportStatus
from .models import MonthlyReport


@dataclass
class Rate:
    """Counts over the expected reports whose due date has passed (a cell not yet due is not counted)."""

    expected: int = 0
    reported: int = 0
    on_time: int = 0

    def add(self, cell: str, first_on_time: bool) -> None:
        if cell in (Cell.NOT_EXPECTED, Cell.NOT_DUE):
            return
        self.expected += 1
        if cell in (Cell.ON_TIME, Cell.LATE, Cell.RETURNED):
            self.reported += 1
            self.on_time += first_on_time

    @property
    def reporting_rate(self) -> float | None:
        return round(100 * self.reported / self.expected) if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.expected) if self.expected else None


HANDED_IN = frozenset({Cell.ON_TIME, Cell.LATE, Cell.RETURNED})


@dataclass
class GridRow:
    organisation: Organisation
    cells: list[tuple[datetime.date, str, int | None, str]] = field(default_factory=list)
    rate: Rate = field(default_factory=Rate)


@dataclass
class Grid:
    months: list[datetime.date]
    rows: list[GridRow]
    month_rates: list[Rate]
    total: Rate


def months_of(year: int, today: datetime.date | None = None) -> list[datetime.date]:
    """The months of a year that have ended (a report cannot exist for the current month)."""
    today = today or timezone.localdate()
    current = periods.first_of(today)
    return [
        m
        for m in periods.months_between(datetime.date(year, 1, 1), datetime.date(year, 12, 1))
        if m < current
    ]


def build_grid(year: int, prefecture=None, today: datetime.date | None = None) -> Grid:
    """The year's ended months by active organisation (3 queries), with rates per row, month and total."""
    today = today or timezone.localdate()
    months = months_of(year, today)
    # Only what the grid shows: a whole organisation row (JSON fields included) costs ten times as
    # much to build, and the rates need every active organisation, not only the page's.
    organisations = (
        Organisation.objects.active()
        .select_related("prefecture")
        .only("pk", "name", "short_name", "prefecture", "prefecture__code", "prefecture__name")
        .order_by("prefecture__code", "name")
    )
    if prefecture:
        organisations = organisations.filter(prefecture=prefecture)
    organisations = list(organisations)
    if not months or not organisations:
        return Grid(months, [GridRow(org) for org in organisations], [Rate() for _ in months], Rate())
    first, last = months[0], periods.last_of(months[-1])
    ids = [org.pk for org in organisations]
    spans = _centre_spans(ids, first, last)
    reports = _reports(ids, first, last)
    labels = {code: str(label) for code, label in Cell.choices}
    # Per month once, not per cell: the bench grid has 12,000 cells, which this loop classifies
    # with plain tuples and counters (the rates need every organisation, not only the page's).
    month_info = [
        (index, month, periods.last_of(month), periods.due_date(month), today > periods.due_date(month))
        for index, month in enumerate(months)
    ]
    # [expected, reported, on time] per month; Rate objects are made once at the end.
    month_counts = [[0, 0, 0] for _ in months]
    rows = []
    for org in organisations:
        row = GridRow(org)
        org_spans = spans.get(org.pk, ())
        cells = row.cells
        expected = reported = on_time = 0
        for index, month, month_end, due, overdue in month_info:
            report = reports.get((org.pk, month))
            if report is not None:
                status, submitted_on, pk = report
                first_on_time = submitted_on is not None and submitted_on <= due
                cell = _report_cell(status, first_on_time)
            else:
                pk, first_on_time = None, False
                if any(o <= month_end and (c is None or c >= month) for o, c in org_spans):
                    cell = Cell.MISSING if overdue else Cell.NOT_DUE
                else:
                    cells.append((month, Cell.NOT_EXPECTED, None, labels[Cell.NOT_EXPECTED]))
                    continue
            cells.append((month, cell, pk, labels[cell]))
            if cell == Cell.NOT_DUE:
                continue
            counts = month_counts[index]
            expected += 1
            counts[0] += 1
            if cell in HANDED_IN:
                reported += 1
                counts[1] += 1
                if first_on_time:
                    on_time += 1
                    counts[2] += 1
        row.rate = Rate(expected, reported, on_time)
        # Organisations with nothing expected this year (no centre operating yet) would be noise.
        if expected or any(cell != Cell.NOT_EXPECTED for _m, cell, _pk, _label in cells):
            rows.append(row)
    month_rates = [Rate(*counts) for counts in month_counts]
    total = Rate(*(sum(counts[i] for counts in month_counts) for i in range(3)))
    return Grid(months, rows, month_rates, total)


def rows_html(rows: list[GridRow], report_url_prefix: str) -> None:
    """Set ``row.html``: the row's month cells as one safe string (the page's hundred rows are 1,200
    cells; each kind of cell of each month is escaped once, only the report's id varies)."""
    if not rows:
        return
    made: dict = {}

    def parts(month: datetime.date, cell: str, label: str) -> tuple[str, str]:
        key = (month, cell)
        if key not in made:
            opening = format_html('<td data-month="{}" data-cell="{}">', month.strftime("%Y-%m"), cell)
            badge = format_html('<span class="cell cell-{}" title="{}">{}</span>', cell, label, label[:2])
            made[key] = (str(opening), str(badge))
        return made[key]

    prefix = conditional_escape(report_url_prefix)
    for row in rows:
        html = []
        for month, cell, pk, label in row.cells:
            if cell == Cell.NOT_EXPECTED:
                opening, _badge = parts(month, cell, label)
                html.append(f"{opening}</td>")
                continue
            opening, badge = parts(month, cell, label)
            if pk:
                # pk is an int from the database: nothing to escape.
                badge = f'<a href="{prefix}{int(pk)}/" class="text-decoration-none">{badge}</a>'
            html.append(f"{opening}{badge}</td>")
        row.html = mark_safe("".join(html))  # noqa: S308 (every part is escaped above)


def _centre_spans(ids: list[int], first: datetime.date, last: datetime.date) -> dict[int, list[tuple]]:
    """(opened, closed) of each organisation's centres that operated at some point in first..last."""
    spans: dict[int, list[tuple]] = {}
    centres = (
        Centre.objects.filter(organisation_id__in=ids, opened_on__isnull=False, opened_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .values_list("organisation_id", "opened_on", "closed_on")
    )
    for org_id, opened, closed in centres:
        spans.setdefault(org_id, []).append((opened, closed))
    return spans


def _reports(ids: list[int], first: datetime.date, last: datetime.date) -> dict[tuple, tuple]:
    """(status, local day first submitted, pk) of the organisations' reports by (organisation id, month).

    The day is taken in the hub's zone by PostgreSQL: converting 12,000 timestamps in Python was a
    fifth of the page's time."""
    return {
        (org_id, month): (status, submitted_on, pk)
        for org_id, month, status, submitted_on, pk in MonthlyReport.objects.filter(
            organisation_id__in=ids, month__gte=first, month__lte=last
        )
        .annotate(submitted_on=TruncDate("first_submitted_at", tzinfo=timezone.get_current_timezone()))
        .values_list("organisation_id", "month", "status", "submitted_on", "pk")
    }


def _report_cell(status: str, first_on_time: bool) -> str:
    """A report's cell, given whether it was first submitted by its due date."""
    if status in COUNTED_STATUSES:
        return Cell.ON_TIME if first_on_time else Cell.LATE
    if status == ReportStatus.RETURNED:
        return Cell.RETURNED
    return Cell.DRAFT
