from django.db import migrations

CRITERIA = ["project_year", "first_centre_rating", "funder_award", "expansion_plan", "shared_experience"]


def create_default_policy(apps, schema_editor):
    # Version 1 of the policy: all five criteria required, one year, first centre at least 达标.
    Policy = apps.get_model("mutualaid", "EligibilityPolicy")
    if not Policy.objects.exists():
        Policy.objects.create(version=1, required=CRITERIA, min_optional_met=0, project_months=12,
                              min_rating="meets_standard", note="默认：五项全部必备")


class Migration(migrations.Migration):
    dependencies = [("mutualaid", "0001_initial")]
    operations = [migrations.RunPython(create_default_policy, migrations.RunPython.noop)]
