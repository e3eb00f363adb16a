"""Access matrix for the imports: hub staff only (partner people and viewers 403, whatever the run)."""

from django.core.files.base import ContentFile

from imports.choices import ImportKind, RunStatus
from imports.models import ImportRun
from tests.matrix import Case, hub_only


def setup(world):
    world.import_run = ImportRun(
        kind=ImportKind.ORGANISATIONS,
        file_name="机构.csv",
        status=RunStatus.DONE,
        uploaded_by=world.hub_staff,
    )
    world.import_run.file.save("机构.csv", ContentFile("\ufeff机构全称\n".encode()), save=False)
    world.import_run.save()


def _run(world):
    return {"pk": world.import_run.pk}


CASES = [
    Case("imports:run_list", hub_only()),
    Case("imports:run_list", hub_only(), query="kind=people&status=done&q=x"),
    Case("imports:upload", hub_only()),
    # A POST without a file: the form answers with its errors, nothing is uploaded.
    Case("imports:upload", hub_only(), method="post", data={"kind": "people"}),
    Case("imports:template", hub_only(), kwargs={"kind": "organisations", "fmt": "xlsx"}),
    Case("imports:template", hub_only(), kwargs={"kind": "figures", "fmt": "csv"}),
    Case("imports:template", hub_only(404), kwargs={"kind": "nothing", "fmt": "csv"}),
    Case("imports:run_detail", hub_only(), kwargs=_run),
    Case("imports:run_file", hub_only(), kwargs=_run),
    # A finished run is not waiting for confirmation: hub staff are sent back to it.
    Case("imports:run_confirm", hub_only(302), kwargs=_run, method="post"),
    Case("imports:run_confirm", hub_only(302), kwargs=_run),
]
