"""Seed beat's schedule with the nightly backup and the worker heartbeat that readiness looks for.

Idempotent like 0002: an entry that exists (by name) is left as hub admins edited it. Reversing removes
the entries by name.
"""

from django.db import migrations

TIMEZONE = "Asia/Shanghai"
BACKUP = ("备份：数据库与文件（每晚）", "hubsite.tasks.backup", 3, 0)
HEARTBEAT = ("健康检查：worker 心跳（每分钟）", "hubsite.tasks.heartbeat")


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    name, task, hour, minute = BACKUP
    if not PeriodicTask.objects.filter(name=name).exists():
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=str(minute),
            hour=str(hour),
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=TIMEZONE,
        )
        PeriodicTask.objects.create(name=name, task=task, crontab=crontab, kwargs="{}")
    name, task = HEARTBEAT
    if not PeriodicTask.objects.filter(name=name).exists():
        every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
        # A heartbeat queued while no worker runs is worthless later: it expires instead of piling up.
        PeriodicTask.objects.create(
            name=name, task=task, interval=every_minute, kwargs="{}", expire_seconds=60
        )
    # Beat reloads its schedule when this marker changes (PeriodicTask's save signal does not run here).
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[BACKUP[0], HEARTBEAT[0]]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("hubsite", "0002_reminder_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
