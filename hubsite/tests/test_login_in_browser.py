import pytest

pytestmark = pytest.mark.browser


def test_a_partner_logs_in_through_the_real_form_and_lands_home(page_factory, partner, screenshot):
    page = page_factory(partner, width=375)
    assert page.url.rstrip("/").endswith(page.base_url.split("//")[1].rstrip("/")) or page.url.endswith("/")
    assert partner.full_name in page.content()
    screenshot(page, "home-partner-375")


def test_the_login_page_fits_a_phone_and_speaks_chinese(page_factory, screenshot):
    page = page_factory(None, width=375)
    page.goto(f"{page.base_url}/accounts/login/")
    assert page.locator("h1").inner_text() == "登录枢纽平台"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # The submit button spans the card: easy to hit with a thumb.
    button = page.locator("form[action$='/accounts/login/'] [type=submit]").bounding_box()
    assert button["width"] > 250
    screenshot(page, "login-375")


def test_a_wrong_password_shows_the_error_next_to_the_form(page_factory, partner, own_rate_limits):
    page = page_factory(None, width=375)
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=login]", partner.email)
    page.fill("input[name=password]", "not-the-password")
    page.click("form[action$='/accounts/login/'] [type=submit]")
    assert "电子邮箱或密码不正确，请重新输入。" in page.locator(".alert-danger").inner_text()
