"""Checking an uploaded sheet and importing a confirmed one, run by a worker (a sheet of figures can
take minutes)."""

from celery import shared_task


@shared_task(name="imports.run_import")
def run_import(run_id: int) -> str | None:
    """Idempotent: a run already done (a message delivered twice) is left as it is."""
    from .actions import run_import as perform

    run = perform(run_id)
    return run.status if run else None


@shared_task(name="imports.check_sheet")
def check_sheet(run_id: int) -> str | None:
    """Idempotent: a run already checked is left as it is."""
    from .actions import check_sheet as perform

    run = perform(run_id)
    return run.status if run else None
