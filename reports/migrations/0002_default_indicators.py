from django.db import migrations

from reports.defaults import load_default_indicators


def load(apps, schema_editor):
    load_default_indicators(apps.get_model("reports", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
