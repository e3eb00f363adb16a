"""Backups: the demo network and a stored file go out to an archive and come back byte for byte."""

import importlib
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_celery_beat.models import PeriodicTask

from hubsite import backups
from hubsite.celery import app

BASE_DIR = Path(__file__).resolve().parent.parent.parent
schedule_migration = importlib.import_module("hubsite.core.migrations.0004_backup_schedule")
# Bytes no text handling would leave alone: every byte value, twice.
FILE_BYTES = bytes(range(256)) * 2 + b"%PDF-1.7 regional report\n"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def stored_file(media_root):
    return default_storage.save("reports/regional/2026/report.pdf", ContentFile(FILE_BYTES))


def _connect(database):
    settings_dict = connection.settings_dict
    options = settings_dict.get("OPTIONS", {})
    return psycopg2.connect(
        dbname=database,
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"] or options.get("host"),
        port=settings_dict["PORT"] or None,
    )


def _row_counts(database):
    with _connect(database) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


@pytest.fixture
def throwaway_database(transactional_db):
    """An empty database on the same server, with a name no parallel run can share; dropped after."""
    name = f"test_hubsite_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore_in(database, archive, media, *extra):
    """`manage.py restore` as an operator runs it: another process, its settings pointed at `database`."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hubsite.settings.test",
            "HUBSITE_TEST_DB_NAME": database,
            "MEDIA_ROOT": str(media),
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive), *extra],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_demo_and_its_files_survive_a_backup_and_a_restore_into_a_fresh_database(
    throwaway_database, stored_file, tmp_path
):
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    source = connection.settings_dict["NAME"]
    before = _row_counts(source)
    assert before["partners_organisation"] >= 10 and before["partners_user"] >= 6

    call_command("backup", dir=str(tmp_path / "backups"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    [archive] = backups.archives(tmp_path / "backups")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    restored_media = tmp_path / "restored-media"
    result = _restore_in(throwaway_database, archive, restored_media)
    assert result.returncode == 0, result.stderr
    assert "Restored the database" in result.stdout

    assert _row_counts(throwaway_database) == before
    assert (restored_media / stored_file).read_bytes() == FILE_BYTES


def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(
    db, stored_file, tmp_path, hub_admin
):
    archive = backups.create_backup(tmp_path / "backups")
    hub_admin.full_name = "改过的名字"
    hub_admin.save()
    with pytest.raises(CommandError, match=r"is not empty \(\d+ tables\).*--force"):
        call_command("restore", str(archive))
    hub_admin.refresh_from_db()
    assert hub_admin.full_name == "改过的名字"


def test_restore_with_force_puts_the_backed_up_rows_and_files_back(
    throwaway_database, stored_file, media_root, tmp_path
):
    archive = backups.create_backup(tmp_path / "backups")
    restored_media = tmp_path / "restored-media"
    assert _restore_in(throwaway_database, archive, restored_media).returncode == 0
    # Someone wrote to the restored site, then the backup is put back over it.
    with _connect(throwaway_database) as conn, conn.cursor() as cursor:
        cursor.execute("DELETE FROM django_celery_beat_periodictask")
    conn.close()
    (restored_media / stored_file).write_bytes(b"overwritten")

    refused = _restore_in(throwaway_database, archive, restored_media)
    assert refused.returncode != 0
    assert "is not empty" in refused.stderr
    forced = _restore_in(throwaway_database, archive, restored_media, "--force")
    assert forced.returncode == 0, forced.stderr
    assert _row_counts(throwaway_database) == _row_counts(connection.settings_dict["NAME"])
    assert (restored_media / stored_file).read_bytes() == FILE_BYTES


def test_restore_refuses_a_file_that_is_not_one_of_our_archives(throwaway_database, tmp_path):
    impostor = tmp_path / "hubsite-20260101-000000Z.tar.gz"
    with tarfile.open(impostor, "w:gz") as tar:
        (tmp_path / "notes.txt").write_text("not a backup")
        tar.add(tmp_path / "notes.txt", arcname="notes.txt")
    result = _restore_in(throwaway_database, impostor, tmp_path / "media")
    assert result.returncode != 0
    assert "is not a hubsite backup" in result.stderr
    assert _row_counts(throwaway_database) == {}


def test_a_backup_keeps_the_newest_archives_and_clears_what_a_crash_left(db, media_root, tmp_path):
    directory = tmp_path / "backups"
    directory.mkdir()
    old = [directory / f"hubsite-2000010{day}-030000Z.tar.gz" for day in range(1, 6)]
    for path in old:
        path.write_bytes(b"an older archive")
    crashed = directory / "hubsite-20000106-030000Z.tar.gz.partial"
    crashed.write_bytes(b"half")
    unrelated = directory / "notes.txt"
    unrelated.write_text("the operator's")

    call_command("backup", dir=str(directory), keep=3, stdout=open(os.devnull, "w"))  # noqa: SIM115

    kept = backups.archives(directory)
    assert [path.name for path in kept[:2]] == [old[3].name, old[4].name]
    assert len(kept) == 3 and kept[2] not in old
    assert not crashed.exists()
    assert unrelated.exists()


def test_a_second_backup_while_one_runs_is_refused(db, media_root, tmp_path):
    with _connect(connection.settings_dict["NAME"]) as other, other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [backups.LOCK_KEY])
        with pytest.raises(CommandError, match="another backup or restore"):
            call_command("backup", dir=str(tmp_path / "backups"))
        cursor.execute("SELECT pg_advisory_unlock(%s)", [backups.LOCK_KEY])
    other.close()
    assert backups.archives(tmp_path / "backups") == []


@pytest.fixture
def backup_worker(request, monkeypatch, tmp_path):
    """A real worker whose settings put archives under this test's directory."""
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "media"))
    return request.getfixturevalue("celery_worker_process")


@pytest.mark.celery_worker
def test_the_nightly_task_enqueued_twice_writes_one_archive(backup_worker, tmp_path):
    # Through our app, not the shared_task proxy: that follows whichever Celery app is "current".
    backup = app.tasks["hubsite.tasks.backup"]
    first, second = backup.delay(), backup.delay()
    names = [first.get(timeout=120), second.get(timeout=120)]
    archives = backups.archives(tmp_path / "backups")
    assert len(archives) == 1
    assert sorted(names, key=str) == sorted([archives[0].name, None], key=str)


@pytest.fixture
def seeded(db):
    # Transactional tests flush what the migration loaded; seeding again is a no-op otherwise.
    schedule_migration.seed(apps, None)


def test_beat_backs_up_nightly_at_three_in_shanghai_and_sends_the_heartbeat_every_minute(seeded):
    nightly = PeriodicTask.objects.get(task="hubsite.tasks.backup")
    assert (nightly.crontab.hour, nightly.crontab.minute, str(nightly.crontab.timezone)) == (
        "3",
        "0",
        "Asia/Shanghai",
    )
    heartbeat = PeriodicTask.objects.get(task="hubsite.tasks.heartbeat")
    assert (heartbeat.interval.every, heartbeat.interval.period, heartbeat.expire_seconds) == (
        1,
        "minutes",
        60,
    )
    app.loader.import_default_modules()
    assert {nightly.task, heartbeat.task} <= set(app.tasks)


def test_seeding_the_schedule_again_keeps_admin_edits(seeded):
    nightly = PeriodicTask.objects.get(task="hubsite.tasks.backup")
    nightly.enabled = False
    nightly.save()
    before = PeriodicTask.objects.count()
    schedule_migration.seed(apps, None)
    assert PeriodicTask.objects.count() == before
    assert PeriodicTask.objects.get(pk=nightly.pk).enabled is False
