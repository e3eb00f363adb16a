"""The outbox (hubsite.core.outbox) and beat's one-minute sweep that publishes what a broker outage held back.

Seeding is idempotent like 0002: an entry that exists (by name) is left as hub admins edited it.
Reversing removes it by name.

Depends on 0004_backup_schedule although numbered before it: both were written at the same time from
0002, and two leaves would stop `migrate`; the project's rule is that the later one depends on the other.
"""

from django.db import migrations, models

SWEEP = ("发件箱：补发待发送的后台任务（每分钟）", "hubsite.outbox.sweep")


def seed(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    name, task = SWEEP
    if not PeriodicTask.objects.filter(name=name).exists():
        every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
        PeriodicTask.objects.create(name=name, task=task, interval=every_minute, kwargs="{}")
    # Beat reloads its schedule when this marker changes (PeriodicTask's save signal does not run here).
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=SWEEP[0]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('hubsite', '0004_backup_schedule'),
        ('django_celery_beat', '0019_alter_periodictasks_options'),
    ]

    operations = [
        migrations.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('task', models.CharField(max_length=200, verbose_name='task')),
                ('args', models.JSONField(blank=True, default=list, verbose_name='arguments')),
                ('kwargs', models.JSONField(blank=True, default=dict, verbose_name='keyword arguments')),
                ('once', models.BooleanField(default=False, verbose_name='at most once')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='done at')),
                ('attempts', models.PositiveIntegerField(default=0, verbose_name='attempts')),
                ('last_error', models.TextField(blank=True, verbose_name='last error')),
            ],
            options={
                'verbose_name': 'outbox message',
                'verbose_name_plural': 'outbox messages',
                'ordering': ['pk'],
                'indexes': [models.Index(condition=models.Q(('sent_at__isnull', True)), fields=['id'], name='outbox_unsent'), models.Index(condition=models.Q(('done_at__isnull', True), ('once', True)), fields=['sent_at'], name='outbox_once_not_done')],
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
