import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings, prefectures):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False
    from partners.models import User

    return {user.email: user for user in User.objects.all()}


@pytest.mark.parametrize("width", [1280, 375])
def test_the_hub_dashboard_shows_every_box_with_a_link(demo, page_factory, screenshot, width):
    page = page_factory(demo["staff@example.org"], width=width)
    page.goto(page.base_url + "/")
    for box in (
        "#waiting-count",
        "#missing-count",
        "#late-count",
        "#on-time-count",
        "#overdue-items",
        "#failed-reminders",
        "#panel-fortnight",
    ):
        assert page.locator(box).count() == 1, box
    screenshot(page, f"dashboard-hub-{width}")
    page.locator("#missing-count").click()
    page.wait_for_url("**/reports/grid/**")


def test_a_partner_home_shows_the_report_to_fill_and_the_checklist(demo, page_factory, screenshot):
    page = page_factory(demo["partner@example.org"], width=375)
    page.goto(page.base_url + "/")
    text = page.inner_text("main")
    assert "月报" in text
    screenshot(page, "dashboard-partner-375")
