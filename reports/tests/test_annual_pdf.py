"""The annual report's designed PDF, read back with pdftotext and pdfimages: the cover, the year in
numbers equal to the roll-up, consented stories and photos only, the English edition from the same data."""

import os
import subprocess

import pytest
from django.utils.translation import override

from reports.regional import content
from reports.regional.pdf import AnnualJob, plan_parts, write_annual_pdf
from reports.tests import annual_world

TODAY = annual_world.datetime.date(2025, 2, 20)


def text_of(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def images_in(path) -> int:
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return len([line for line in listing.splitlines()[2:] if " image " in line])


def job(scope="region", organisation=None, language="zh-hans"):
    return AnnualJob(
        kind="year",
        start=annual_world.START,
        scope=scope,
        prefecture_id=None,
        organisation_id=organisation.pk if organisation else None,
        title="广西 2024 年度",
        language=language,
        today=TODAY,
    )


@pytest.fixture
def narrative(org_a, centre_a, org_b, centre_b, hub_org):
    return annual_world.build(org_a, org_b, hub_org)


def test_the_regions_annual_pdf_has_the_cover_the_rolled_up_figures_and_only_consented_stories(
    narrative, tmp_path
):
    path = tmp_path / "annual.pdf"
    pages = write_annual_pdf(job(), path, workers=1)
    text = text_of(path)
    assert pages >= 5
    cover = text.split("\f")[0]
    assert "南宁市同心源社会工作服务中心" in cover and "2024年度" in cover
    with override("zh-hans"):
        gathered = content.gather("year", annual_world.START, title="x", today=TODAY)
    by_code = {i.code: i for i in gathered.indicators}
    assert gathered.totals[by_code["child_visits"].pk].current == 1207
    assert "1,207" in text and "儿童服务人次" in text
    assert "30" in text  # volunteer hours: 12 months x 2.5
    assert "绘本里的小菜园" in text and "外婆的第一次分享" in text
    assert "尚未同意的故事" not in text
    assert "这一年，我们陪伴了更多家庭。" in text and "壹基金" in text
    # Logo, cover photo and the consented story photo; the photo of children without consent is left out.
    assert images_in(path) == 3
    assert "都安瑶山" in text  # the partners' pages


def test_the_english_edition_is_rendered_from_the_same_data(narrative, tmp_path):
    path = tmp_path / "annual-en.pdf"
    write_annual_pdf(job(language="en"), path, workers=1)
    text = text_of(path)
    assert "The year in numbers" in text and "1,207" in text
    assert "年度数字" not in text


def test_a_partners_annual_pdf_has_its_name_figures_and_the_hubs_support(
    org_a, centre_a, org_b, centre_b, hub_org, tmp_path
):
    annual_world.build(org_a, org_b, hub_org, organisation=org_a)
    path = tmp_path / "org.pdf"
    write_annual_pdf(job("organisation", org_a), path, workers=1)
    text = text_of(path)
    assert "都安瑶山社会工作服务中心" in text.split("\f")[0]
    assert "1,200" in text  # org_a's own child visits, not org_b's 7
    assert "绘本里的小菜园" in text
    assert "获得的枢纽支持" in text and "枢纽督导" in text


def test_the_partners_pages_split_into_parts_of_whole_prefectures(narrative, monkeypatch):
    from reports.regional import pdf

    monkeypatch.setattr(pdf, "PARTNERS_PER_PART", 1)
    parts = plan_parts(job())
    assert parts[0].sections == ("cover", "front") and parts[-1].sections == ("back",)
    partner_parts = [p for p in parts if "partners" in p.sections]
    assert len(partner_parts) == 2 and partner_parts[0].first_partners and not partner_parts[1].first_partners


@pytest.mark.django_db(transaction=True)
def test_two_processes_render_the_parts_and_the_joined_pdf_says_the_same(
    org_a, centre_a, org_b, centre_b, hub_org, tmp_path, monkeypatch
):
    """The children load their parts from the database themselves (committed data, their own
    connections), a fresh process per part, while this process keeps its connection: it still
    answers afterwards."""
    from django.db import connection

    from reports.regional import pdf

    annual_world.build(org_a, org_b, hub_org)
    monkeypatch.setattr(pdf, "PARTNERS_PER_PART", 1)
    done = []
    path = tmp_path / "parallel.pdf"
    pages = write_annual_pdf(
        job(),
        path,
        workers=2,
        xlsx=lambda content: (tmp_path / "xlsx.txt").write_text(
            f"{os.getpid()} {len(content.monthly)} {len(content.indicators)} {content.title}"
        ),
        on_part=lambda d, t: done.append(d),
    )
    text = text_of(path)
    # Four parts, each in its own process, one heartbeat each.
    assert done == [1, 2, 3, 4]
    # The XLSX was written by a child (the body's part) from the whole roll-up: every indicator month
    # by month, not only the body's one monthly chart.
    pid, monthly, indicators, title = (tmp_path / "xlsx.txt").read_text().split(" ", 3)
    assert int(pid) != os.getpid()
    assert int(monthly) == int(indicators) > 1
    assert title == job().title
    assert pages == len(text.split("\f")) - 1
    # The contents page (page 2) gives each section's page, and that page carries the section and its
    # number at the foot, although the parts were rendered apart.
    page_texts = text.split("\f")
    contents = page_texts[1]
    assert "目录" in contents
    for heading in ("年度数字", "年度故事", "各地市伙伴机构", "挑战"):
        line = next(line for line in contents.splitlines() if line.strip().startswith(heading))
        number = int(line.split()[-1])
        assert heading in page_texts[number - 1], (heading, number)
        assert f"{number} / {pages}" in page_texts[number - 1]
    assert (
        text.index("南宁市同心源社会工作服务中心")
        < text.index("1,207")
        < text.index("都安瑶山")
        < text.index("壹基金")
    )
    assert "绘本里的小菜园" in text and "尚未同意的故事" not in text
    assert images_in(path) == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db(transaction=True)
def test_the_worker_writes_the_english_edition_for_someone_who_reads_the_site_in_english(
    org_a, centre_a, org_b, centre_b, hub_org, hub_staff, media_root
):
    from reports.models import GeneratedReport
    from reports.regional import generate

    annual_world.build(org_a, org_b, hub_org)
    hub_staff.language = "en"
    hub_staff.save()
    report = GeneratedReport.objects.create(
        period_kind="year", period_start=annual_world.START, scope="region", requested_by=hub_staff
    )
    assert generate.run(report.pk) == "done"
    report.refresh_from_db()
    text = text_of(report.pdf.path)
    assert "The year in numbers" in text and "Contents" in text and "1,207" in text
    assert "年度数字" not in text
    assert report.xlsx.name.endswith(".xlsx")
    # The XLSX, written by the body's part, stays in the site's language, its centres' types too
    # (the roll-up it is written from is gathered again for the English body).
    from openpyxl import load_workbook

    from partners.choices import SiteType

    book = load_workbook(report.xlsx.path, read_only=True)
    cells = {str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row}
    with override("zh-hans"):
        chinese = {str(label) for _value, label in SiteType.choices}
    with override("en"):
        english = {str(label) for _value, label in SiteType.choices}
    assert chinese <= cells and not english & cells


def test_weasyprint_reads_the_chinese_font_from_its_file_without_a_copy_and_still_embeds_the_glyphs(
    tmp_path, monkeypatch
):
    """``pdf.share_font_files``: a 20 MB copy of each Noto CJK collection per face per process was most
    of a part process's memory; the face is read where HarfBuzz mapped it and subset as before."""
    from weasyprint import HTML
    from weasyprint.pdf import fonts

    from reports.regional import pdf

    pdf.share_font_files()
    read_as = []
    subset = fonts.Font.subset

    def recording_subset(self, to_unicode, hinting):
        read_as.append((type(self.file_content), len(self.file_content)))
        return subset(self, to_unicode, hinting)

    monkeypatch.setattr(fonts.Font, "subset", recording_subset)
    path = tmp_path / "font.pdf"
    HTML(string="<p style=\"font-family: 'Noto Sans CJK SC'\">年度报告 2024</p>").write_pdf(path)

    assert read_as and all(kind is not bytes and size > 1_000_000 for kind, size in read_as)
    assert "年度报告 2024" in text_of(path)
    embedded = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    font_lines = embedded.splitlines()[2:]
    # Embedded (emb yes) and subset (sub yes), as before: only the glyphs used.
    assert font_lines and all(line.split()[-5:-3] == ["yes", "yes"] for line in font_lines), embedded
