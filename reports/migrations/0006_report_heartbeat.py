"""Generated reports beat (``progress_at``), and beat marks the ones whose job stopped as failed.

The sweep runs every two minutes: a cheap query on (status, requested_at) that usually finds
nothing. Idempotent like 0004: a task that exists (by its task name) is left as it is, so a hub
admin's edits in the admin survive.
"""

import json

from django.db import migrations, models

TASK_NAME = "区域报告：标记已中断的生成任务（每 2 分钟） (reports.fail_stale_regional_reports)"
TASK = "reports.fail_stale_regional_reports"


def add_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(task=TASK).exists():
        return
    every_two, _created = IntervalSchedule.objects.get_or_create(every=2, period="minutes")
    PeriodicTask.objects.create(
        name=TASK_NAME,
        task=TASK,
        interval=every_two,
        args=json.dumps([]),
        kwargs=json.dumps({}),
        description="Marks queued or running regional reports whose job stopped giving signs of life "
        "as failed, with the reason shown on the regional reports page, and tells the requester.",
    )
    # Beat reloads its schedule when this marker changes (PeriodicTask's save signal does not run here).
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_bounds"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="generatedreport",
            name="progress_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last progress at"),
        ),
        migrations.RunPython(add_schedule, remove_schedule),
    ]
