"""Targets on the grid, in the exports and the annual report, and the pages' query counts (the same
for 1 organisation, centre and target as for 5)."""

import csv
import datetime
import io
import zoneinfo

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.choices import OrganisationStatus
from reports.models import Target
from reports.regional import content
from reports.regional.choices import PeriodKind
from reports.tests.factories import submitted

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2025, 1, 20, 10, tzinfo=SHANGHAI)
CODES = ("child_visits", "families_served", "classes", "book_loans", "home_visits")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _network(size, prefectures, make_centre, indicators, *, year=2024):
    """``size`` organisations of ``size`` centres each, three months reported, ``size`` targets each."""
    from partners.models import Organisation

    organisations = []
    for n in range(size):
        org = Organisation.objects.create(
            name=f"目标机构{n}", prefecture=prefectures["450100"], status=OrganisationStatus.ACTIVE
        )
        for c in range(size):
            make_centre(org, f"园{c}", datetime.date(2022, 1, 1))
        for month in (1, 2, 3):
            submitted(org, datetime.date(year, month, 1))
        for code in CODES[:size]:
            Target.objects.create(organisation=org, indicator=indicators[code], year=year, value=1000)
        organisations.append(org)
    return organisations


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# ---------------------------------------------------------------------------------------------
# What they show


def test_the_grid_shows_each_organisations_achievement_for_the_chosen_indicator(
    client_for, hub_staff, org_a, centre_a, org_b, centre_b, indicators
):
    for month in (1, 2, 3):
        submitted(org_a, datetime.date(2024, month, 1))  # 300 child visits a month
    Target.objects.create(organisation=org_a, indicator=indicators["child_visits"], year=2024, value=1800)

    response = client_for(hub_staff).get(reverse("reports:grid"), {"year": 2024, "indicator": "child_visits"})

    html = response.content.decode()
    assert 'class="target-column"' in html
    rows = {row.pk: row for row in response.context["rows"]}
    assert rows[org_a.pk].achievement.percent == 50
    assert rows[org_b.pk].achievement is None  # no target: a dot, not 0%
    assert ">50%<" in html


def test_the_grid_reads_achievements_from_the_cache_until_a_target_or_a_report_changes(
    client_for, hub_staff, org_a, centre_a, org_b, centre_b, indicators, django_assert_num_queries
):
    from partners.coverage import data_changed

    for month in (1, 2, 3):
        submitted(org_a, datetime.date(2024, month, 1))  # 300 child visits a month
    target = Target.objects.create(
        organisation=org_a, indicator=indicators["child_visits"], year=2024, value=1800
    )
    client = client_for(hub_staff)
    query = {"year": 2024, "indicator": "child_visits"}

    def percent():
        rows = {row.pk: row for row in client.get(reverse("reports:grid"), query).context["rows"]}
        return rows[org_a.pk].achievement.percent

    assert percent() == 50
    # session + user, prefectures, indicators with targets, the targets' fingerprint
    with django_assert_num_queries(5):
        assert percent() == 50
    target.value = 900
    target.save()  # no data version: the targets' fingerprint changes
    assert percent() == 100
    submitted(org_a, datetime.date(2024, 4, 1))
    data_changed()  # what a saved report's signal does on commit
    assert percent() == 133


def test_without_a_chosen_indicator_the_grid_has_no_target_column(
    client_for, hub_staff, org_a, centre_a, indicators
):
    Target.objects.create(organisation=org_a, indicator=indicators["child_visits"], year=2024, value=1800)

    html = client_for(hub_staff).get(reverse("reports:grid"), {"year": 2024}).content.decode()

    assert 'class="target-column"' not in html
    assert 'name="indicator"' in html  # but the choice is offered


def test_the_grid_export_has_target_and_achieved_columns(client_for, hub_staff, org_a, centre_a, indicators):
    for month in (1, 2, 3):
        submitted(org_a, datetime.date(2024, month, 1))
    Target.objects.create(organisation=org_a, indicator=indicators["families_served"], year=2024, value=120)

    response = client_for(hub_staff).get(
        reverse("reports:grid_export"), {"year": 2024, "indicator": "families_served", "format": "xlsx"}
    )

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = values[0]
    # The heading says the target is an average month's families, in households.
    assert header[-2:] == [
        "服务家庭数（去重）（户，月均） 目标",
        "服务家庭数（去重）（户，月均） 完成率（%）",
    ]
    org_row = next(row for row in values if row[0] == org_a.name)
    assert org_row[-2:] == [120, 50]  # 60 families in an average month


def test_the_figures_export_ends_with_each_organisations_targets_and_achievement(
    client_for, partner, org_a, centre_a, org_b, centre_b, indicators
):
    submitted(org_a, datetime.date(2024, 1, 1))
    submitted(org_b, datetime.date(2024, 1, 1))
    Target.objects.create(organisation=org_a, indicator=indicators["child_visits"], year=2024, value=3000)
    Target.objects.create(organisation=org_b, indicator=indicators["child_visits"], year=2024, value=999)

    rows = _csv(client_for(partner).get(reverse("reports:figures_export"), {"year": 2024, "format": "csv"}))

    header = rows[0]
    visits = header.index("儿童服务人次 (child_visits)")
    target, achieved = rows[-2], rows[-1]
    assert target[:5] == ["2024", org_a.prefecture.name, org_a.name, "（机构整体）", "目标"]
    assert (target[visits], achieved[visits]) == ("3000", "10")
    # A partner's export has no other organisation's targets.
    assert not [row for row in rows if row[2] == org_b.name]


def test_the_annual_report_has_a_per_partner_achievement_table(org_a, centre_a, indicators):
    for month in range(1, 13):
        submitted(org_a, datetime.date(2024, month, 1))
    Target.objects.create(organisation=org_a, indicator=indicators["families_served"], year=2024, value=80)
    Target.objects.create(organisation=org_a, indicator=indicators["child_visits"], year=2024, value=4000)

    c = content.gather(PeriodKind.YEAR, datetime.date(2024, 1, 1), today=datetime.date(2025, 1, 20))

    (row,) = c.target_rows
    figures = {t.indicator.code: (t.target, t.achieved, t.percent) for t in row.targets}
    assert figures == {"child_visits": (4000, 3600, 90), "families_served": (80, 60, 75)}


def test_the_annual_pdf_and_xlsx_carry_the_achievement_table(org_a, centre_a, indicators):
    from reports.regional.pdf import render_html
    from reports.regional.xlsx import write_xlsx

    for month in range(1, 13):
        submitted(org_a, datetime.date(2024, month, 1))
    Target.objects.create(organisation=org_a, indicator=indicators["families_served"], year=2024, value=80)
    c = content.gather(PeriodKind.YEAR, datetime.date(2024, 1, 1), today=datetime.date(2025, 1, 20))

    html = render_html(c)
    buffer = io.BytesIO()
    write_xlsx(c, buffer)

    assert 'id="targets"' in html and "75%" in html
    # The by-organisation table's headings carry the unit and how a figure adds up.
    assert "服务家庭数（去重）（户，月均）" in html
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["目标"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1] == [org_a.name, "服务家庭数（去重）（户，月均）", 80, 60, 75]


# ---------------------------------------------------------------------------------------------
# Query counts


@pytest.mark.parametrize("size", [1, 5])
def test_the_targets_form_runs_a_fixed_number_of_queries(
    size, client_for, hub_staff, prefectures, make_centre, indicators, django_assert_num_queries
):
    (org, *_others) = _network(size, prefectures, make_centre, indicators)
    client = client_for(hub_staff)
    # session, user, organisation, indicators, centres, current targets, stamp
    with django_assert_num_queries(7):
        response = client.get(reverse("reports:targets_edit", args=[org.pk, 2024]))
    assert len(response.context["form"].sections()) == size + 1


@pytest.mark.parametrize("size", [1, 5])
def test_the_targets_index_runs_a_fixed_number_of_queries(
    size, client_for, hub_staff, prefectures, make_centre, indicators, django_assert_num_queries
):
    _network(size, prefectures, make_centre, indicators)
    client = client_for(hub_staff)
    # session, user, organisations with their number of targets
    with django_assert_num_queries(3):
        response = client.get(reverse("reports:targets"), {"year": 2024})
    assert f'<td class="text-end">{size}</td>' in response.content.decode()


@pytest.mark.parametrize("size", [1, 5])
def test_the_grid_with_a_target_column_runs_a_fixed_number_of_queries(
    size, client_for, hub_staff, prefectures, make_centre, indicators, django_assert_num_queries
):
    _network(size, prefectures, make_centre, indicators)
    client = client_for(hub_staff)
    # session + user, prefectures, organisations, centres, reports, indicators with targets,
    # the targets' fingerprint (the cache's key), the chosen indicator's targets, their figures
    with django_assert_num_queries(10):
        response = client.get(reverse("reports:grid"), {"year": 2024, "indicator": "child_visits"})
    # 300 child visits a month in each centre: 3 months of `size` centres against 1,000.
    assert {row.achievement.percent for row in response.context["rows"]} == {90 * size}


@pytest.mark.parametrize("size", [1, 5])
def test_the_partner_home_with_targets_runs_a_fixed_number_of_queries(
    size, rf, make_user, prefectures, make_centre, indicators, django_assert_num_queries
):
    from reports.home import panels

    (org, *_others) = _network(size, prefectures, make_centre, indicators)
    request = rf.get("/")
    request.user = make_user("p@example.org", "partner_staff", org)
    # last month's report, operating centre and targets exist, returned months, targets, their figures
    with django_assert_num_queries(5):
        found = panels(request)
    (box,) = [p for p in found if p.get("kind") == "targets"]
    assert len(box["rows"]) == size


@pytest.mark.parametrize("size", [1, 5])
def test_the_organisation_page_box_runs_a_fixed_number_of_queries(
    size, rf, hub_staff, prefectures, make_centre, indicators, django_assert_num_queries
):
    from reports.targets import organisation_panels

    (org, *_others) = _network(size, prefectures, make_centre, indicators)
    request = rf.get("/")
    request.user = hub_staff
    with django_assert_num_queries(2):  # targets, their figures
        (box,) = organisation_panels(request, org)
    percents = {row.indicator.code: row.percent for row in box["rows"]}
    assert percents["child_visits"] == 90 * size


@pytest.mark.parametrize("size", [1, 4])
def test_the_annual_report_with_targets_keeps_its_query_count(size, prefectures, make_centre, indicators):
    _network(size, prefectures, make_centre, indicators)

    with CaptureQueriesContext(connection) as queries:
        c = content.gather(PeriodKind.YEAR, datetime.date(2024, 1, 1), today=datetime.date(2025, 1, 20))

    assert len(queries) == 15
    assert len(c.target_rows) == size
