import datetime

import pytest

from partners.choices import CentreStatus, SiteType

pytestmark = pytest.mark.browser


@pytest.fixture
def network(org_a, org_b, hub_org, centre_a, centre_b, make_centre):
    make_centre(
        hub_org, "南宁城中村亲子园", datetime.date(2018, 4, 1), site_type=SiteType.COMMUNITY_SERVICE_CENTRE
    )
    make_centre(org_a, "都安第二亲子园", None, status=CentreStatus.PLANNED)


def test_a_partner_filters_the_directory_by_prefecture_and_opens_their_organisation(
    page_factory, partner, network, prefectures, screenshot
):
    page = page_factory(partner)
    page.goto(f"{page.base_url}/partners/")
    assert page.locator("h1").inner_text() == "伙伴机构名录"
    assert page.locator("table tbody tr").count() == 3
    page.select_option("select[name=prefecture]", label="河池市")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(lambda url: "prefecture=" in url)
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "都安瑶山社会工作服务中心" in rows.first.inner_text()
    screenshot(page, "partners-directory-filtered")
    page.click("text=都安瑶山社会工作服务中心")
    page.wait_for_url(lambda url: url.rstrip("/").split("/")[-1].isdigit())
    assert page.locator("h1").inner_text().startswith("都安瑶山社会工作服务中心")
    assert page.locator("#people").is_visible()  # their own organisation's people
    assert page.locator("text=编辑联系方式").is_visible()
    screenshot(page, "partners-own-organisation")


def test_a_partner_edits_a_centre_on_a_phone(page_factory, partner, network, centre_a, screenshot):
    page = page_factory(partner, width=375, height=800)
    page.goto(f"{page.base_url}/partners/centres/{centre_a.pk}/edit/")
    page.fill("input[name=opening_hours]", "周二至周六 9:00-17:00")
    page.fill("input[name=capacity]", "-5")
    # The widest element must fit the phone's screen: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click("main form button[type=submit]")
    assert page.locator(".invalid-feedback").first.is_visible()
    screenshot(page, "partners-centre-edit-375")
    page.fill("input[name=capacity]", "20")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: url.endswith(f"/partners/centres/{centre_a.pk}/"))
    assert "周二至周六 9:00-17:00" in page.content()
    centre_a.refresh_from_db()
    assert centre_a.capacity == 20
