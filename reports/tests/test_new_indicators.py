"""Seed 003's year in numbers: new volunteers, service users who became volunteers, child volunteers,
volunteer turnouts and early-education classes graduated, asked from January 2027 (a fixed month,
whatever the day the migration ran); reports of earlier months keep their form."""

import ast
import datetime
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from reports import demo
from reports.defaults import YEAR_IN_NUMBERS_FROM, YEAR_IN_NUMBERS_INDICATORS, load_year_in_numbers_indicators
from reports.models import Indicator, MonthlyReport, ReportValue
from reports.regional import content
from reports.regional.choices import PeriodKind
from reports.tests.factories import make_report

NEW_CODES = {row[1] for row in YEAR_IN_NUMBERS_INDICATORS}
MIGRATION = "reports/migrations/0010_targets.py"
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def new_indicators(indicators):
    load_year_in_numbers_indicators(Indicator)
    return {i.code: i for i in Indicator.objects.filter(code__in=NEW_CODES)}


def _rows():
    names = [
        f.attname for f in Indicator._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")
    ]
    names = [n for n in names if n != "within_id"] + ["within__code"]
    return list(Indicator.objects.filter(code__in=NEW_CODES).order_by("code").values(*names))


def test_the_migration_loads_what_the_live_loader_loads(indicators):
    loader = MigrationLoader(connection)
    migration = loader.get_migration("reports", "0010_targets")
    (operation,) = [op for op in migration.operations if hasattr(op, "code")]
    historical = loader.project_state(("reports", "0010_targets"), at_end=False).apps
    Indicator.objects.filter(code__in=NEW_CODES).delete()

    operation.code(historical, None)
    migrated = _rows()
    Indicator.objects.filter(code__in=NEW_CODES).delete()
    load_year_in_numbers_indicators(Indicator)

    assert len(migrated) == 5
    assert migrated == _rows()


def test_the_migration_imports_nothing_from_the_project():
    tree = ast.parse((Path(settings.BASE_DIR) / MIGRATION).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    # The schema part names the bounds validators (as makemigrations writes them); the rows are frozen.
    assert imported <= {
        "datetime",
        "decimal",
        "django.db",
        "django.conf",
        "django.db.models.deletion",
        "hubsite.core.validators",
    }


def test_reports_ask_for_them_from_january_2027_only(new_indicators):
    december = {i.code for i in Indicator.objects.valid_for(datetime.date(2026, 12, 1))}
    january = {i.code for i in Indicator.objects.valid_for(datetime.date(2027, 1, 1))}

    assert datetime.date(2027, 1, 1) == YEAR_IN_NUMBERS_FROM
    assert not NEW_CODES & december
    assert january >= NEW_CODES
    assert len(january) == len(december) + 5


def test_each_counts_people_or_classes_once_and_adds_up_over_months_and_centres(new_indicators):
    units = {code: (i.unit, i.over_months, i.over_units) for code, i in new_indicators.items()}

    assert units == {
        "new_volunteers": ("人", "sum", "sum"),
        "volunteers_from_users": ("人", "sum", "sum"),
        "child_volunteers": ("人", "sum", "sum"),
        "volunteer_turnouts": ("人次", "sum", "sum"),
        "classes_graduated": ("个", "sum", "sum"),
    }
    # Service users who became volunteers are some of the new volunteers: the form checks the parts.
    assert new_indicators["volunteers_from_users"].within == new_indicators["new_volunteers"]


def test_a_report_of_2027_asks_for_them_and_a_report_of_2026_does_not(org_a, centre_a, new_indicators):
    with time_machine.travel(datetime.datetime(2027, 2, 20, tzinfo=SHANGHAI)):
        old = make_report(org_a, datetime.date(2026, 12, 1))
        new = make_report(org_a, datetime.date(2027, 1, 1))

        assert not NEW_CODES & {i.code for i in old.indicators()}
        assert {i.code for i in new.indicators()} >= NEW_CODES


def test_the_annual_report_counts_them_with_their_own_units(org_a, centre_a, new_indicators):
    values = {
        "new_volunteers": 4,
        "volunteers_from_users": 3,
        "child_volunteers": 2,
        "volunteer_turnouts": 30,
    }
    for month in range(1, 13):
        make_report(org_a, datetime.date(2027, month, 1), status="approved", values=values)

    c = content.gather(PeriodKind.YEAR, datetime.date(2027, 1, 1), today=datetime.date(2028, 1, 20))

    numbers = {label: (value, unit) for label, value, unit in c.year_in_numbers}
    assert numbers["新增志愿者"] == (48, "人")
    assert numbers["服务对象转为志愿者"] == (36, "人")
    assert numbers["参与志愿服务的儿童"] == (24, "人")
    assert numbers["志愿服务人次"] == (360, "人次")
    # Volunteers on the books are people in an average month, never "person-times".
    assert "平均每月志愿者人数" not in numbers or numbers["平均每月志愿者人数"][1] == "人"


def test_the_demo_fills_them_in_from_2027_and_leaves_earlier_months_as_they_were(
    hub_staff, partner, org_a, centre_a, new_indicators
):
    with time_machine.travel(datetime.datetime(2027, 4, 20, 10, tzinfo=SHANGHAI)):
        demo.seed({})

    reports = MonthlyReport.objects.filter(organisation=org_a).exclude(status="draft")
    new_values = ReportValue.objects.filter(report__in=reports, indicator__code__in=NEW_CODES)
    assert set(new_values.values_list("month", flat=True)) <= {datetime.date(2027, m, 1) for m in (1, 2, 3)}
    assert new_values.filter(indicator__code="new_volunteers").exists()
    for value in new_values.select_related("indicator"):
        assert value.indicator.min_value <= value.number <= value.indicator.max_value
    # The parts never exceed the whole, centre by centre.
    by_centre = {}
    for report_id, code, number in new_values.values_list("report_id", "indicator__code", "number"):
        by_centre.setdefault(report_id, {})[code] = number
    assert all(v["volunteers_from_users"] <= v["new_volunteers"] for v in by_centre.values())


def test_the_demo_figures_before_2027_do_not_change_with_the_new_indicators():
    rng_a, rng_b = (demo.random.Random("1-202612") for _ in range(2))
    assert demo.centre_values(rng_a, datetime.date(2026, 12, 1), 1.0) == demo.centre_values(
        rng_b, datetime.date(2026, 12, 1), 1.0
    )
    assert set(demo.centre_values(rng_a, datetime.date(2026, 12, 1), 1.0)).isdisjoint(NEW_CODES)
