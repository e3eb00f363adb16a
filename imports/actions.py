"""Uploading a sheet (checked, nothing written), confirming it, and the worker's import (checked
again, then written in one transaction, or not at all; the person who confirmed is told at once)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hubsite.core import outbox
from hubsite.core.models import StaleObjectError
from hubsite.core.notifications import notify, object_key, register_kind
from hubsite.core.roles import HUB_ROLES
from reports.models import ReportError

from .choices import ImportKind, RowAction, RunStatus
from .figures import FigureImporter, ImportConflict
from .models import ImportRun
from .network import CentreImporter, OrganisationImporter, PersonImporter
from .rows import Importer
from .sheets import SheetError, load_dataset, read_rows

# Only hub staff import.
FINISHED = register_kind(
    "imports.finished", gettext_lazy("Your import has been checked or imported"), roles=HUB_ROLES
)

IMPORTERS: dict[str, type[Importer]] = {
    ImportKind.ORGANISATIONS: OrganisationImporter,
    ImportKind.CENTRES: CentreImporter,
    ImportKind.PEOPLE: PersonImporter,
    ImportKind.FIGURES: FigureImporter,
}


def importer_for(kind: str, by, **kwargs) -> Importer:
    return IMPORTERS[kind](by, **kwargs)


def _check(run: ImportRun, content: bytes, by) -> Importer:
    """Read and check every row; the outcome goes on ``run`` (not saved). Returns the importer with
    its plans in ``importer.plans``."""
    importer = importer_for(run.kind, by, file_name=run.file_name, send_invitations=run.send_invitations)
    importer.plans = []
    run.file_errors, run.preview = [], []
    try:
        rows = read_rows(load_dataset(run.file_name, content), importer.columns)
    except SheetError as error:
        run.file_errors = [str(error)]
    else:
        importer.plans = importer.plan(rows)
        run.preview = [plan.as_json() for plan in importer.plans]
    actions = [plan.action for plan in importer.plans]
    run.rows = len(actions)
    run.created = actions.count(RowAction.NEW)
    run.updated = actions.count(RowAction.CHANGED)
    run.unchanged = actions.count(RowAction.UNCHANGED)
    run.errors = actions.count(RowAction.ERROR)
    run.status = RunStatus.INVALID if run.errors or run.file_errors else RunStatus.READY
    return importer


def do_upload_sheet(*, kind: str, upload, by, send_invitations: bool = False) -> ImportRun:
    """Keep the file privately and have a worker check every row (``check_sheet``); nothing else is
    written until the person confirms."""
    with transaction.atomic():
        run = ImportRun(
            kind=kind,
            file_name=upload.name[:200],
            status=RunStatus.CHECKING,
            uploaded_by=by,
            send_invitations=send_invitations and kind == ImportKind.PEOPLE,
        )
        run.file.save(upload.name, upload, save=False)
        run.save()
        outbox.enqueue("imports.check_sheet", run.pk, once=True)
    return run


def check_sheet(run_id: int) -> ImportRun | None:
    """The worker's check: every row's outcome on the run (the preview). Idempotent."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id, status=RunStatus.CHECKING).first()
        if run is None:
            return None
        with translation.override(settings.LANGUAGE_CODE), run.file.open("rb") as handle:
            _check(run, handle.read(), run.uploaded_by)
            _tell(run, run.uploaded_by)
        run.save()
    return run


def do_confirm_import(run: ImportRun, *, by) -> ImportRun:
    """Hand a checked sheet to a worker; a second confirmation (another tab) is refused."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RunStatus.READY:
            raise ValidationError(_("This import is not waiting for confirmation any more."))
        run.status = RunStatus.IMPORTING
        run.imported_by = by
        run.save(update_fields=["status", "imported_by"])
        outbox.enqueue("imports.run_import", run.pk, once=True)
    return run


def run_import(run_id: int) -> ImportRun | None:
    """The worker's part: check the kept file again against the database as it is now and, if every
    row is still valid, write every row in one transaction. Idempotent: a run that is not waiting
    (done, or already failed) is left as it is."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id, status=RunStatus.IMPORTING).first()
        if run is None:
            return None
        by = run.imported_by
        with translation.override(settings.LANGUAGE_CODE), run.file.open("rb") as handle:
            importer = _check(run, handle.read(), by)
            if run.status == RunStatus.READY:
                _apply(run, importer, by)
            _tell(run, by)
        run.save()
    return run


def _apply(run: ImportRun, importer: Importer, by) -> None:
    try:
        with transaction.atomic():
            importer.apply(importer.plans)
    except (ReportError, ImportConflict) as error:
        _failed(run, error.message if isinstance(error, ReportError) else str(error))
    except (ValidationError, StaleObjectError, IntegrityError):
        _failed(run, _("Someone changed these records while you were importing. Upload the file again."))
    else:
        run.status = RunStatus.DONE
        run.imported_at = timezone.now()


def _failed(run: ImportRun, message: str) -> None:
    run.status = RunStatus.INVALID
    run.file_errors = [*run.file_errors, _("Nothing was imported: %(reason)s") % {"reason": message}]


def _tell(run: ImportRun, person) -> None:
    """The person waits for the check or the import: tell them in the run's own transaction."""
    if person is None or not person.is_active:
        return
    context = {
        "file": run.file_name,
        "rows": run.rows,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "errors": run.errors,
    }
    # Lazy texts, formatted by notify in the person's language.
    if run.status == RunStatus.DONE:
        step = "finished"
        subject = gettext_lazy("Imported: %(file)s")
        body = gettext_lazy(
            "%(file)s was imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged."
        )
    elif run.status == RunStatus.READY:
        step = "checked"
        subject = gettext_lazy("Ready to import: %(file)s")
        body = gettext_lazy("Every row of %(file)s is valid. Check the changes and confirm the import.")
    elif run.imported_by_id:
        step = "finished"
        subject = gettext_lazy("Not imported: %(file)s")
        body = gettext_lazy(
            "Nothing from %(file)s was imported: the file no longer passes the checks. The page says why."
        )
    else:
        step = "checked"
        subject = gettext_lazy("Errors in %(file)s")
        body = gettext_lazy(
            "%(errors)s of the %(rows)s rows of %(file)s have errors; nothing can be imported until every row is correct."
        )
    notify(
        FINISHED.code,
        person,
        key=object_key(run),
        step=step,
        subject=lambda: subject % context,
        body=lambda: body % context,
        url=run.get_absolute_url(),
    )
