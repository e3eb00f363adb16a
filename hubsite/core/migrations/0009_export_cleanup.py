"""Beat's daily sweep of old export jobs and their files (``hubsite.purge_old_exports``).

Data only, idempotent like partners 0006: an entry that exists, by task, is left as hub admins edited
it; reversing removes it.
"""

import django.utils.timezone
from django.db import migrations

SWEEP = ("导出：删除过期的导出文件（每天）", "hubsite.purge_old_exports", 4, 45)


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    name, task, hour, minute = SWEEP
    if not PeriodicTask.objects.filter(task=task).exists():
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=str(minute),
            hour=str(hour),
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.create(name=name, task=task, crontab=crontab, kwargs="{}")
    # Beat reloads its schedule when this marker changes (PeriodicTask's save signal does not run here).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": django.utils.timezone.now()})


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=SWEEP[1]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("hubsite", "0008_export_jobs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
