"""Old exports do not pile up: beat's daily sweep deletes export jobs and their files on disk after
EXPORT_RETENTION_DAYS (7 unless set), leaves younger ones and jobs still building alone, clears files
no job names, and a second run deletes nothing more (a reviewer's finding on the demo)."""

import datetime
import importlib
import os

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from hubsite.core.exportjobs.cleanup import purge_old_exports
from hubsite.core.exportjobs.models import ExportJob, ExportStatus

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


def job(user, *, days_ago, status=ExportStatus.DONE, content=b"a,b\n", heartbeat_days_ago=None):
    at = NOW - datetime.timedelta(days=days_ago)
    made = ExportJob.objects.create(
        requested_by=user,
        path="/reports/figures/export/",
        title="数据导出",
        format="csv",
        language="zh-hans",
        status=status,
        requested_at=at,
        progress_at=NOW - datetime.timedelta(days=heartbeat_days_ago)
        if heartbeat_days_ago is not None
        else at,
        finished_at=at if status in (ExportStatus.DONE, ExportStatus.FAILED) else None,
    )
    if content is not None:
        made.file.save("数据.csv", ContentFile(content))
    return made


def on_disk(media_root, made) -> bool:
    return (media_root / made.file.name).is_file()


def test_the_sweep_deletes_jobs_and_their_files_past_seven_days_and_twice_is_once(media_root, hub_staff):
    old_done = job(hub_staff, days_ago=8)
    old_failed = job(hub_staff, days_ago=30, status=ExportStatus.FAILED, content=None)
    never_started = job(hub_staff, days_ago=9, status=ExportStatus.QUEUED, content=None)
    recent = job(hub_staff, days_ago=6)
    # Asked for long ago but still building (its heartbeat is minutes old): not swept from its worker.
    building = job(hub_staff, days_ago=8, status=ExportStatus.RUNNING, content=None, heartbeat_days_ago=0)
    old_path = media_root / old_done.file.name
    assert old_path.is_file() and on_disk(media_root, recent)

    assert purge_old_exports(NOW) == {"jobs": 3, "files": 1}
    assert set(ExportJob.objects.all()) == {recent, building}
    assert not ExportJob.objects.filter(pk__in=[old_done.pk, old_failed.pk, never_started.pk]).exists()
    assert not old_path.exists()
    assert not old_path.parent.exists()  # its random folder went with it
    assert on_disk(media_root, recent)

    assert purge_old_exports(NOW) == {"jobs": 0, "files": 0}
    assert set(ExportJob.objects.all()) == {recent, building} and on_disk(media_root, recent)


def test_a_swept_exports_ready_notice_stays_but_no_longer_links_to_a_page_that_is_gone(
    media_root, hub_staff, client
):
    from django.urls import reverse

    from hubsite.core.exportjobs.models import READY_KIND
    from hubsite.core.notifications import notify, object_key

    old, recent = job(hub_staff, days_ago=8), job(hub_staff, days_ago=1)
    notices = {
        made: notify(
            READY_KIND.code,
            hub_staff,
            key=object_key(made),
            subject="导出完成",
            body="…",
            url=reverse("exports:detail", args=[made.pk]),
        )
        for made in (old, recent)
    }
    purge_old_exports(NOW)
    notices[old].refresh_from_db()
    notices[recent].refresh_from_db()
    assert notices[old].subject == "导出完成" and notices[old].url == ""
    assert notices[recent].url == reverse("exports:detail", args=[recent.pk])
    client.force_login(hub_staff)
    opened = client.get(reverse("notifications:open", args=[notices[old].pk]))
    assert opened.status_code == 302 and opened.url == reverse("notifications:list")


def test_the_number_of_days_is_a_setting(media_root, hub_staff, settings):
    settings.EXPORT_RETENTION_DAYS = 2
    three_days = job(hub_staff, days_ago=3)
    yesterday = job(hub_staff, days_ago=1)
    assert purge_old_exports(NOW) == {"jobs": 1, "files": 1}
    assert list(ExportJob.objects.all()) == [yesterday]
    assert not (media_root / three_days.file.name).exists()


def test_a_file_no_job_names_goes_once_it_is_as_old(media_root, hub_staff):
    kept = job(hub_staff, days_ago=1)
    orphans = media_root / "exports" / "2026" / "01" / "abc123"
    orphans.mkdir(parents=True)
    old, fresh = orphans / "旧.xlsx", orphans / "新.xlsx"
    old.write_bytes(b"x")
    fresh.write_bytes(b"y")
    eight_days_ago = (NOW - datetime.timedelta(days=8)).timestamp()
    os.utime(old, (eight_days_ago, eight_days_ago))
    # Ages are judged against the test's clock, which may be set far from the disk's.
    os.utime(fresh, (NOW.timestamp(), NOW.timestamp()))
    unrelated = media_root / "attachments" / "照片.jpg"  # outside exports/: never the sweep's
    unrelated.parent.mkdir()
    unrelated.write_bytes(b"z")
    os.utime(unrelated, (eight_days_ago, eight_days_ago))

    assert purge_old_exports(NOW) == {"jobs": 0, "files": 1}
    assert not old.exists() and fresh.exists() and unrelated.exists()
    assert on_disk(media_root, kept)


def test_the_sweep_runs_with_no_exports_folder_yet(media_root):
    assert purge_old_exports(NOW) == {"jobs": 0, "files": 0}


def test_beat_runs_the_sweep_every_day_with_a_task_the_worker_knows(db):
    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    from hubsite.celery import app

    migration = importlib.import_module("hubsite.core.migrations.0009_export_cleanup")
    # Transactional tests elsewhere flush what the migration loaded; seeding again changes nothing.
    migration.seed(apps, None)
    migration.seed(apps, None)
    (task,) = PeriodicTask.objects.filter(task="hubsite.purge_old_exports")
    assert task.enabled and task.kwargs == "{}"
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == (
        "4",
        "45",
        "Asia/Shanghai",
    )
    app.loader.import_default_modules()
    assert "hubsite.purge_old_exports" in app.tasks
    migration.unseed(apps, None)
    assert not PeriodicTask.objects.filter(task="hubsite.purge_old_exports").exists()


def test_the_task_sweeps_with_the_same_rules(media_root, hub_staff):
    from hubsite.core.exportjobs.tasks import purge_old_exports as task

    old = job(hub_staff, days_ago=8)
    assert task() == {"jobs": 1, "files": 1}
    assert not ExportJob.objects.filter(pk=old.pk).exists()


def test_a_ready_exports_page_says_how_long_its_file_is_kept(media_root, hub_staff, client, settings):
    from django.urls import reverse

    made = job(hub_staff, days_ago=0)
    client.force_login(hub_staff)
    settings.EXPORT_RETENTION_DAYS = 3
    html = client.get(reverse("exports:detail", args=[made.pk])).content.decode()
    assert '<p class="small text-muted mb-0" id="export-kept">文件保留 3 天，之后自动删除。</p>' in html
