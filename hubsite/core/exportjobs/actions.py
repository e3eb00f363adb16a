"""Asking for a background export: one ``do_*`` write, its task published through the outbox."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from hubsite.core import outbox

from .models import ExportJob, ExportStatus

TASK = "hubsite.build_export"


def do_request_export(request, *, title, fmt: str, estimated_rows: int = 0) -> ExportJob:
    """The job for this export request, or the same person's queued/running one with the same page,
    filters and format (a second click does not build the file twice).

    The task leaves after commit (outbox: a broker outage keeps it until the sweep)."""
    user = request.user
    path, query = request.path, request.GET.urlencode()
    ExportJob.objects.of(user).fail_stale()
    with transaction.atomic():
        existing = (
            ExportJob.objects.of(user)
            .active()
            .select_for_update()
            .filter(path=path, query=query, format=fmt)
            .first()
        )
        if existing is not None:
            return existing
        job = ExportJob.objects.create(
            requested_by=user,
            path=path,
            query=query,
            title=str(title)[:200],
            format=fmt,
            language=translation.get_language() or "",
            estimated_rows=estimated_rows,
            status=ExportStatus.QUEUED,
        )
        outbox.enqueue(TASK, job.pk)
    return job
