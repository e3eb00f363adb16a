import pytest

from hubsite.core.notifications import notify

pytestmark = pytest.mark.browser


def test_the_bell_shows_the_unread_count_and_opens_the_list(page_factory, partner, screenshot):
    for step in ("a", "b"):
        notify(
            "test.bell",
            partner,
            key="partners.organisation:1",
            step=step,
            subject=f"提醒{step}",
            body="内容",
            url="/",
        )
    page = page_factory(partner, width=375)
    page.goto(page.base_url + "/")
    page.click("button.navbar-toggler")  # on a phone the bell is in the collapsed menu
    # Bootstrap adds `.show` once the menu has finished opening; a click during the animation can
    # land on the menu's clipped box instead of the bell.
    page.wait_for_selector("#mainnav.show")
    page.wait_for_selector("#bell-count:not([hidden])")
    assert page.inner_text("#bell-count") == "2"
    with page.expect_navigation(url="**/notifications/"):
        page.click("#bell")
    assert "提醒a" in page.content()
    screenshot(page, "notifications-375")
