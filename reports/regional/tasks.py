"""Celery tasks of the generated reports; each takes ids (or "now") and is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_init
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import generate  # noqa: F401  (registers the notification kind in every process)


@worker_init.connect
def load_the_pdf_library(**kwargs) -> None:
    """In a Celery worker's main process, before it forks its pool: WeasyPrint and its C libraries,
    so every pool process has them already (shared pages) rather than loading them during its first
    annual report (about a second: WeasyPrint looks each library up under several names, each look-up
    a subprocess). Not in web processes, which import this module too."""
    import weasyprint  # noqa: F401


@shared_task(name="reports.generate_regional_report")
def generate_regional_report(report_id: int) -> str:
    """Generate one report (late acknowledgement: a killed worker's task is delivered again, and
    resumes the report unless the stale sweep marked it failed meanwhile)."""
    from .generate import run

    return run(report_id)


@shared_task(name="reports.fail_stale_regional_reports")
def fail_stale_regional_reports(now: str | None = None) -> int:
    """Beat, every few minutes: mark failed the reports whose job stopped (see ``fail_stale``)."""
    from ..models import GeneratedReport

    return len(GeneratedReport.objects.fail_stale(_moment(now)))


def _moment(now: str | None):
    moment = parse_datetime(now) if now else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@shared_task(name="reports.attach_meeting_packs")
def attach_meeting_packs(now: str | None = None) -> int:
    """Daily: the report pack of each directors' or regional meeting starting within seven days."""
    from .actions import do_attach_meeting_packs

    return len(do_attach_meeting_packs(_moment(now) or timezone.now()))


__all__ = ["attach_meeting_packs", "fail_stale_regional_reports", "generate_regional_report"]
