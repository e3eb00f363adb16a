"""The export job's Celery task: takes the job's id, safe to run twice (see ``build``)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="hubsite.build_export", ignore_result=True)
def build_export(job_id: int) -> str:
    from .build import run

    return run(job_id)
