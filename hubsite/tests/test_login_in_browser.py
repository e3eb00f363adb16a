import pytest

pytestmark = pytest.mark.browser


def test_a_partner_logs_in_through_the_real_form_and_lands_home(page_factory, partner, screenshot):
    page = page_factory(partner, width=375)
    assert page.url.rstrip("/").endswith(page.base_url.split("//")[1].rstrip("/")) or page.url.endswith("/")
    assert partner.full_name in page.content()
    screenshot(page, "home-partner-375")
