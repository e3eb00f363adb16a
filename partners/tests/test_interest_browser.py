"""A refused interest form on a phone (375 px) comes back scrolled to the form, its error summary in
view, not at the top of a long page with the errors far below (a reviewer's finding on the demo)."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IN_VIEW = """selector => {
    const box = document.querySelector(selector).getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
}"""


def comes_into_view(page, selector) -> bool:
    """Whether the element ends up wholly inside the viewport. Bootstrap scrolls smoothly, so the
    browser gets a few seconds to get there."""
    try:
        page.wait_for_function(IN_VIEW, arg=selector, timeout=5000)
    except PlaywrightTimeout:
        return False
    return True


def test_a_refused_form_on_a_phone_lands_on_its_error_summary(demo, page_factory, screenshot):
    page = page_factory(width=375, height=667)
    page.goto(f"{page.base_url}/")
    page.fill("#id_name", "钦州童心社会工作服务中心")
    page.fill("#id_contact_phone", "12345")  # not a mobile number; no prefecture, no consent
    page.click("#interest button[type=submit]")
    page.wait_for_selector("#interest-errors")
    assert page.url.endswith("#interest")
    assert comes_into_view(page, "#interest-errors")
    assert page.evaluate("window.scrollY") > 1000  # the form is far down the page on a phone
    summary = page.inner_text("#interest-errors")
    assert "请输入11位中国大陆手机号码" in summary and "请勾选此项" in summary
    assert page.input_value("#id_name") == "钦州童心社会工作服务中心"  # nothing typed is lost
    screenshot(page, "public-interest-refused-375")
    # A link in the summary takes the visitor to the field to fix.
    page.click("#interest-errors a[href='#id_consent']")
    assert comes_into_view(page, "#id_consent")


def test_a_sent_form_lands_on_the_thanks_card_the_fragment_names(demo, page_factory):
    page = page_factory(width=375, height=667)
    page.goto(f"{page.base_url}/")
    page.fill("#id_name", "钦州童心社会工作服务中心")
    page.select_option("#id_prefecture", label="钦州市")
    page.fill("#id_contact_name", "黄女士")
    page.fill("#id_contact_phone", "13877712345")
    page.fill("#id_description", "社区儿童服务")
    page.check("#id_consent")
    page.click("#interest button[type=submit]")
    page.wait_for_url("**/coverage/public/thanks/#interest")
    assert comes_into_view(page, "#interest h1")
