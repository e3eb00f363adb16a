from django.db import migrations

from partners.geodata import load_guangxi


def load(apps, schema_editor):
    load_guangxi(apps.get_model("partners", "Province"), apps.get_model("partners", "Prefecture"))


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
