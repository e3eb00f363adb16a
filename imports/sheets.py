"""Reading an uploaded sheet (tablib: XLSX through openpyxl, CSV) and writing the blank templates.

A sheet becomes a list of ``SheetRow``: the row's number as the spreadsheet shows it (the header is
row 1) and its cells as text keyed by column name, whatever the header's language was.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
import tablib
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from hubsite.core.exports import neutralise

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
EXTENSIONS = (".xlsx", ".csv")
TEMPLATE_LANGUAGE = "zh-hans"
# Encodings a CSV from Excel or WPS may come in: UTF-8 (with or without the BOM) or, saved on a Chinese
# Windows, GB18030 (a superset of GBK).
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


class SheetError(Exception):
    """The file as a whole cannot be read (the message says why, for the person who uploaded it)."""


@dataclass
class SheetRow:
    number: int
    cells: dict[str, str]

    def is_empty(self) -> bool:
        return not any(self.cells.values())


def cell_text(value) -> str:
    """A cell as the text a form field parses: dates in ISO form, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value).strip()


def normalise_header(text) -> str:
    # Full-width brackets and spaces from a Chinese input method read as their plain forms.
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split()).lower()


def _decode_csv(content: bytes) -> str:
    for encoding in CSV_ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError(_("The CSV file is neither UTF-8 nor GBK text. Save it again as “CSV UTF-8”."))


def load_dataset(name: str, content: bytes) -> tablib.Dataset:
    """The sheet's first worksheet as a tablib Dataset with its header row."""
    if len(content) > MAX_FILE_BYTES:
        raise SheetError(_("The file is larger than 5 MB. Split it into several files."))
    lowered = name.lower()
    try:
        if lowered.endswith(".xlsx"):
            return tablib.Dataset().load(io.BytesIO(content), format="xlsx")
        if lowered.endswith(".csv"):
            return tablib.Dataset().load(_decode_csv(content), format="csv")
    except SheetError:
        raise
    except Exception as error:  # openpyxl and csv raise many kinds on a damaged file
        raise SheetError(
            _("The file cannot be read as a spreadsheet (%(error)s).") % {"error": error}
        ) from None
    raise SheetError(_("Upload an Excel (.xlsx) or CSV file."))


def read_rows(dataset: tablib.Dataset, columns) -> list[SheetRow]:
    """Rows keyed by column name. ``columns`` are the kind's ``Column``s; a header may be the
    Chinese or the English heading or the column's name. Unknown or missing columns, or too many
    rows, make the whole file unreadable."""
    names = {}
    for column in columns:
        for language in (TEMPLATE_LANGUAGE, "en"):
            with translation.override(language):
                for heading in (column.header, *column.aliases):
                    names.setdefault(normalise_header(heading), column.name)
        names[normalise_header(column.name)] = column.name
    headers = [normalise_header(h) for h in (dataset.headers or [])]
    unknown = [
        str(original)
        for original, h in zip(dataset.headers or [], headers, strict=True)
        if h and h not in names
    ]
    if unknown:
        raise SheetError(_("Unknown columns: %(columns)s.") % {"columns": "、".join(unknown)})
    present = [names.get(h) for h in headers]
    duplicated = {n for n in present if n and present.count(n) > 1}
    if duplicated:
        labels = [str(c.header) for c in columns if c.name in duplicated]
        raise SheetError(_("Columns given twice: %(columns)s.") % {"columns": "、".join(labels)})
    missing = [str(c.header) for c in columns if c.required and c.name not in present]
    if missing:
        raise SheetError(_("Required columns are missing: %(columns)s.") % {"columns": "、".join(missing)})
    if dataset.height > MAX_ROWS:
        raise SheetError(
            _("The file has %(count)s rows; at most %(limit)s can be imported at once.")
            % {"count": dataset.height, "limit": MAX_ROWS}
        )
    rows = []
    for index, values in enumerate(dataset, start=2):
        cells = {name: cell_text(value) for name, value in zip(present, values, strict=False) if name}
        row = SheetRow(index, cells)
        if not row.is_empty():
            rows.append(row)
    if not rows:
        raise SheetError(_("The file has no rows below its header."))
    return rows


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def template_file(columns, example: list, fmt: str, title: str) -> bytes:
    """The blank sheet of a kind: Chinese headers and one example row."""
    with translation.override(TEMPLATE_LANGUAGE):
        headers = [str(c.header) for c in columns]
        example = [neutralise(str(value)) for value in example]
        title = str(title)
    if fmt == "csv":
        dataset = tablib.Dataset(example, headers=headers)
        # Excel and WPS need the BOM to read UTF-8 Chinese.
        return ("\ufeff" + dataset.export("csv")).encode("utf-8")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    sheet.append(example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, (header, value) in enumerate(zip(headers, example, strict=True), start=1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(display_width(header), display_width(value)) + 4, 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
