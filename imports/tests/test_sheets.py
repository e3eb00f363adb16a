import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from imports.choices import RunStatus
from imports.sheets import MAX_ROWS, SheetError, load_dataset, read_rows
from partners.models import Organisation

from .conftest import csv_bytes, xlsx_bytes

HEADER = ["机构全称", "地市", "合作起始日期"]
ROW = ["柳州启航社会工作服务中心", "柳州市", "2022-06-01"]


@pytest.mark.parametrize(
    "fmt, options",
    [("csv", {"bom": True}), ("csv", {"bom": False}), ("csv", {"encoding": "gb18030"}), ("xlsx", {})],
    ids=["csv-with-bom", "csv-without-bom", "csv-gbk", "xlsx"],
)
def test_each_file_format_imports_the_same_row(import_sheet, prefectures, fmt, options):
    run = import_sheet("organisations", HEADER, [ROW], fmt=fmt, **options)

    assert run.status == RunStatus.DONE, (run.file_errors, run.preview)
    organisation = Organisation.objects.get(name=ROW[0])
    assert organisation.prefecture.name == "柳州市"
    assert organisation.joined_on == datetime.date(2022, 6, 1)


def test_an_excel_date_cell_and_number_cell_read_as_typed(org_a, hub_staff):
    content = xlsx_bytes(["伙伴机构", "亲子园名称", "场地类型", "状态", "开园日期", "容量"], [])
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    workbook.active.append([org_a.name, "新亲子园", "社区", "运营中", datetime.datetime(2023, 4, 1), 30.0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import confirm_and_run, upload_and_check

    run = upload_and_check("centres", SimpleUploadedFile("c.xlsx", buffer.getvalue()), hub_staff)
    run = confirm_and_run(run, hub_staff)

    assert run.status == RunStatus.DONE, run.preview
    centre = org_a.centres.get(name="新亲子园")
    assert (centre.opened_on, centre.capacity) == (datetime.date(2023, 4, 1), 30)


def test_headings_in_english_or_as_field_names_are_read_too(import_sheet, prefectures):
    run = import_sheet("organisations", ["Organisation full name", "prefecture", "partner since"], [ROW])

    assert run.status == RunStatus.DONE, run.file_errors


def test_an_unknown_or_missing_column_makes_the_whole_file_an_error(upload, prefectures):
    unknown = upload("organisations", [*HEADER, "备注"], [[*ROW, "x"]])
    missing = upload("organisations", ["地市"], [["柳州市"]])

    assert unknown.file_errors == ["无法识别的列：备注。"]
    assert missing.file_errors == ["缺少必需的列：机构全称。"]
    assert unknown.status == missing.status == RunStatus.INVALID


def test_a_damaged_file_or_too_many_rows_is_refused_whole():
    with pytest.raises(SheetError, match="无法作为表格读取"):
        load_dataset("a.xlsx", b"not a workbook")
    from imports.network import OrganisationImporter

    many = load_dataset("a.csv", csv_bytes(HEADER, [ROW] * (MAX_ROWS + 1)))
    with pytest.raises(SheetError, match="一次最多导入 20000 行"):
        read_rows(many, OrganisationImporter(None).columns)


@pytest.mark.parametrize("kind", ["organisations", "centres", "people", "figures"])
def test_the_excel_template_has_bold_frozen_chinese_headings_and_an_example(client_for, hub_staff, kind):
    response = client_for(hub_staff).get(reverse("imports:template", args=[kind, "xlsx"]))

    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headings = [cell.value for cell in sheet[1]]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in headings), headings
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    # Chinese headings take two columns a character.
    assert sheet.column_dimensions["A"].width >= 2 * len(headings[0])
    assert sheet.max_row == 2


def test_the_csv_template_has_a_bom_and_reads_back_as_a_valid_sheet(client_for, hub_staff):
    response = client_for(hub_staff).get(reverse("imports:template", args=["organisations", "csv"]))

    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["机构全称", "简称", "地市", "区县"]
    assert rows[1][0] == "示例县社会工作服务中心"


def test_the_organisation_template_as_downloaded_passes_the_checks(client_for, hub_staff, prefectures):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import upload_and_check

    response = client_for(hub_staff).get(reverse("imports:template", args=["organisations", "xlsx"]))
    run = upload_and_check("organisations", SimpleUploadedFile("t.xlsx", response.content), hub_staff)

    assert run.status == RunStatus.READY, (run.file_errors, run.preview)
