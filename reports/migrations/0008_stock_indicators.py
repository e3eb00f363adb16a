"""Default indicators that count a stock (who came this month, who is on the books) stop adding up
over months: a family that comes every month counted twelve times in a year. Frozen copy of
``reports.defaults.ROLLUPS``; indicators a hub created itself keep adding up as before."""

from django.db import migrations

# code: (over months, over centres)
ROLLUPS = {
    "families_served": ("average", "sum"),
    "children_0_1": ("average", "sum"),
    "children_1_2": ("average", "sum"),
    "children_2_3": ("average", "sum"),
    "volunteers": ("average", "sum"),
}


def set_rollups(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    for code, (over_months, over_units) in ROLLUPS.items():
        Indicator.objects.filter(code=code).update(over_months=over_months, over_units=over_units)


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_indicator_rollup")]

    operations = [migrations.RunPython(set_rollups, migrations.RunPython.noop)]
