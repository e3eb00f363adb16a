"""A meeting kind for the talent programme's sessions (the training app links them to its modules)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_bounds"),
    ]

    operations = [
        migrations.AlterField(
            model_name="meeting",
            name="kind",
            field=models.CharField(
                choices=[
                    ("monthly_topic", "Monthly topic meeting"),
                    ("quarterly_directors", "Quarterly directors' meeting"),
                    ("half_year_regional", "Half-year regional meeting"),
                    ("supervision", "Individual supervision"),
                    ("other", "Other event"),
                    ("training_session", "Training session"),
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
    ]
