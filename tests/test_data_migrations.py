"""Data migrations carry frozen copies of their rows instead of importing live code, and on a fresh
database they load exactly what the live loaders (``reports.defaults``, ``partners.geodata``) give.

Each migration's own function runs here with the historical models Django gives it, on emptied
tables (the test's transaction puts the rows back). When a live loader is changed on purpose, the
change needs a new data migration for existing databases; this test then says which rows differ.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

pytestmark = pytest.mark.django_db
FROZEN = [
    "reports/migrations/0002_default_indicators.py",
    "reports/migrations/0008_stock_indicators.py",
    "partners/migrations/0002_guangxi_prefectures.py",
]


def _run_data_migration(app_label: str, name: str) -> None:
    loader = MigrationLoader(connection)
    (operation,) = loader.get_migration(app_label, name).operations
    historical = loader.project_state((app_label, name), at_end=False).apps
    operation.code(historical, None)


def _rows(model, *, skip=("id", "created_at", "updated_at"), **related_codes):
    """Every row as a dict of its own columns, foreign keys shown by the related row's code."""
    names = [f.attname for f in model._meta.concrete_fields if f.name not in skip and not f.is_relation]
    names += [f"{field}__code" for field in related_codes]
    return list(model.objects.order_by("code").values(*names))


def _indicators():
    from reports.models import Indicator

    return _rows(Indicator, within=True)


def _geography():
    from partners.models import Prefecture, Province

    return _rows(Province), _rows(Prefecture, province=True)


def _empty_indicators():
    from reports.models import Indicator

    Indicator.objects.all().delete()
    assert not Indicator.objects.exists()


def _empty_geography():
    from partners.models import Prefecture, Province

    Prefecture.objects.all().delete()
    Province.objects.all().delete()


def test_the_default_indicators_migration_loads_what_the_live_defaults_load():
    from reports.defaults import load_default_indicators
    from reports.models import Indicator

    _empty_indicators()
    _run_data_migration("reports", "0002_default_indicators")
    # Later data migrations that changed the defaults on purpose (how stocks add up).
    _run_data_migration("reports", "0008_stock_indicators")
    migrated = _indicators()
    _empty_indicators()
    load_default_indicators(Indicator)

    assert len(migrated) == 19
    assert {row["code"]: row["within__code"] for row in migrated}["children_0_1"] == "child_visits"
    assert migrated == _indicators()


def test_the_guangxi_migration_loads_what_the_live_geodata_loads():
    from partners.geodata import load_guangxi
    from partners.models import Prefecture, Province

    _empty_geography()
    _run_data_migration("partners", "0002_guangxi_prefectures")
    provinces, prefectures = _geography()
    _empty_geography()
    load_guangxi(Province, Prefecture)

    assert [p["name"] for p in provinces] == ["广西壮族自治区"]
    assert len(prefectures) == 14
    assert {p["province__code"] for p in prefectures} == {"450000"}
    assert (provinces, prefectures) == _geography()


@pytest.mark.parametrize("path", FROZEN)
def test_a_data_migration_imports_nothing_from_the_project(path):
    tree = ast.parse((Path(settings.BASE_DIR) / path).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}

    assert imported <= {"datetime", "django.db"}
