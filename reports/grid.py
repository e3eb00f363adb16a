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
from django.utils import timezone

from partners.models import Centre, Organisation

from . import periods
from .choices import COUNTED_STATUSES, Cell, ReportStatus
from .models import MonthlyReport


@dataclass
class Rate:
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
    organisations = (
        Organisation.objects.active().select_related("prefecture").order_by("prefecture__code", "name")
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
    # Per month once, not per cell: the bench grid has 12,000 cells.
    month_info = [
        (month, periods.last_of(month), periods.due_date(month), today > periods.due_date(month))
        for month in months
    ]
    month_rates = [Rate() for _ in months]
    total = Rate()
    rows = []
    for org in organisations:
        row = GridRow(org)
        org_spans = spans.get(org.pk, [])
        for index, (month, month_end, due, overdue) in enumerate(month_info):
            if report := reports.get((org.pk, month)):
                status, submitted, pk = report
                cell, first_on_time = _report_cell(status, submitted, due)
            else:
                pk, first_on_time = None, False
                expected = any(o <= month_end and (c is None or c >= month) for o, c in org_spans)
                cell = (Cell.MISSING if overdue else Cell.NOT_DUE) if expected else Cell.NOT_EXPECTED
            row.cells.append((month, cell, pk, labels[cell]))
            if cell != Cell.NOT_EXPECTED:
                row.rate.add(cell, first_on_time)
                month_rates[index].add(cell, first_on_time)
                total.add(cell, first_on_time)
        # Organisations with nothing expected this year (no centre operating yet) would be noise.
        if row.rate.expected or any(cell != Cell.NOT_EXPECTED for _m, cell, _pk, _label in row.cells):
            rows.append(row)
    return Grid(months, rows, month_rates, total)


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
    """(status, first submitted at, pk) of the organisations' reports by (organisation id, month)."""
    return {
        (org_id, month): (status, submitted, pk)
        for org_id, month, status, submitted, pk in MonthlyReport.objects.filter(
            organisation_id__in=ids, month__gte=first, month__lte=last
        ).values_list("organisation_id", "month", "status", "first_submitted_at", "pk")
    }


def _report_cell(status: str, submitted, due: datetime.date) -> tuple[str, bool]:
    """A report's cell and whether it was first submitted by its due date."""
    submitted_on = timezone.localtime(submitted).date() if submitted else None
    first_on_time = submitted_on is not None and submitted_on <= due
    if status in COUNTED_STATUSES:
        return (Cell.ON_TIME if first_on_time else Cell.LATE), first_on_time
    if status == ReportStatus.RETURNED:
        return Cell.RETURNED, first_on_time
    return Cell.DRAFT, first_on_time
