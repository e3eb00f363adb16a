"""Beat schedule (django-celery-beat, editable in the admin): attach meeting report packs daily.

Idempotent: the crontab and the task are looked up by their natural keys, so running it again (or on
a database where someone already added the task by hand) changes nothing.
"""

import json

from django.db import migrations

TASK_NAME = "报告包：会前一周附上区域报告 (reports.attach_meeting_packs)"
TASK = "reports.attach_meeting_packs"


def add_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="6",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    if not PeriodicTask.objects.filter(task=TASK).exists():
        PeriodicTask.objects.create(
            name=TASK_NAME,
            task=TASK,
            crontab=crontab,
            args=json.dumps([]),
            kwargs=json.dumps({}),
            description="Generates last quarter's / half-year's regional report for directors' and "
            "regional meetings starting within seven days and links it to the meeting.",
        )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_generated_reports"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(add_schedule, remove_schedule)]
