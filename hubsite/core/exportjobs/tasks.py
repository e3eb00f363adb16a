"""The export jobs' Celery tasks: building one job (takes its id, safe to run twice, see ``build``)
and the daily sweep of old ones (see ``cleanup``)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="hubsite.build_export", ignore_result=True)
def build_export(job_id: int) -> str:
    from .build import run

    return run(job_id)


@shared_task(name="hubsite.purge_old_exports", ignore_result=True)
def purge_old_exports() -> dict[str, int]:
    """Beat's daily run (hubsite 0009): takes no ids, deletes the jobs and files past
    ``EXPORT_RETENTION_DAYS``; a second run, or a redelivery, finds nothing more."""
    from .cleanup import purge_old_exports as sweep

    return sweep()
