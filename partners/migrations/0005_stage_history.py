"""One stage-history entry per organisation that already has a stage, so the history explains it."""

from django.db import migrations


def record_current_stages(apps, schema_editor):
    Organisation = apps.get_model("partners", "Organisation")
    OrganisationStageChange = apps.get_model("partners", "OrganisationStageChange")
    OrganisationStageChange.objects.bulk_create(
        OrganisationStageChange(
            organisation_id=organisation.pk,
            from_stage="",
            to_stage=organisation.stage,
            # The stage was set some time before; the partner date is the best-known start of it.
            effective_on=organisation.joined_on or organisation.created_at.date(),
        )
        for organisation in Organisation.objects.exclude(stage="")
    )


class Migration(migrations.Migration):
    dependencies = [("partners", "0004_growth_file")]

    operations = [migrations.RunPython(record_current_stages, migrations.RunPython.noop)]
