"""Beat's database schedule is seeded by a migration, idempotently, with tasks that exist."""

import importlib

import pytest
from django.apps import apps
from django_celery_beat.models import PeriodicTask

from hubsite.celery import app

seed_migration = importlib.import_module("hubsite.core.migrations.0002_reminder_schedule")


@pytest.fixture
def seeded(db):
    # Transactional tests elsewhere (live server, Celery worker) flush what the migration loaded;
    # seeding is idempotent, so this is a no-op on a freshly migrated database.
    seed_migration.seed(apps, None)


def test_the_migration_seeds_the_daily_sweeps_at_eight_in_shanghai_and_the_five_minute_email_sweep(seeded):
    reports = PeriodicTask.objects.get(task="reports.tasks.send_report_reminders")
    assert (reports.crontab.hour, reports.crontab.minute, str(reports.crontab.timezone)) == (
        "8",
        "0",
        "Asia/Shanghai",
    )
    meetings = PeriodicTask.objects.get(task="meetings.tasks.send_meeting_reminders")
    assert meetings.crontab.hour == "8" and meetings.enabled
    pending = PeriodicTask.objects.get(task="hubsite.notifications.tasks.send_pending_notification_emails")
    assert (pending.interval.every, pending.interval.period) == (5, "minutes")


def test_seeding_again_changes_nothing_and_keeps_admin_edits(seeded):
    task = PeriodicTask.objects.get(task="reports.tasks.send_report_reminders")
    task.enabled = False
    task.save()
    before = PeriodicTask.objects.count()
    seed_migration.seed(apps, None)
    assert PeriodicTask.objects.count() == before
    assert PeriodicTask.objects.get(pk=task.pk).enabled is False


def test_every_scheduled_task_is_a_registered_celery_task(seeded):
    app.loader.import_default_modules()
    for task in PeriodicTask.objects.all():
        assert task.task in app.tasks, task.task
