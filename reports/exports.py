"""CSV and XLSX downloads of the grid and of the figures, through ``hubsite.core.exports``."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hubsite.core import exports as core_exports
from hubsite.core.exports import export_cell

from .choices import Cell, ReportStatus, Scope
from .models import Indicator, ReportValue
from .rollup import figure_heading


def download(headers: list, rows, filename: str, fmt: str, title) -> HttpResponse:
    """Through the project's one export path (BOM, local time, 是/否, CJK widths, frozen header)."""
    cells = ([export_cell(cell) for cell in row] for row in rows)
    return core_exports.download(headers, cells, filename, fmt, title=title)


def grid_table(grid, indicator=None, achieved: dict | None = None) -> tuple[list, list]:
    """The grid; with an ``indicator``, each organisation's target for it and the share achieved
    (``achieved``: ``reports.targets.by_organisation``)."""
    headers = [_("Organisation"), _("Prefecture")] + [m.strftime("%Y-%m") for m in grid.months]
    headers += [_("Reporting rate (%)"), _("On-time rate (%)")]
    if indicator is not None:
        heading = figure_heading(indicator)
        headers += [f"{heading} {pgettext('reports', 'target')}", f"{heading} {_('Achieved (%)')}"]
    rows = []
    for row in grid.rows:
        cells = [label if cell != Cell.NOT_EXPECTED else "" for _month, cell, _pk, label in row.cells]
        line = [row.organisation.name, row.organisation.prefecture.name, *cells]
        line += [row.rate.reporting_rate, row.rate.on_time_rate]
        if indicator is not None:
            found = (achieved or {}).get(row.organisation.pk)
            line += [found.target_value, found.percent] if found else ["", ""]
        rows.append(line)
    return headers, rows


def figures_table(reports, indicators: list[Indicator]) -> tuple[list, list]:
    """One row per centre and month (organisation-wide notes on a row of their own), indicators as columns."""
    statuses = dict(ReportStatus.choices)
    columns = {i.pk: index for index, i in enumerate(indicators)}
    by_pk = {i.pk: i for i in indicators}
    headers = [_("Month"), _("Prefecture"), _("Organisation"), _("Centre"), _("Status")] + [
        f"{i.label} ({i.code})" for i in indicators
    ]
    values = (
        ReportValue.objects.filter(report__in=reports, indicator_id__in=list(columns))
        .order_by("month", "report__organisation__name", "report_id", "centre__name", "centre_id")
        .values_list(
            "month",
            "report__organisation__prefecture__name",
            "report__organisation__name",
            "report__status",
            "report_id",
            "centre_id",
            "centre__name",
            "indicator_id",
            "number",
            "text",
        )
    )
    rows, current_key, current = [], None, None
    for (
        month,
        prefecture,
        org,
        status,
        report_id,
        centre_id,
        centre,
        indicator_id,
        number,
        text,
    ) in values.iterator(chunk_size=5000):
        key = (report_id, centre_id)
        if key != current_key:
            current_key = key
            label = centre if centre_id else _("(whole organisation)")
            current = [month.strftime("%Y-%m"), prefecture, org, label, str(statuses[status])] + [""] * len(
                columns
            )
            rows.append(current)
        indicator = by_pk[indicator_id]
        current[5 + columns[indicator_id]] = (
            indicator.from_storage(number, text) if indicator.is_numeric else text
        )
    return headers, rows


def target_rows(found: dict, indicators: list[Indicator], year: int) -> list[list]:
    """Below the figures, two rows per organisation (and per centre with targets of its own): its
    targets for the year in the indicators' columns, then the share achieved so far (``found``:
    ``reports.targets.achievements``). The targets are in each indicator's roll-up terms."""
    columns = {i.pk: index for index, i in enumerate(indicators)}
    rows = []
    for achievements in found.values():
        by_unit: dict = {}
        for achievement in achievements:
            by_unit.setdefault(achievement.target.centre, []).append(achievement)
        for centre, unit_rows in by_unit.items():
            org = unit_rows[0].target.organisation
            label = centre.name if centre else _("(whole organisation)")
            lead = [str(year), org.prefecture.name if org.prefecture_id else "", org.name, label]
            target_line = [*lead, pgettext("reports", "target")] + [""] * len(columns)
            achieved_line = [*lead, _("Achieved (%)")] + [""] * len(columns)
            for achievement in unit_rows:
                column = columns.get(achievement.indicator.pk)
                if column is None:
                    continue
                target_line[5 + column] = achievement.target_value
                achieved_line[5 + column] = achievement.percent if achievement.percent is not None else ""
            rows += [target_line, achieved_line]
    return rows


def ordered_indicators() -> list[Indicator]:
    # Centre figures first, then the organisation's notes, in display order.
    return sorted(Indicator.objects.all(), key=lambda i: (i.scope != Scope.CENTRE, i.order, i.code))
