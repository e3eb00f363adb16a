# The import runs (issue #13 item 8).

import django.db.models.deletion
import django.utils.timezone
import hubsite.core.validators
import imports.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('organisations', 'Organisations'), ('centres', 'Centres'), ('people', 'People'), ('figures', 'Past monthly figures')], max_length=20, verbose_name='kind')),
                ('file', models.FileField(max_length=200, upload_to=imports.models._upload_path, verbose_name='file')),
                ('file_name', models.CharField(max_length=200, verbose_name='file name')),
                ('status', models.CharField(choices=[('checking', 'Checking'), ('ready', 'Ready to import'), ('invalid', 'Has errors'), ('importing', 'Importing'), ('done', 'Imported')], max_length=20, verbose_name='status')),
                ('send_invitations', models.BooleanField(default=False, verbose_name='invite new people by e-mail')),
                ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, validators=[hubsite.core.validators.DateBounds()], verbose_name='uploaded at')),
                ('imported_at', models.DateTimeField(blank=True, null=True, validators=[hubsite.core.validators.DateBounds()], verbose_name='imported at')),
                ('rows', models.PositiveIntegerField(default=0, verbose_name='rows')),
                ('created', models.PositiveIntegerField(default=0, verbose_name='created')),
                ('updated', models.PositiveIntegerField(default=0, verbose_name='updated')),
                ('unchanged', models.PositiveIntegerField(default=0, verbose_name='unchanged')),
                ('errors', models.PositiveIntegerField(default=0, verbose_name='rows with errors')),
                ('file_errors', models.JSONField(blank=True, default=list, verbose_name='file errors')),
                ('preview', models.JSONField(blank=True, default=list, verbose_name='preview')),
                ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='imported by')),
                ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'import',
                'verbose_name_plural': 'imports',
                'ordering': ['-uploaded_at', '-pk'],
            },
        ),
    ]
