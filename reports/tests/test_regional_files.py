"""The files: XLSX read back with openpyxl; the PDF rendered to PNG to prove Chinese glyphs are drawn."""

import datetime
import subprocess

import openpyxl
import pytest
from django.utils.translation import override
from PIL import Image, ImageChops

from reports.choices import ReportStatus
from reports.regional import content
from reports.regional.choices import PeriodKind
from reports.regional.pdf import write_pdf
from reports.regional.xlsx import write_xlsx
from reports.tests.factories import make_report

TODAY = datetime.date(2025, 2, 20)


@pytest.fixture
def annual(org_a, centre_a, org_b, centre_b):
    for month in range(1, 13):
        make_report(
            org_a,
            datetime.date(2024, month, 1),
            status=ReportStatus.APPROVED,
            values={"child_visits": 100, "volunteer_hours": 2.5},
        )
    org_b.name = '=HYPERLINK("http://example.org")'  # a hostile name must stay inert text
    org_b.save()
    make_report(org_b, datetime.date(2024, 6, 1), status=ReportStatus.SUBMITTED, values={"child_visits": 7})
    with override("zh-hans"):
        return content.gather(PeriodKind.YEAR, datetime.date(2024, 1, 1), title="广西 2024 年度", today=TODAY)


def test_the_xlsx_has_a_sheet_per_section_with_numbers_as_numbers_and_frozen_chinese_headers(
    annual, tmp_path
):
    path = tmp_path / "report.xlsx"
    with override("zh-hans"):
        write_xlsx(annual, path)

    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["概要", "年度数字", "覆盖情况"]
    assert {"指标合计", "按地市", "按机构", "逐月数据", "月报提交率", "会议"} <= set(book.sheetnames)
    for sheet in book.worksheets:
        assert sheet.freeze_panes in ("A2", "B2"), sheet.title
    totals = book["指标合计"]
    assert [c.value for c in totals[1]] == ["指标", "本期", "上期", "变化", "变化（%）"]
    rows = {row[0].value: row for row in totals.iter_rows(min_row=2)}
    visits = rows["儿童服务人次（人次）"]
    assert visits[1].value == 1207 and visits[1].data_type == "n"
    assert rows["志愿服务时长（小时）"][1].value == 30
    monthly = book["逐月数据"]
    assert [c.value for c in monthly[1]][1:3] == ["2024-01", "2024-02"]
    by_org = {row[0].value: row for row in book["按机构"].iter_rows(min_row=2)}
    assert '\'=HYPERLINK("http://example.org")' in by_org  # neutralised, not a formula
    assert by_org['\'=HYPERLINK("http://example.org")'][0].data_type == "s"


def _render(html: str, tmp_path, name: str) -> Image.Image:
    from weasyprint import HTML

    pdf = tmp_path / f"{name}.pdf"
    HTML(string=html).write_pdf(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / name)], check=True
    )
    return Image.open(next(tmp_path.glob(f"{name}-*1.png"))).convert("L")


def _ink(image: Image.Image) -> int:
    return sum(image.histogram()[:128])


def test_the_pdf_draws_chinese_glyphs_not_tofu_boxes(annual, tmp_path):
    """Tofu boxes (a missing font) look the same for every character: two different Chinese headings
    of the same length would render identically. With the CJK font they differ, and the report's own
    heading carries ink and embeds Noto Sans CJK."""
    page = "<html><body style=\"font-family: 'Noto Sans CJK SC'; font-size: 40pt\"><h1>{}</h1></body></html>"
    first = _render(page.format("覆盖情况"), tmp_path, "a")
    second = _render(page.format("志愿服务"), tmp_path, "b")
    difference = ImageChops.difference(first, second)
    assert _ink(first) > 500 and _ink(second) > 500
    assert sum(difference.histogram()[129:]) > 300

    pdf = tmp_path / "report.pdf"
    with override("zh-hans"):
        write_pdf(annual, pdf)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts
    subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")], check=True
    )
    image = Image.open(next(tmp_path.glob("page-*1.png"))).convert("L")
    width, height = image.size
    heading = image.crop((0, 0, width // 2, height // 12))  # 广西 2024 年度
    assert _ink(heading) > 200
    # Kept for a person to look at (test-artifacts/ is where screenshots go).
    import os

    from conftest import ARTIFACTS

    os.makedirs(ARTIFACTS, exist_ok=True)
    image.save(os.path.join(ARTIFACTS, "regional-report-page-1.png"))
