"""Every list page's export opens right in Excel/WPS: read back by independent readers (the ``csv``
module with ``utf-8-sig``, python-calamine for XLSX), with the BOM, local times to the minute, months as
2026-09, 是/否 and numbers as numbers."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from hubsite.core.exports import display_width, export_cell, xlsx_bytes

# 2026-10-01 03:15 UTC is 11:15 in Guangxi.
SUBMITTED = datetime.datetime(2026, 10, 1, 3, 15, 7, 579168, tzinfo=datetime.UTC)


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response):
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.sheet_names, book.get_sheet_by_index(0).to_python()


@pytest.fixture
def review_report(org_a, centre_a, director):
    from reports.choices import ReportStatus
    from reports.models import MonthlyReport

    return MonthlyReport.objects.create(
        organisation=org_a,
        month=datetime.date(2026, 9, 1),
        status=ReportStatus.SUBMITTED,
        first_submitted_at=SUBMITTED,
        submitted_at=SUBMITTED,
        submitted_by=director,
    )


def test_the_review_queue_csv_has_months_and_local_minutes(client_for, hub_staff, review_report):
    rows = read_csv(client_for(hub_staff).get(reverse("reports:review_queue"), {"_export": "csv"}))
    assert rows[0][:5] == ["月份", "伙伴机构", "地市", "状态", "提交时间"]
    assert rows[1][:5] == [
        "2026-09",
        review_report.organisation.name,
        review_report.organisation.prefecture.name,
        "已提交",
        "2026-10-01 11:15",
    ]


def test_the_review_queue_xlsx_has_text_months_and_a_chinese_sheet(client_for, hub_staff, review_report):
    names, rows = read_xlsx(client_for(hub_staff).get(reverse("reports:review_queue"), {"_export": "xlsx"}))
    assert rows[0][0] == "月份"
    assert rows[1][0] == "2026-09"
    assert rows[1][4] == "2026-10-01 11:15"
    assert names == [names[0]] and names[0]  # one named sheet


def test_the_people_export_says_yes_and_no_and_local_time(client_for, hub_admin, partner, viewer):
    partner.last_login = SUBMITTED
    partner.save(update_fields=["last_login"])
    viewer.is_active = False
    viewer.save(update_fields=["is_active"])
    rows = read_csv(client_for(hub_admin).get(reverse("partners:person_list"), {"_export": "csv"}))
    header = rows[0]
    assert header[:2] == ["姓名", "电子邮箱"]
    by_email = {row[header.index("电子邮箱")]: row for row in rows[1:]}
    active = header.index("启用")
    assert by_email[partner.email][active] == "是"
    assert by_email[viewer.email][active] == "否"
    assert by_email[partner.email][header.index("上次登录")] == "2026-10-01 11:15"
    assert "+00:00" not in response_text(rows)


def response_text(rows) -> str:
    return "\n".join(",".join(row) for row in rows)


def test_the_directory_xlsx_keeps_numbers_as_numbers(client_for, hub_staff, org_a, centre_a):
    names, rows = read_xlsx(
        client_for(hub_staff).get(reverse("partners:organisation_list"), {"_export": "xlsx"})
    )
    header = rows[0]
    row = next(r for r in rows[1:] if r[0] == org_a.name)
    numbers = [cell for cell, title in zip(row, header, strict=False) if "亲子园" in str(title)]
    assert numbers and all(isinstance(n, int | float) for n in numbers), (header, row)


@pytest.mark.parametrize(
    "name",
    ["partners:organisation_list", "partners:centre_list", "partners:person_list", "reports:review_queue"],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_list_export_opens_with_a_chinese_header(client_for, hub_admin, review_report, name, fmt):
    response = client_for(hub_admin).get(reverse(name), {"_export": fmt})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)[1]
    assert rows[0] and all(rows[0]), "every column has a header"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(map(str, rows[0]))), rows[0]


def test_the_action_item_export_has_days_and_local_words(client_for, hub_staff, org_a):
    from meetings.choices import MeetingKind
    from meetings.models import ActionItem, Meeting

    starts = timezone.make_aware(datetime.datetime(2026, 9, 8, 14))
    meeting = Meeting.objects.create(
        kind=MeetingKind.OTHER,
        title="伙伴交流会",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    ActionItem.objects.create(
        meeting=meeting, what="整理绘本清单", owner_organisation=org_a, due_on=datetime.date(2026, 10, 15)
    )
    rows = read_csv(client_for(hub_staff).get(reverse("meetings:action_list"), {"_export": "csv"}))
    row = next(r for r in rows[1:] if r[0] == "整理绘本清单")
    assert "2026-10-15" in row
    assert str(org_a) in row


def test_export_cells_follow_the_spreadsheet_conventions():
    assert export_cell(True) == "是"
    assert export_cell(False) == "否"
    assert export_cell(None) == ""
    assert export_cell(SUBMITTED) == "2026-10-01 11:15"
    assert export_cell(datetime.date(2026, 9, 1), month=True) == "2026-09"
    assert export_cell(datetime.date(2026, 9, 1)) == "2026-09-01"
    assert export_cell(15032) == 15032
    assert export_cell("=1+1") == "'=1+1"


def test_xlsx_columns_fit_chinese_text_and_the_header_is_frozen_and_bold():
    import openpyxl

    body = xlsx_bytes("机构名录", ["简称", "地市"], [["都安瑶山社会工作服务中心", "河池市"]])
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet.title == "机构名录"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["A"].width >= display_width("都安瑶山社会工作服务中心")
    assert sheet.column_dimensions["B"].width >= display_width("河池市")
