"""A director answers the needs questionnaire on a phone; the hub reads the network's needs."""

import pytest
from django.utils import timezone

from partners.models import NeedsAssessment, NeedsQuestion

pytestmark = pytest.mark.browser


def test_a_director_answers_the_needs_on_a_phone_and_the_hub_sees_them(
    page_factory, director, hub_staff, org_a, screenshot
):
    # The browser follows the real clock, so the questionnaire is this year's.
    year = timezone.localdate().year
    finance = NeedsQuestion.objects.create(
        area="finance", text="财务制度与报销", topic="机构财务管理", first_year=year
    )
    NeedsQuestion.objects.create(area="fundraising", text="本地筹款", topic="社区筹款实务", first_year=year)
    page = page_factory(director, width=375, height=800)
    page.goto(f"{page.base_url}/partners/{org_a.pk}/growth/")
    page.click(f"a[href$='/partners/needs/{year}/']")
    page.check(f"input[name=score_{finance.pk}][value='5']")
    page.fill(f"textarea[name=comment_{finance.pk}]", "缺少专职会计")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click("main form button[type=submit]")
    # The second question has no score: the page says so beside it and keeps the first answer.
    assert page.locator(".field-error").first.is_visible()
    assert page.locator(f"input[name=score_{finance.pk}][value='5']").is_checked()
    screenshot(page, "partners-needs-375")
    assert not NeedsAssessment.objects.exists()
    page.locator("fieldset.need").nth(1).locator("input[value='4']").check()
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/partners/needs/answers/" in url)
    assert "缺少专职会计" in page.content()

    hub = page_factory(hub_staff)
    hub.goto(f"{hub.base_url}/partners/needs/{year}/network/")
    rows = hub.locator("tr.need-row")
    assert rows.count() == 2
    assert "5.0" in rows.first.inner_text()
    screenshot(hub, "partners-needs-network")
