"""The viewer's home and the figures page in a real browser, at 1366 and 375 px: the network's
figures with thousands separators and units, the missing-reports note, nothing wider than a phone."""

import datetime

import pytest
from django.utils import timezone

from reports.network_home import shown_month
from reports.tests.factories import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 375])
def test_a_funder_reads_the_network_on_the_home_page_and_the_figures_page(
    page_factory,
    screenshot,
    prefectures,
    indicators,
    org_a,
    org_b,
    centre_a,
    centre_b,
    make_centre,
    viewer,
    width,
):
    make_centre(org_a, "都安第二亲子园", datetime.date(2023, 1, 1))
    # The month the viewer's box shows: the latest whose reports are due.
    last = shown_month(timezone.localdate())
    submitted(org_a, last, values={"child_visits": 7516, "families_served": 60})

    page = page_factory(viewer, width=width)
    page.goto(f"{page.base_url}/")
    box = page.inner_text("#network-panel")
    assert "15,032 人次" in box and "120 户" in box
    assert page.inner_text("#reporting-rate") == "50%"
    assert page.inner_text("#coverage-count") == "2 / 14"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"viewer-home-{width}")

    page.goto(f"{page.base_url}/reports/figures/?indicator=child_visits")
    assert "15,032" in page.inner_text("#figures-table")
    note = page.inner_text("#missing-reports-note")
    assert f"{last:%Y-%m}：应收 2 份月报，缺 1 份" in note
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"figures-{width}")
    with page.expect_download() as download:
        page.click("#figures-export >> text=导出 Excel")
    assert download.value.suggested_filename == "network-figures-child_visits.xlsx"
