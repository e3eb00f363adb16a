"""The XLSX: one sheet per section, streamed (openpyxl write-only) so memory stays flat.

Numbers are written as numbers, headers in Chinese (the report's language) with the header row
frozen, and every text cell neutralised against formula injection (``hubsite.core.exports.neutralise``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hubsite.core.exports import neutralise

from ..rollup import figure_heading
from .content import Figure

BOLD = Font(bold=True)


def _sheet(workbook, title: str, headers: list[str], widths: list[int] | None = None):
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "B2" if len(headers) > 2 else "A2"
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=neutralise(str(text)))
        cell.font = BOLD
        header.append(cell)
    sheet.append(header)
    return sheet


def _row(values) -> list:
    return [neutralise(v) if isinstance(v, str) else v for v in values]


def _indicator_header(indicator, *, over_months: bool = True) -> str:
    """The figure's label with its unit and, over several months, how it adds up (e.g. 在册家庭（户，月均）)."""
    return figure_heading(indicator, over_months=over_months)


def write_xlsx(content, target) -> None:
    """Write the XLSX to ``target`` (a path or a binary file object), the sheets in reading order."""
    workbook = Workbook(write_only=True)
    _summary_sheet(workbook, content)
    if content.year_in_numbers:
        _year_sheet(workbook, content)
    _coverage_sheets(workbook, content)
    _totals_sheet(workbook, content)
    _breakdown_sheets(workbook, content)
    if content.target_rows:
        _targets_sheet(workbook, content)
    _monthly_sheet(workbook, content)
    _rates_sheet(workbook, content)
    _meetings_sheet(workbook, content)
    workbook.save(target)


def _summary_sheet(workbook, content) -> None:
    sheet = _sheet(workbook, pgettext("regional", "Summary"), [_("Item"), _("Value")], [36, 18])
    rows = [
        (_("Report"), content.title),
        (_("Period starts"), content.start.isoformat()),
        (_("Period ends"), content.end.isoformat()),
        (_("Prefectures with centres"), len(content.coverage.covered)),
        (_("Prefectures without centres"), len(content.coverage.uncovered)),
        (_("Centres operating (scope)"), content.centres_operating),
        (_("Opened in the period"), len(content.openings)),
        (_("Closed in the period"), content.closures),
        (_("Expected reports"), content.rate.expected),
        (_("Reported"), content.rate.reported),
        (_("On time"), content.rate.on_time),
        (_("Network meetings held"), len(content.meetings)),
        (_("Active partners supervised"), content.supervised),
        (_("Active partners"), content.to_supervise),
        (_("Members at the end of the period"), content.members),
        (_("Joined in the period"), content.members_joined),
        (_("Expansion funding approved"), content.funding_approved),
        (_("Expansion funding (yuan)"), content.funding_amount),
        (_("Study visits"), content.study_visits),
        (_("Study visit cost (yuan)"), content.study_visit_cost),
        (_("Coaching sessions"), content.coaching_sessions),
    ]
    for label, value in rows:
        sheet.append(_row([str(label), value]))


def _year_sheet(workbook, content) -> None:
    sheet = _sheet(workbook, _("The year in numbers"), [_("Item"), _("Value"), _("Unit")], [36, 16, 12])
    for label, value, unit in content.year_in_numbers:
        sheet.append(_row([str(label), value, str(unit)]))


def _coverage_sheets(workbook, content) -> None:
    """Prefectures with their centres, centres by site type, and the centres opened in the period."""
    sheet = _sheet(
        workbook,
        _("Coverage"),
        [
            _("Prefecture"),
            _("Code"),
            pgettext("count", "Centres"),
            pgettext("count", "Organisations"),
            _("Demonstration centres"),
        ],
        [14, 10, 10, 10, 12],
    )
    for p in content.coverage.prefectures:
        sheet.append(
            _row([p.prefecture.name, p.prefecture.code, p.centres, p.organisations, p.demonstration])
        )
    sheet = _sheet(
        workbook, _("Centres by site type"), [_("Site type"), pgettext("count", "Centres")], [24, 10]
    )
    for label, count in content.centres_by_type:
        sheet.append(_row([label, count]))
    sheet = _sheet(workbook, _("Openings"), [_("Centre"), _("Organisation"), _("Opened on")], [30, 20, 12])
    for name, org, day in content.openings:
        sheet.append(_row([name, org or "", day]))


def _totals_sheet(workbook, content) -> None:
    sheet = _sheet(
        workbook,
        _("Indicator totals"),
        [
            _("Indicator"),
            _("This period"),
            _("Previous period"),
            pgettext("regional", "Change"),
            _("Change (%)"),
        ],
        [30, 14, 14, 12, 12],
    )
    for indicator in content.indicators:
        figure = content.totals.get(indicator.pk, Figure())
        sheet.append(
            _row(
                [
                    _indicator_header(indicator),
                    figure.current,
                    figure.previous,
                    figure.change,
                    figure.change_pct,
                ]
            )
        )


def _figure_values(indicators, figures) -> list:
    """This period's and the previous period's value of each indicator, side by side."""
    values = []
    for indicator in indicators:
        figure = figures.get(indicator.pk, Figure())
        values += [figure.current, figure.previous]
    return values


def _breakdown_sheets(workbook, content) -> None:
    """Every indicator by prefecture and by organisation, each with its previous-period value."""
    indicators = content.indicators
    figure_headers = []
    for indicator in indicators:
        label = _indicator_header(indicator)
        figure_headers += [label, pgettext("xlsx header", "%(figure)s, previous period") % {"figure": label}]
    sheet = _sheet(workbook, _("By prefecture"), [_("Prefecture"), *figure_headers])
    for prefecture, figures in content.by_prefecture:
        sheet.append(_row([prefecture.name, *_figure_values(indicators, figures)]))

    sheet = _sheet(
        workbook,
        _("By organisation"),
        [
            _("Organisation"),
            _("Prefecture"),
            _("Reporting rate (%)"),
            _("Supervisions held"),
            *figure_headers,
        ],
    )
    for row in content.by_organisation:
        org = row.organisation
        sheet.append(
            _row(
                [
                    org.name,
                    org.prefecture.name if org.prefecture_id else "",
                    row.rate.reporting_rate,
                    row.supervisions,
                    *_figure_values(indicators, row.figures),
                ]
            )
        )


def _targets_sheet(workbook, content) -> None:
    """Each organisation's targets for the year beside the year's figure (annual reports)."""
    sheet = _sheet(
        workbook,
        pgettext("reports", "Targets"),
        [
            _("Organisation"),
            _("Indicator"),
            pgettext("reports", "target"),
            pgettext("reports", "Achieved"),
            _("Achieved (%)"),
        ],
        [30, 30, 14, 14, 12],
    )
    for row in content.target_rows:
        for target in row.targets:
            sheet.append(
                _row(
                    [
                        row.organisation.name,
                        _indicator_header(target.indicator),
                        target.target,
                        target.achieved,
                        target.percent,
                    ]
                )
            )


def _monthly_sheet(workbook, content) -> None:
    sheet = _sheet(
        workbook, _("Monthly figures"), [_("Indicator"), *[m.strftime("%Y-%m") for m in content.months]], [30]
    )
    for indicator in content.indicators:
        sheet.append(
            _row([_indicator_header(indicator, over_months=False), *content.monthly.get(indicator.pk, [])])
        )


def _rates_sheet(workbook, content) -> None:
    sheet = _sheet(
        workbook,
        _("Reporting rates"),
        [
            _("Month"),
            _("Expected"),
            _("Reported"),
            _("On time"),
            _("Reporting rate (%)"),
            _("On-time rate (%)"),
        ],
        [10, 10, 10, 10, 14, 14],
    )
    for month, rate in content.month_rates:
        sheet.append(
            _row(
                [
                    month.strftime("%Y-%m"),
                    rate.expected,
                    rate.reported,
                    rate.on_time,
                    rate.reporting_rate,
                    rate.on_time_rate,
                ]
            )
        )


def _meetings_sheet(workbook, content) -> None:
    sheet = _sheet(
        workbook,
        _("Meetings"),
        [_("Date"), _("Meeting"), _("Kind"), _("Invited"), _("Present")],
        [12, 36, 20, 10, 10],
    )
    for m in content.meetings:
        sheet.append(_row([m.day, m.title, m.kind_label, m.invited, m.present]))
