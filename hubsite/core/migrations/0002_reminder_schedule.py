"""Seed beat's database schedule (django-celery-beat): the daily reminder sweeps and the e-mail catch-up.

Idempotent: an entry that exists (by name) is left as it is, so hub admins' edits in the admin
(another hour, disabled) survive re-running migrations. Reversing removes the entries by name.
"""

import json

from django.db import migrations

TIMEZONE = "Asia/Shanghai"
DAILY = [
    # (name, task, hour, minute): the meeting sweep a few minutes later so the two do not overlap.
    ("提醒：月报（每日）", "reports.tasks.send_report_reminders", 8, 0),
    ("提醒：会议与待办事项（每日）", "meetings.tasks.send_meeting_reminders", 8, 5),
]
PENDING = ("通知：补发待发送的邮件（每 5 分钟）", "hubsite.notifications.tasks.send_pending_notification_emails")


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, hour, minute in DAILY:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=str(minute),
            hour=str(hour),
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=TIMEZONE,
        )
        PeriodicTask.objects.create(name=name, task=task, crontab=crontab, kwargs="{}")
    name, task = PENDING
    if not PeriodicTask.objects.filter(name=name).exists():
        every_five, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
        PeriodicTask.objects.create(
            name=name, task=task, interval=every_five, kwargs=json.dumps({"older_than_seconds": 60})
        )
    # Beat reloads its schedule when this marker changes (PeriodicTask's save signal does not run here).
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in DAILY] + [PENDING[0]]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("hubsite", "0001_notifications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
