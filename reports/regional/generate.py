"""One run of a generated report: lock, gather, write both files, store them, mark it done.

Safe to run twice and after a crash: a done report is left alone; a PostgreSQL advisory lock on the
report's id lets only one run work on it at a time (a second delivery of the same task returns at
once), and the lock is released by the server when a killed worker's connection drops, so the
redelivered task can start over. Files are written to a temporary directory and only stored at the
end, after clearing whatever a killed run left in the report's folder: one PDF and one XLSX.

Each step is a heartbeat (``progress_at``). A report whose heartbeat stops is marked failed by
``GeneratedReport.objects.fail_stale`` (beat sweep, and before each request). Failed is final: a
task delivered again to a report already marked failed (the broker hands a killed worker's message
out again only after its visibility timeout, an hour, long after the 15-minute deadline) leaves it
alone, because the requester has been told it failed and may already have asked for a new one.
Every write of a run requires status "running", so a run overtaken by the sweep stops and stores
nothing. The requester gets one notification per report: ready or failed, never both.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, override
from django.utils.translation import gettext as _

from hubsite.core.notifications import notify, object_key, register_kind

from ..models import GENERATION_LOCK, GeneratedReport
from . import content as content_module
from .choices import ACTIVE_STATUSES, GenerationStatus
from .pdf import annual_job, write_annual_pdf, write_pdf
from .xlsx import write_xlsx

logger = logging.getLogger(__name__)

READY_KIND = register_kind("reports.regional_ready", gettext_lazy("A regional report you requested is ready"))
FAILED_KIND = register_kind(
    "reports.regional_failed", gettext_lazy("A regional report you requested could not be generated")
)
# Test-only: seconds to sleep after each step, so a test can kill the worker while a run is under way.
STEP_DELAY_ENV = "HUBSITE_REGIONAL_REPORT_STEP_DELAY"
LOCK_NAMESPACE = GENERATION_LOCK


class Interrupted(Exception):
    """The report is no longer running (the stale sweep marked it failed): stop, store nothing."""


def _advisory_lock(report_id: int) -> bool:
    # Raw SQL because Django has no advisory-lock API; parameterised, constants only.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, report_id])
        return cursor.fetchone()[0]


def _advisory_unlock(report_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, report_id])


def _progress(report: GeneratedReport, percent: int) -> None:
    # Never backwards: the XLSX (45 %) is written in the body's part, often after a partners' part.
    beat = GeneratedReport.objects.filter(pk=report.pk, status=GenerationStatus.RUNNING).update(
        progress=Greatest(F("progress"), percent), progress_at=timezone.now()
    )
    if not beat:
        raise Interrupted
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
    """Generate the report's files. Returns what happened: "done", "failed", "interrupted" (marked
    failed by the sweep meanwhile), "already done", "already failed", "busy" or "missing"."""
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
        if report.status == GenerationStatus.FAILED:
            return "already failed"
        now = timezone.now()
        started = GeneratedReport.objects.filter(pk=report.pk, status__in=ACTIVE_STATUSES).update(
            status=GenerationStatus.RUNNING,
            started_at=now,
            progress=5,
            progress_at=now,
            attempts=F("attempts") + 1,
            failure_reason="",
        )
        if not started:
            return "already failed"
        report.status = GenerationStatus.RUNNING
        try:
            with override(settings.LANGUAGE_CODE):
                _generate(report)
        except Interrupted:
            logger.warning("regional report %s was marked failed while it ran; stopped", report_id)
            return "interrupted"
        except Exception as error:
            logger.exception("regional report %s failed", report_id)
            _mark_failed(report, error)
            return "failed"
        return "done"
    finally:
        _advisory_unlock(report_id)


def _mark_failed(report: GeneratedReport, error: Exception) -> None:
    """Record why the run failed and tell the requester, unless the stale sweep has failed it first."""
    with override(settings.LANGUAGE_CODE):
        reason = _("Generation failed: %(error)s") % {"error": f"{type(error).__name__}: {error}"}
    with transaction.atomic():
        failed = GeneratedReport.objects.filter(pk=report.pk, status=GenerationStatus.RUNNING).update(
            status=GenerationStatus.FAILED, failure_reason=reason[:2000], finished_at=timezone.now()
        )
        if failed:
            report.status, report.failure_reason = GenerationStatus.FAILED, reason[:2000]
            notify_finished(report)


def _generate(report: GeneratedReport) -> None:
    stem = f"{report.period_start:%Y%m}-{report.period_kind}-{report.scope}-{report.pk}"
    with tempfile.TemporaryDirectory(prefix="regional-report-") as workdir:
        pdf_path = Path(workdir) / f"{stem}.pdf"
        xlsx_path = Path(workdir) / f"{stem}.xlsx"
        if content_module.is_designed(report.period_kind):
            _write_designed(report, pdf_path, xlsx_path)
        else:
            content = gather_for(report)
            _progress(report, 25)
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
        done = GeneratedReport.objects.filter(pk=report.pk, status=GenerationStatus.RUNNING).update(
            pdf=report.pdf.name,
            xlsx=report.xlsx.name,
            status=GenerationStatus.DONE,
            progress=100,
            progress_at=timezone.now(),
            finished_at=timezone.now(),
        )
        if done:
            report.status = GenerationStatus.DONE
            notify_finished(report)
    if not done:
        # Overtaken by the sweep after the last step: the files belong to no report.
        report.pdf.delete(save=False)
        report.xlsx.delete(save=False)
        raise Interrupted


def _write_designed(report: GeneratedReport, pdf_path: Path, xlsx_path: Path) -> None:
    """An annual or half-year report: the designed PDF renders in parts in child processes that load
    their own data (``pdf.write_annual_pdf``); the XLSX is written by the body's part, from the roll-up
    it draws the body from (in the site's language). The PDF is in the language of the person who asked
    for it (the menu's language switch: the English edition is requested in English), else the site's."""
    language = getattr(report.requested_by, "language", "") or get_language()

    def xlsx(content) -> None:
        write_xlsx(content, xlsx_path)
        _progress(report, 45)

    def part_done(done: int, total: int) -> None:
        _progress(report, 45 + 45 * done // total)

    write_annual_pdf(annual_job(report, language), pdf_path, xlsx=xlsx, on_part=part_done)


def stale_reason(report: GeneratedReport, now=None) -> str:
    """The reason shown for a report whose job stopped giving signs of life (in the site's language)."""
    with override(settings.LANGUAGE_CODE):
        if report.status == GenerationStatus.QUEUED:
            return _(
                "Generation interrupted: not started within %(minutes)d minutes (the background "
                "worker may not be running)."
            ) % {"minutes": settings.REGIONAL_REPORT_QUEUED_STALE_MINUTES}
        return _(
            "Generation interrupted: no progress for more than %(minutes)d minutes (stopped at "
            "%(progress)d%%; the background worker stopped)."
        ) % {"minutes": settings.REGIONAL_REPORT_STALE_MINUTES, "progress": report.progress}


def notify_finished(report: GeneratedReport) -> None:
    """Tell the requester the report is ready or failed: called once, by whoever moved it out of
    running (the run or the stale sweep), inside that transaction. A meeting pack has no requester."""
    if not report.requested_by_id:
        return
    # Callables: ``notify`` writes them in the requester's own language (the title's words too).
    if report.status == GenerationStatus.DONE:
        kind = READY_KIND.code

        def subject():
            return _("Regional report ready: %(title)s") % {"title": report.title}

        def body():
            return _("The report %(title)s you requested is ready to download (PDF and Excel).") % {
                "title": report.title
            }

    else:
        kind = FAILED_KIND.code
        reason = report.failure_reason

        def subject():
            return _("Regional report failed: %(title)s") % {"title": report.title}

        def body():
            return _(
                "The report %(title)s you requested could not be generated: %(reason)s You can "
                "generate it again on the regional reports page."
            ) % {"title": report.title, "reason": reason}

    notify(
        kind,
        report.requested_by,
        key=object_key(report),
        subject=subject,
        body=body,
        url=f"{reverse('reports:regional_list')}#report-{report.pk}",
    )
