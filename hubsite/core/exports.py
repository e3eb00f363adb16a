"""Spreadsheet exports shared by every list page: CSV and XLSX, safe against formula injection."""

from django_tables2.export import ExportMixin, TableExport

# A cell starting with one of these is read as a formula by Excel/WPS/LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text cell inert for spreadsheets by prefixing a quote (OWASP's advice); numbers pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeTableExport(TableExport):
    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        safe = type(dataset)(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            safe.append([neutralise(cell) for cell in row])
        return safe


class SafeExportMixin(ExportMixin):
    """django-tables2's export (``?_export=csv`` / ``?_export=xlsx``) with neutralised cells."""

    export_class = SafeTableExport
    export_formats = (TableExport.CSV, TableExport.XLSX)
