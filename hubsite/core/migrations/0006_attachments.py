# Attachments (issue 15, item 3): files attached to any registered object.

import django.db.models.deletion
import django.utils.timezone
import hubsite.core.attachments.models
import hubsite.core.attachments.storage
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("hubsite", "0005_channels"),
        ("partners", "0003_bounds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Attachment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("photo", "Activity photo"),
                            ("sign_in_sheet", "Sign-in sheet"),
                            ("receipt", "Receipt"),
                            ("budget_sheet", "Budget sheet"),
                            ("plan", "Plan"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("original_name", models.CharField(max_length=200, verbose_name="file name")),
                (
                    "file",
                    models.FileField(
                        max_length=200,
                        storage=hubsite.core.attachments.storage.get_attachment_storage,
                        upload_to=hubsite.core.attachments.models.stored_file_name,
                        verbose_name="file",
                    ),
                ),
                ("mime_type", models.CharField(max_length=100, verbose_name="file type")),
                ("size", models.PositiveIntegerField(verbose_name="size (bytes)")),
                ("width", models.PositiveIntegerField(blank=True, null=True, verbose_name="width")),
                ("height", models.PositiveIntegerField(blank=True, null=True, verbose_name="height")),
                (
                    "thumbnail",
                    models.FileField(
                        blank=True,
                        max_length=200,
                        storage=hubsite.core.attachments.storage.get_attachment_storage,
                        upload_to=hubsite.core.attachments.models.stored_thumbnail_name,
                        verbose_name="thumbnail",
                    ),
                ),
                ("shows_children", models.BooleanField(default=False, verbose_name="shows children")),
                (
                    "consent_recorded",
                    models.BooleanField(default=False, verbose_name="parents' consent recorded"),
                ),
                (
                    "uploaded_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="uploaded at"),
                ),
                (
                    "centre",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="partners.centre",
                        verbose_name="centre",
                    ),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="partners.organisation",
                        verbose_name="organisation",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "attachment",
                "verbose_name_plural": "attachments",
                "ordering": ["uploaded_at", "pk"],
                "indexes": [models.Index(fields=["content_type", "object_id"], name="attachment_owner")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("consent_recorded", False), ("shows_children", True), _connector="OR"
                        ),
                        name="attachment_consent_needs_children",
                    )
                ],
            },
        ),
    ]
