import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from reports.models import ReportValue
from reports.tests.factories import make_report, submitted


@pytest.fixture
def reports(org_a, org_b, centre_a, centre_b):
    a = submitted(org_a, datetime.date(2024, 2, 1))
    b = submitted(org_b, datetime.date(2024, 2, 1))
    # A partner typed a formula into a free-text field.
    ReportValue.objects.filter(report=a, indicator__code="highlights").update(
        text='=HYPERLINK("http://evil")'
    )
    return a, b


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_figures_export_has_one_row_per_centre_and_month_and_neutralises_formulas(
    client_for, hub_staff, reports, centre_a, centre_b
):
    rows = _csv(client_for(hub_staff).get(reverse("reports:figures_export"), {"year": 2024, "format": "csv"}))
    header, body = rows[0], rows[1:]
    assert "儿童服务人次 (child_visits)" in header
    centre_rows = [r for r in body if r[3] in (centre_a.name, centre_b.name)]
    assert len(centre_rows) == 2
    assert centre_rows[0][header.index("儿童服务人次 (child_visits)")] == "300"
    highlights = header.index("本月亮点 (highlights)")
    assert '\'=HYPERLINK("http://evil")' in [r[highlights] for r in body]


def test_a_partner_exports_only_their_own_organisation(client_for, partner, reports, org_a, org_b):
    rows = _csv(client_for(partner).get(reverse("reports:figures_export"), {"year": 2024}))
    organisations = {r[2] for r in rows[1:]}
    assert organisations == {org_a.name}


def test_the_grid_export_is_a_real_spreadsheet(client_for, hub_staff, reports, org_a):
    response = client_for(hub_staff).get(reverse("reports:grid_export"), {"year": 2024, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    # The header is the Chinese label of the organisation column, whichever catalogue supplies it.
    with translation.override("zh-hans"):
        expected = [gettext("Organisation"), gettext("Prefecture"), "2024-01"]
    assert values[0][:3] == expected
    assert expected[0] != "Organisation"
    org_row = next(row for row in values if row[0] == org_a.name)
    assert org_row[3] == "按时"  # February, handed in the day before it was due


def test_an_organisation_name_starting_with_a_formula_is_neutralised(client_for, hub_staff, org_a, centre_a):
    org_a.name = "=cmd|' /C calc'!A0"
    org_a.save()
    make_report(org_a, datetime.date(2024, 2, 1))
    rows = _csv(client_for(hub_staff).get(reverse("reports:grid_export"), {"year": 2024}))
    assert rows[1][0].startswith("'=")


def test_the_network_view_totals_handed_in_figures_per_month_and_prefecture(
    client_for, viewer, org_a, org_b, centre_a, centre_b, make_centre
):
    from django.utils import timezone

    from reports import periods

    last = periods.add_months(periods.first_of(timezone.localdate()), -1)
    make_centre(org_a, "第二园", datetime.date(2022, 1, 1))
    submitted(org_a, last)  # two centres x 300
    submitted(org_b, last)  # one centre x 300
    make_report(org_b, periods.add_months(last, -1))  # a draft does not count
    response = client_for(viewer).get(reverse("reports:figures"), {"indicator": "child_visits"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<th>{org_a.prefecture.name}</th>" in html
    assert "<td>600</td>" in html and "<td>900</td>" in html
    assert html.count('<rect class="bar"') == 12


def test_the_figures_xlsx_names_its_sheet_in_chinese_and_keeps_numbers_as_numbers(
    client_for, hub_staff, reports, centre_a
):
    from python_calamine import CalamineWorkbook

    response = client_for(hub_staff).get(reverse("reports:figures_export"), {"year": 2024, "format": "xlsx"})
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["2024年逐月数据"]
    rows = book.get_sheet_by_index(0).to_python()
    header = rows[0]
    row = next(r for r in rows[1:] if r[3] == centre_a.name)
    assert row[0] == "2024-02"
    assert row[header.index("儿童服务人次 (child_visits)")] == 300
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold


def test_the_grid_csv_starts_with_the_bom_that_excel_needs(client_for, hub_staff, reports):
    response = client_for(hub_staff).get(reverse("reports:grid_export"), {"year": 2024})
    assert response.content.startswith("\ufeff".encode())
