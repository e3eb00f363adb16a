"""Beat's daily sweep of old exports: jobs, and the files they built, go after ``EXPORT_RETENTION_DAYS``.

An export is a copy of data made for one person on one day; keeping it for ever would keep every
row it held (people's names, phone numbers) outside the records that are corrected and purged. The
sweep takes no ids and judges age from the database and the storage alone, so running it twice, or
a redelivered run, deletes nothing more.
"""

from __future__ import annotations

import datetime
import logging
import os
import posixpath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models.functions import Coalesce
from django.utils import timezone

from hubsite.core.models import Notification

from .models import READY_KIND, ExportJob

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 7
# Where ``stored_export_name`` puts the files (exports/YYYY/MM/<random>/<name>).
EXPORTS_DIR = "exports"


def retention_days() -> int:
    return int(getattr(settings, "EXPORT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def purge_old_exports(now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete the export jobs last touched more than ``retention_days()`` ago with their files, then
    any file under ``exports/`` that no job names and that is as old (a run killed between storing
    its file and marking its job done leaves one). Returns how many jobs and files went."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days())
    # Last touched: finished, else the last heartbeat, else asked for. A job still building has a
    # heartbeat minutes old, so it is never swept from under its worker.
    old = list(
        ExportJob.objects.alias(touched=Coalesce("finished_at", "progress_at", "requested_at"))
        .filter(touched__lt=cutoff)
        .values_list("pk", "file")
    )
    files = 0
    # Files first: a crash in between leaves rows whose file is already gone (the next run deletes
    # them), never files that no row remembers.
    for _pk, name in old:
        if name and _delete(name):
            files += 1
    swept = [pk for pk, _name in old]
    ExportJob.objects.filter(pk__in=swept).delete()
    # The "export ready" notices stay in people's lists as a record, but their link would now answer
    # 404: opening one marks it read and shows the list instead.
    Notification.objects.filter(
        kind=READY_KIND.code, object_key__in=[f"{ExportJob._meta.label_lower}:{pk}" for pk in swept]
    ).exclude(url="").update(url="")
    files += _delete_orphans(cutoff)
    if old or files:
        logger.info("export sweep: %s jobs and %s files older than %s deleted", len(old), files, cutoff)
    return {"jobs": len(old), "files": files}


def _delete(name: str) -> bool:
    try:
        if not default_storage.exists(name):
            return False
        default_storage.delete(name)
    except OSError:
        # One file that cannot go (permissions, a storage hiccup) must not stop the sweep; the next
        # run finds it as an orphan and tries again.
        logger.exception("export sweep: could not delete %s", name)
        return False
    _prune_folders(name)
    return True


def _prune_folders(name: str) -> None:
    """On a filesystem, remove the file's folders left empty (its random one, then the month's and
    the year's), up to ``exports/`` itself; object stores have no folders to leave behind."""
    folder = posixpath.dirname(name)
    while folder and folder != EXPORTS_DIR and folder.startswith(EXPORTS_DIR + "/"):
        try:
            os.rmdir(default_storage.path(folder))
        except NotImplementedError:
            return
        except OSError:  # not empty (another export of that month), or already gone
            return
        folder = posixpath.dirname(folder)


def _delete_orphans(cutoff: datetime.datetime) -> int:
    known = set(ExportJob.objects.exclude(file="").values_list("file", flat=True))
    deleted = 0
    for name in _walk(EXPORTS_DIR):
        if name in known:
            continue
        try:
            modified = default_storage.get_modified_time(name)
        except (OSError, NotImplementedError):
            continue
        if modified < cutoff and _delete(name):
            deleted += 1
    return deleted


def _walk(path: str):
    """Every file under ``path`` in the default storage (none if the folder does not exist yet)."""
    try:
        folders, names = default_storage.listdir(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in names:
        yield posixpath.join(path, name)
    for folder in folders:
        yield from _walk(posixpath.join(path, folder))
