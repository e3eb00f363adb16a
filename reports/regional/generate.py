"""One run of a generated report: lock, gather, write both files, store them, mark it done.

Safe to run twice and after a crash: a done report is left alone; a PostgreSQL advisory lock on the
report's id lets only one run work on it at a time (a second delivery of the same task returns at
once), and the lock is released by the server when a killed worker's connection drops, so the
redelivered task can start over. Files are written to a temporary directory and only stored at the
end, after clearing whatever a killed run left in the report's folder: one PDF and one XLSX.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from hubsite.notifications import notify, object_key, register_kind

from ..models import GeneratedReport
from . import content as content_module
from .choices import GenerationStatus
from .pdf import write_pdf
from .xlsx import write_xlsx

logger = logging.getLogger(__name__)

READY_KIND = register_kind("reports.regional_ready", gettext_lazy("A regional report you requested is ready"))
# Test-only: seconds to sleep after each step, so a test can kill the worker while a run is under way.
STEP_DELAY_ENV = "HUBSITE_REGIONAL_REPORT_STEP_DELAY"
LOCK_NAMESPACE = 7406  # first key of the two-key advisory lock: "generated reports"


class Busy(Exception):
    """Another run holds this report."""


def _advisory_lock(report_id: int) -> bool:
    # Raw SQL because Django has no advisory-lock API; parameterised, constants only.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, report_id])
        return cursor.fetchone()[0]


def _advisory_unlock(report_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, report_id])


def _progress(report: GeneratedReport, percent: int) -> None:
    GeneratedReport.objects.filter(pk=report.pk).update(progress=percent)
    delay = float(os.environ.get(STEP_DELAY_ENV) or 0)
    if delay:
        time.sleep(delay)


def gather_for(report: GeneratedReport, today=None):
    return content_module.gather(
        report.period_kind,
        report.period_start,
        report.scope,
        report.prefecture,
        report.organisation,
        title=report.title,
        today=today,
    )


def run(report_id: int) -> str:
    """Generate the report's files. Returns what happened ("done", "already done", "busy", "failed")."""
    if not _advisory_lock(report_id):
        return "busy"
    try:
        report = (
            GeneratedReport.objects.select_related("prefecture", "organisation", "requested_by")
            .filter(pk=report_id)
            .first()
        )
        if report is None:
            return "missing"
        if report.status == GenerationStatus.DONE:
            return "already done"
        GeneratedReport.objects.filter(pk=report.pk).update(
            status=GenerationStatus.RUNNING,
            started_at=timezone.now(),
            progress=5,
            attempts=report.attempts + 1,
            failure_reason="",
        )
        try:
            with override("zh-hans"):
                _generate(report)
        except Exception as error:
            logger.exception("regional report %s failed", report_id)
            GeneratedReport.objects.filter(pk=report.pk).update(
                status=GenerationStatus.FAILED,
                failure_reason=f"{type(error).__name__}: {error}"[:2000],
                finished_at=timezone.now(),
            )
            return "failed"
        return "done"
    finally:
        _advisory_unlock(report_id)


def _generate(report: GeneratedReport) -> None:
    content = gather_for(report)
    _progress(report, 25)
    stem = f"{report.period_start:%Y%m}-{report.period_kind}-{report.scope}-{report.pk}"
    with tempfile.TemporaryDirectory(prefix="regional-report-") as workdir:
        pdf_path = Path(workdir) / f"{stem}.pdf"
        xlsx_path = Path(workdir) / f"{stem}.xlsx"
        write_xlsx(content, xlsx_path)
        _progress(report, 45)
        write_pdf(content, pdf_path)
        _progress(report, 90)
        folder = f"regional-reports/{report.pk}"
        if default_storage.exists(folder):
            _dirs, files = default_storage.listdir(folder)
            for name in files:
                default_storage.delete(f"{folder}/{name}")
        with pdf_path.open("rb") as pdf_file, xlsx_path.open("rb") as xlsx_file:
            report.pdf.save(pdf_path.name, File(pdf_file), save=False)
            report.xlsx.save(xlsx_path.name, File(xlsx_file), save=False)
    with transaction.atomic():
        GeneratedReport.objects.filter(pk=report.pk).update(
            pdf=report.pdf.name,
            xlsx=report.xlsx.name,
            status=GenerationStatus.DONE,
            progress=100,
            finished_at=timezone.now(),
        )
        if report.requested_by_id:
            notify(
                READY_KIND.code,
                report.requested_by,
                key=object_key(report),
                subject=_("Regional report ready: %(title)s") % {"title": report.title},
                body=_("The report %(title)s you requested is ready to download (PDF and Excel).")
                % {"title": report.title},
                url=reverse("reports:regional_list"),
            )
