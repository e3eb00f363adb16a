"""The completeness and timeliness grid (DHIS2's reporting-rate summary) in a fixed number of queries.

Expected: a report from every active organisation (the hub included) for each month in which at
least one of its centres was operating, once the month has ended. Reported: handed in at least once
(returned reports count, they were handed in). On time: first handed in by the due date. Rates are
taken over the expected reports whose due date has passed.
"""

from __future__ import annotations

import datetime
from array import array
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import formats, timezone
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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


class GridLine(NamedTuple):
    """One organisation's row in plain values (``summarise``): cell codes and report ids by month."""

    pk: int
    name: str
    display_name: str
    prefecture_name: str
    cells: tuple[str, ...]
    report_ids: tuple[int | None, ...]
    expected: int
    reported: int
    on_time: int

    @property
    def rate(self) -> Rate:
        return Rate(self.expected, self.reported, self.on_time)


@dataclass
class GridSummary:
    """The grid packed for the cache: unpickling a thousand rows of tuples took longer than the rest
    of a cached page, so each row keeps its cells as one string of indexes into ``CELL_CODES`` and
    the report ids of every row are one array (0: no report), ``len(months)`` per row."""

    months: list[datetime.date]
    # (pk, name, display name, prefecture name, cells, expected, reported, on time) per organisation
    packed: list[tuple]
    report_ids: array
    month_rates: list[Rate]
    total: Rate

    def __len__(self) -> int:
        return len(self.packed)

    def line(self, index: int) -> GridLine:
        pk, name, display_name, prefecture_name, cells, expected, reported, on_time = self.packed[index]
        width = len(self.months)
        ids = self.report_ids[index * width : (index + 1) * width]
        return GridLine(
            pk,
            name,
            display_name,
            prefecture_name,
            tuple(CELL_CODES[int(c)] for c in cells),
            tuple(pk or None for pk in ids),
            expected,
            reported,
            on_time,
        )

    @property
    def rows(self) -> list[GridLine]:
        """Every row unpacked (the page unpacks only its own: ``line``)."""
        return [self.line(index) for index in range(len(self.packed))]


CELL_CODES = tuple(Cell.values)


class GridPageRow(NamedTuple):
    """A row of the page: the organisation's line and its target's achievement (None: no target)."""

    line: GridLine
    achievement: object | None

    @property
    def pk(self) -> int:
        return self.line.pk


# In the cache key: a deploy that changes what an entry holds must not read the entries of the one before.
GRID_ENTRY_FORMAT = 2
# The entry is checked against the data version on every read; the timeout only frees memory.
GRID_CACHE_SECONDS = 3600


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
    chosen = Organisation.objects.active()
    if prefecture:
        chosen = chosen.filter(prefecture=prefecture)
    organisations = (
        chosen.select_related("prefecture")
        .only("pk", "name", "short_name", "prefecture", "prefecture__code", "prefecture__name")
        .order_by("prefecture__code", "name")
    )
    organisations = list(organisations)
    if not months or not organisations:
        return Grid(months, [GridRow(org) for org in organisations], [Rate() for _ in months], Rate())
    first, last = months[0], periods.last_of(months[-1])
    # The same organisations as a subquery: a thousand ids as parameters cost more to bind than
    # the join costs PostgreSQL.
    ids = chosen.values("pk")
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
                cell = _REPORT_CELL.get((status, first_on_time), Cell.DRAFT)
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


def summarise(grid: Grid) -> GridSummary:
    """The grid in plain values (no model instances, cell codes instead of translated labels): what
    the page needs, small enough to keep in the cache and read back in a few milliseconds."""
    index_of = {code: str(index) for index, code in enumerate(CELL_CODES)}
    packed = [
        (
            row.organisation.pk,
            row.organisation.name,
            row.organisation.display_name,
            row.organisation.prefecture.name,
            "".join(index_of[cell] for _m, cell, _pk, _label in row.cells),
            row.rate.expected,
            row.rate.reported,
            row.rate.on_time,
        )
        for row in grid.rows
    ]
    report_ids = array("q", [pk or 0 for row in grid.rows for _m, _cell, pk, _label in row.cells])
    return GridSummary(grid.months, packed, report_ids, grid.month_rates, grid.total)


def cached_grid(year: int, prefecture=None, today: datetime.date | None = None) -> GridSummary:
    """``summarise(build_grid(...))``, from the cache while the network's data version is unchanged.

    The grid is the same for every hub person; it changes with organisations, centres and reports
    (each save sets a new data version, ``partners.coverage.data_changed``) and with the day (a month
    falls due). The version is kept in the entry, not in its name, so a hit reads both in one round
    trip; it is read before the database, so a change committed meanwhile leaves an entry that the
    next request does not believe."""
    from partners.coverage import cached_as_of_version

    today = today or timezone.localdate()
    code = prefecture.code if prefecture else ""
    key = f"reports:grid:{GRID_ENTRY_FORMAT}:{year}:{code}:{today.isoformat()}"
    return cached_as_of_version(
        key, lambda: summarise(build_grid(year, prefecture, today)), GRID_CACHE_SECONDS
    )


def rows_html(
    lines: list[GridLine],
    months: list[datetime.date],
    report_url_prefix: str,
    achieved: dict | None = None,
) -> str:
    """The page's rows (``<tr>`` each) as one safe string, built in one pass: a hundred rows are 1,200
    cells, which as template tags cost more than the rest of the page. Each kind of cell of each month
    is escaped once, only the report's id varies. With ``achieved`` (``targets.by_organisation``),
    the target column's cell ends each row."""
    names = {code: str(label) for code, label in Cell.choices}
    badges = {
        cell: f'<span class="cell cell-{cell}" title="{escape(name)}">{escape(name[:2])}</span>'
        for cell, name in names.items()
    }
    # Each month's opening tag and badge for every kind of cell, escaped once for the page.
    parts = [
        {
            cell: (f'<td data-month="{month:%Y-%m}" data-cell="{cell}">', badge)
            for cell, badge in badges.items()
        }
        for month in months
    ]

    def number(value) -> str:
        if value is None:
            return "—"
        if type(value) is int:  # the rates and percentages: what the template's localize() wrote
            return str(value)
        return conditional_escape(formats.localize(value))

    prefix = conditional_escape(report_url_prefix)
    target_word = conditional_escape(pgettext("reports", "Target"))
    no_target = format_html(
        '<td class="achievement"><span class="text-muted" title="{}">·</span></td>', _("No target")
    )
    html = []
    for line in lines:
        html.append(
            format_html(
                '<tr><td class="org" title="{}">{} <span class="text-muted small">{}</span></td>',
                line.name,
                line.display_name,
                line.prefecture_name,
            )
        )
        for month_parts, cell, pk in zip(parts, line.cells, line.report_ids, strict=True):
            opening, badge = month_parts[cell]
            if cell == Cell.NOT_EXPECTED:
                html.append(f"{opening}</td>")
                continue
            if pk:
                # pk is an int from the database: nothing to escape.
                badge = f'<a href="{prefix}{int(pk)}/" class="text-decoration-none">{badge}</a>'
            html.append(f"{opening}{badge}</td>")
        rate = line.rate
        html.append(f"<td>{number(rate.reporting_rate)}%</td><td>{number(rate.on_time_rate)}%</td>")
        if achieved is not None:
            found = achieved.get(line.pk)
            if found is None:
                html.append(no_target)
            else:
                percent = number(found.percent) + ("%" if found.percent is not None else "")
                html.append(
                    f'<td class="achievement"><span title="{target_word} {number(found.target_value)}">'
                    f"{percent}</span></td>"
                )
        html.append("</tr>\n")
    return mark_safe("".join(html))  # noqa: S308 (every part is escaped above)


def _centre_spans(ids, first: datetime.date, last: datetime.date) -> dict[int, list[tuple]]:
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


def _reports(ids, first: datetime.date, last: datetime.date) -> dict[tuple, tuple]:
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


def _report_cells() -> dict[tuple[str, bool], str]:
    """``_report_cell`` for every status as a table: the grid looks up ten thousand cells."""
    return {
        (str(status), first_on_time): _report_cell(status, first_on_time)
        for status in ReportStatus.values
        for first_on_time in (False, True)
    }


def _report_cell(status: str, first_on_time: bool) -> str:
    """A report's cell, given whether it was first submitted by its due date."""
    if status in COUNTED_STATUSES:
        return Cell.ON_TIME if first_on_time else Cell.LATE
    if status == ReportStatus.RETURNED:
        return Cell.RETURNED
    return Cell.DRAFT


_REPORT_CELL = _report_cells()
