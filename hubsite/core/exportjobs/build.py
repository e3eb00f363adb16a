"""One run of an export job: replay the export request as its requester, store the file, mark it done.

Safe to run twice and after a crash: a done or failed job is left alone, and a PostgreSQL advisory
lock on the job's id lets one run work on it at a time (the server releases it when a killed
worker's connection drops, so the redelivered task starts over). Every write of a run requires
status "running", so a run the stale check overtook stores nothing. Progress is a heartbeat.
"""

from __future__ import annotations

import logging
import re
import time
from urllib.parse import unquote

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hubsite.core.notifications import notify, object_key

from .models import ACTIVE_STATUSES, READY_KIND, ExportJob, ExportStatus

logger = logging.getLogger(__name__)

LOCK_NAMESPACE = 7419
# At most one heartbeat write a second, however fast the rows come.
BEAT_EVERY = 1.0
_FILENAME_STAR = re.compile(r"filename\*=UTF-8''([^;]+)")
_FILENAME = re.compile(r'filename="([^"]+)"')


class Interrupted(Exception):
    """The job is no longer running (marked failed meanwhile): stop, store nothing."""


class Refused(Exception):
    """The replayed request did not answer with a file (the person lost access, the page changed)."""


class Progress:
    """``request.export_progress(done, total)``: the export code reports rows written; the job's
    percent goes from 5 (started) to 95 (rows written), the file's storing is the rest."""

    def __init__(self, job: ExportJob):
        self.job = job
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < BEAT_EVERY:
            return
        self.last = now
        percent = 5 + int(90 * min(done, total) / total) if total else 50
        beat(self.job, percent)


def beat(job: ExportJob, percent: int) -> None:
    updated = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
        progress=percent, progress_at=timezone.now()
    )
    if not updated:
        raise Interrupted


def run(job_id: int) -> str:
    """Build the job's file. Returns "done", "failed", "interrupted", "already done",
    "already failed", "busy" or "missing"."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, job_id])
        if not cursor.fetchone()[0]:
            return "busy"
    try:
        job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
        if job is None:
            return "missing"
        if job.status == ExportStatus.DONE:
            return "already done"
        if job.status == ExportStatus.FAILED:
            return "already failed"
        now = timezone.now()
        started = ExportJob.objects.filter(pk=job.pk, status__in=ACTIVE_STATUSES).update(
            status=ExportStatus.RUNNING, progress=5, progress_at=now
        )
        if not started:
            return "already failed"
        job.status = ExportStatus.RUNNING
        try:
            body, file_name = replay(job)
            _store(job, body, file_name)
        except Interrupted:
            logger.warning("export job %s was marked failed while it ran; stopped", job_id)
            return "interrupted"
        except Exception as error:
            logger.exception("export job %s failed", job_id)
            ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
                status=ExportStatus.FAILED,
                failure_reason=f"{type(error).__name__}: {error}"[:2000],
                finished_at=timezone.now(),
            )
            return "failed"
        return "done"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, job_id])


def replay(job: ExportJob) -> tuple[bytes, str]:
    """The export request again, as the requester, through the page's own view: its role checks and
    ``for_user`` scoping run here too, so the file holds what the person may see today."""
    user = job.requested_by
    if not user.is_active:
        raise Refused("the requester's account is no longer active")
    try:
        match = resolve(job.path)
    except Resolver404:
        raise Refused(f"no page at {job.path}") from None
    request = RequestFactory().get(f"{job.path}?{job.query}" if job.query else job.path)
    request.user = user
    request.LANGUAGE_CODE = job.language
    request.export_progress = Progress(job)
    with translation.override(job.language or None):
        response = match.func(request, *match.args, **match.kwargs)
    disposition = response.get("Content-Disposition", "")
    if response.status_code != 200 or not disposition.startswith("attachment"):
        raise Refused(f"the page answered {response.status_code} without a file")
    body = b"".join(response) if response.streaming else response.content
    found = _FILENAME_STAR.search(disposition)
    name = unquote(found.group(1)) if found else None
    if name is None:
        found = _FILENAME.search(disposition)
        name = found.group(1) if found else f"export.{job.format}"
    return body, name


def _store(job: ExportJob, body: bytes, file_name: str) -> None:
    beat(job, 96)
    job.file.save(file_name, ContentFile(body), save=False)
    with transaction.atomic():
        done = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
            file=job.file.name,
            file_name=file_name,
            status=ExportStatus.DONE,
            progress=100,
            progress_at=timezone.now(),
            finished_at=timezone.now(),
        )
        if done:
            # Written in the requester's saved language by notify, like every notification.
            notify(
                READY_KIND.code,
                job.requested_by,
                key=object_key(job),
                subject=lambda: _("Your export is ready: %(title)s") % {"title": job.title},
                body=lambda: _("The file %(name)s you asked for is ready to download.") % {"name": file_name},
                url=reverse("exports:detail", args=[job.pk]),
            )
    if not done:
        job.file.delete(save=False)
        raise Interrupted
