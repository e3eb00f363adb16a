import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_the_coverage_map_shows_the_six_uncovered_prefectures(demo, page_factory, screenshot, width):
    page = page_factory(demo["director@example.org"], width=width)
    page.goto(f"{page.base_url}/coverage/")
    assert page.locator("svg.province-map path.uncovered").count() == 6
    assert page.locator("svg.province-map path.covered").count() == 8
    assert page.inner_text("#uncovered-count") == "6"
    uncovered = page.inner_text("#uncovered-list")
    for name in ("梧州", "北海", "防城港", "钦州", "贺州", "崇左"):
        assert name in uncovered
    screenshot(page, f"coverage-{width}")
    page.locator('svg.province-map a[href$="/coverage/prefectures/450700/"]').click()
    page.wait_for_url("**/coverage/prefectures/450700/")
    assert "钦州" in page.inner_text("h1")
