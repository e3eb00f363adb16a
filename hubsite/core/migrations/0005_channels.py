"""Notification channels (issue 15): deliveries, WeCom group robots, verified mobile numbers, per-kind
channel choices, and beat's one-minute sweep of pending deliveries.

Seeding is idempotent like 0002: an entry that exists (by name) is left as hub admins edited it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SWEEP = ("通知：补发待发送的群消息与短信（每分钟）", "hubsite.notifications.tasks.send_pending_deliveries")


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
        ('hubsite', '0003_outbox'),
        ('django_celery_beat', '0019_alter_periodictasks_options'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Delivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('channel', models.CharField(max_length=30, verbose_name='channel')),
                ('target', models.CharField(max_length=500, verbose_name='target')),
                ('status', models.CharField(choices=[('pending', 'Waiting to be sent'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=10, verbose_name='status')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('last_error', models.TextField(blank=True, verbose_name='last error')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('retry_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
            ],
            options={
                'verbose_name': 'delivery',
                'verbose_name_plural': 'deliveries',
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='GroupRobot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('webhook_url', models.URLField(max_length=300, verbose_name='webhook URL')),
                ('kinds', models.JSONField(blank=True, default=list, verbose_name='kinds posted')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
            ],
            options={
                'verbose_name': 'WeCom group robot',
                'verbose_name_plural': 'WeCom group robots',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='MobileNumber',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=20, verbose_name='mobile number')),
                ('verified_at', models.DateTimeField(blank=True, null=True, verbose_name='verified at')),
                ('code_hash', models.CharField(blank=True, max_length=64)),
                ('code_expires_at', models.DateTimeField(blank=True, null=True)),
                ('code_tries', models.PositiveSmallIntegerField(default=0)),
                ('code_sent_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'verbose_name': 'mobile number',
                'verbose_name_plural': 'mobile numbers',
            },
        ),
        migrations.AddField(
            model_name='notification',
            name='channels_planned',
            field=models.BooleanField(default=True, verbose_name='channels planned'),
        ),
        migrations.AddField(
            model_name='notificationpreference',
            name='channels',
            field=models.JSONField(blank=True, default=list, verbose_name='channels'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('channels_planned', False)), fields=['id'], name='notification_unplanned'),
        ),
        migrations.AddField(
            model_name='delivery',
            name='notification',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='hubsite.notification', verbose_name='notification'),
        ),
        migrations.AddField(
            model_name='mobilenumber',
            name='user',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='mobile_number', to=settings.AUTH_USER_MODEL, verbose_name='person'),
        ),
        migrations.AddIndex(
            model_name='delivery',
            index=models.Index(condition=models.Q(('status', 'pending')), fields=['id'], name='delivery_pending'),
        ),
        migrations.AddConstraint(
            model_name='delivery',
            constraint=models.UniqueConstraint(fields=('notification', 'channel', 'target'), name='one_delivery_per_target'),
        ),
        migrations.RunPython(seed, unseed),
    ]
