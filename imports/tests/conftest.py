import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.defaults import load_default_indicators


@pytest.fixture(autouse=True)
def indicators(db):
    from reports.models import Indicator

    load_default_indicators(Indicator)
    return {i.code: i for i in Indicator.objects.all()}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path, monkeypatch):
    """Uploaded sheets go to a temporary MEDIA_ROOT, in this process and in a worker started after."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    monkeypatch.setenv("MEDIA_ROOT", str(root))
    return root


def csv_bytes(header, rows, *, bom=True, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    if encoding == "utf-8":
        return (("\ufeff" if bom else "") + text).encode("utf-8")
    return text.encode(encoding)


def xlsx_bytes(header, rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet(header, rows, fmt="csv", **kwargs) -> SimpleUploadedFile:
    if fmt == "xlsx":
        return SimpleUploadedFile("sheet.xlsx", xlsx_bytes(header, rows))
    return SimpleUploadedFile("sheet.csv", csv_bytes(header, rows, **kwargs))


def upload_and_check(kind, upload, by, send_invitations=False):
    """Upload as the page does and do the worker's check here (``test_worker`` runs a real one)."""
    from imports.actions import check_sheet, do_upload_sheet

    run = do_upload_sheet(kind=kind, upload=upload, by=by, send_invitations=send_invitations)
    return check_sheet(run.pk)


def confirm_and_run(run, by):
    """Confirm a checked run and do the worker's part here (``test_worker`` runs a real one)."""
    from imports.actions import do_confirm_import, run_import
    from imports.choices import RunStatus

    if run.status != RunStatus.READY:
        return run
    do_confirm_import(run, by=by)
    return run_import(run.pk)


@pytest.fixture
def upload(hub_staff):
    """``upload(kind, header, rows)``: the checked run, as the upload page makes it."""

    def run(kind, header, rows, *, by=None, fmt="csv", send_invitations=False, **kwargs):
        return upload_and_check(kind, sheet(header, rows, fmt, **kwargs), by or hub_staff, send_invitations)

    return run


@pytest.fixture
def import_sheet(upload, hub_staff):
    """Upload and confirm; returns the run as it ends."""

    def run(kind, header, rows, *, by=None, **kwargs):
        checked = upload(kind, header, rows, by=by, **kwargs)
        return confirm_and_run(checked, by=by or hub_staff)

    return run
