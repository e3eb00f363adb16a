"""The public page in Chromium on a phone: the hub, what a 亲子园 is, the contact and the privacy notice
fit 375 px without sideways scrolling, and the consent box is required (issue 14)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 375])
def test_the_public_page_says_who_the_hub_is_and_fits_the_screen(demo, page_factory, screenshot, width):
    page = page_factory(width=width, locale="en-US")  # the browser asks for English: Chinese anyway
    page.goto(f"{page.base_url}/")
    assert page.title().endswith("· 南宁市同心源社会工作服务中心")
    about = page.inner_text("#about")
    assert "关于我们：南宁市同心源社会工作服务中心" in about
    assert "什么是亲子园？" in about
    assert "0-3岁的婴幼儿" in about
    contact = page.inner_text("#contact")
    assert "南宁市西乡塘区心圩街道心圩社区服务中心二楼" in contact
    assert "0771-5381201" in contact and "tongxinyuan@example.org" in contact
    privacy = page.inner_text("#privacy")
    assert "个人信息保护说明" in privacy and "保存365天" in privacy
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"public-page-{width}")


def test_sending_the_form_without_consent_shows_why_next_to_the_box(demo, page_factory):
    page = page_factory(width=375)
    page.goto(f"{page.base_url}/")
    page.fill("#id_name", "钦州童心社会工作服务中心")
    page.select_option("#id_prefecture", label="钦州市")
    page.fill("#id_contact_name", "黄女士")
    page.fill("#id_contact_phone", "13877712345")
    page.fill("#id_description", "社区儿童服务")
    page.click("#interest button[type=submit]")
    page.wait_for_selector("#id_consent_error")
    assert "请勾选此项" in page.inner_text("#id_consent_error")
    assert page.input_value("#id_contact_phone") == "13877712345"  # nothing typed is lost
    page.check("#id_consent")
    page.click("#interest button[type=submit]")
    page.wait_for_url("**/coverage/public/thanks/**")  # the form's #interest rides along the redirect
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
