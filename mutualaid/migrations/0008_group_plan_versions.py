# The hub edits stage goals and core-team roles, and a joint action's lead renames sub-activities:
# a version on each so an edit made over someone else's is refused, not merged.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mutualaid", "0007_group_plan"),
    ]

    operations = [
        migrations.AddField(
            model_name="coreteammember",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
        migrations.AddField(
            model_name="jointactivity",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
        migrations.AddField(
            model_name="stagegoal",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
    ]
