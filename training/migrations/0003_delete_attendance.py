"""Training's own attendance is gone: the meetings' invitations hold it (see 0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_sessions_as_meetings"),
    ]

    operations = [
        migrations.DeleteModel(name="Attendance"),
    ]
