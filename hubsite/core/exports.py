"""Spreadsheet exports: one path for every table and download, so each file opens right in Excel/WPS.

Every cell goes through ``export_cell``: times in the hub's local zone to the minute, months as
2026-09, yes/no as 是/否, numbers as numbers and text made inert for spreadsheets. CSVs carry the UTF-8
BOM that Excel and WPS on Chinese Windows need to read anything but mojibake; XLSX sheets get a frozen
bold header, columns wide enough for Chinese text and a sheet name in the reader's language.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import islice

import django_tables2 as tables
import openpyxl
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.translation import pgettext
from django_tables2.export import ExportMixin, TableExport
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# A cell starting with one of these is read as a formula by Excel/WPS/LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Widths are measured on the header and the first rows: enough to fit a column, cheap on 50,000 rows.
WIDTH_SAMPLE_ROWS = 200
MAX_COLUMN_WIDTH = 60
# Above this many rows an export is built by the worker (issue #19: no request over 3 s); below, the
# file is written in the request (about 0.3 s per thousand XLSX rows on the 2-core machine).
SYNC_MAX_ROWS = 3000
# Excel refuses these in a sheet name, and caps it at 31 characters.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise(value):
    """Make a text cell inert for spreadsheets by prefixing a quote (OWASP's advice); numbers pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_cell(value, *, month: bool = False):
    """One cell as a spreadsheet should hold it (see the module's docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return pgettext("export", "Yes") if value else pgettext("export", "No")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m") if month else value.strftime("%Y-%m-%d")
    if isinstance(value, int | float | Decimal):
        return value
    return neutralise(force_str(value) if isinstance(value, Promise) else str(value))


def display_width(text) -> int:
    """Columns a text needs: Chinese characters are twice as wide as Latin ones."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def sheet_name(title) -> str:
    return SHEET_NAME_FORBIDDEN.sub(" ", force_str(title)).strip()[:31] or "Sheet1"


def csv_bytes(headers: Sequence, rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([force_str(h) for h in headers])
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(title, headers: Sequence, rows: Iterable[Sequence]) -> bytes:
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
    widths = [display_width(force_str(h)) for h in headers]
    for row in sample:
        for index, cell in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], display_width(cell))
    # openpyxl's write-only mode streams rows: several times faster than a normal workbook on big exports.
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name(title))
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_COLUMN_WIDTH)
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=force_str(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in sample:
        sheet.append(row)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(
    headers: Sequence, rows: Iterable[Sequence], filename: str, fmt: str, title=None
) -> HttpResponse:
    """An attachment response; ``rows`` hold cells already passed through ``export_cell``."""
    if fmt == "xlsx":
        body = xlsx_bytes(title or filename, headers, rows)
    else:
        fmt = "csv"
        body = csv_bytes(headers, rows)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def in_worker(request) -> bool:
    """The export request replayed by the worker (``hubsite.core.exportjobs.build``): build the file now."""
    return hasattr(request, "export_progress")


def tracked(request, rows: Iterable, total: int) -> Iterable:
    """``rows`` unchanged; in the worker, each thousandth row reports progress (the job's heartbeat)."""
    progress = getattr(request, "export_progress", None)
    if progress is None:
        yield from rows
        return
    for index, row in enumerate(rows, start=1):
        if index % 1000 == 0:
            progress(index, total)
        yield row


def in_background(request, *, rows: int, title, fmt: str) -> HttpResponse | None:
    """A redirect to a new (or the same running) export job when the export has more than
    ``EXPORT_SYNC_MAX_ROWS`` rows; None when it is small enough to build in this request, or when
    this is the worker building it."""
    limit = getattr(settings, "EXPORT_SYNC_MAX_ROWS", SYNC_MAX_ROWS)
    if in_worker(request) or rows <= limit:
        return None
    from hubsite.core.exportjobs.actions import do_request_export

    return redirect(do_request_export(request, title=title, fmt=fmt, estimated_rows=rows))


def is_month_column(name: str) -> bool:
    return name == "month" or name.endswith("_month")


# Their export values are strings (isoformat, "True"): the cell needs the value itself to be formatted.
RAW_VALUE_COLUMNS = (tables.DateColumn, tables.DateTimeColumn, tables.BooleanColumn)


def table_rows(table, exclude_columns=()) -> tuple[list, Iterable[list]]:
    """A django-tables2 table's export values (``value_*`` methods win, as in the library) as cells."""
    exclude_columns = exclude_columns or ()
    columns = [
        column
        for column in table.columns.iterall()
        if not (column.column.exclude_from_export or column.name in exclude_columns)
    ]
    headers = [force_str(column.header) for column in columns]

    def cell(row, column):
        if isinstance(column.column, RAW_VALUE_COLUMNS):
            value = column.accessor.resolve(row.record, quiet=True)
        else:
            value = row.get_cell_value(column.name)
        return export_cell(value, month=is_month_column(column.name))

    return headers, ([cell(row, column) for column in columns] for row in table.rows)


class SafeExportMixin(ExportMixin):
    """A list page's ``?_export=csv`` / ``?_export=xlsx`` through the one export path above.

    ``export_title`` names the XLSX sheet in the reader's language (the file name stays ``export_name``).
    """

    export_formats = (TableExport.CSV, TableExport.XLSX)
    export_title = None

    def render_to_response(self, context, **kwargs):
        export_format = self.request.GET.get(self.export_trigger_param)
        if export_format in self.export_formats:
            return self.create_export(export_format)
        return super(ExportMixin, self).render_to_response(context, **kwargs)

    def create_export(self, export_format):
        table = self.get_table(**self.get_table_kwargs())
        data = table.data.data
        # Counted in SQL: measuring a big list must not load it into the request.
        count = data.count() if isinstance(data, QuerySet) else len(data)
        title = self.export_title or self.export_name
        background = in_background(self.request, rows=count, title=title, fmt=export_format)
        if background is not None:
            return background
        headers, rows = table_rows(table, self.exclude_columns)
        return download(
            headers, tracked(self.request, rows, count), self.export_name, export_format, title=title
        )
