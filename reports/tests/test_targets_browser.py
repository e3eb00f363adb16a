"""Targets in a real browser at phone width: the hub sets them, a wrong figure is refused beside its
field, and the organisation's director sees the achievement on the organisation's page."""

import datetime

import pytest
from django.utils import timezone

from reports.models import Target
from reports.targets import current_year
from reports.tests.factories import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_hub_sets_targets_on_a_phone_and_the_director_sees_the_achievement(
    page_factory, screenshot, prefectures, indicators, org_a, centre_a, hub_staff, director
):
    year = current_year()
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    submitted(org_a, last_month)  # 300 child visits

    page = page_factory(hub_staff, width=375)
    page.goto(f"{page.base_url}/reports/targets/{org_a.pk}/{year}/")
    page.fill("[name=org__child_visits]", "3000")
    page.fill("[name=org__classes]", "-1")
    page.get_by_role("button", name="保存目标").click()
    assert "0" in page.inner_text("#id_org__classes_error")  # at least 0, said beside the field
    assert not Target.objects.exists()
    # Nothing sticks out of the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "targets-1-form-error-375")
    page.fill("[name=org__classes]", "")
    page.get_by_role("button", name="保存目标").click()
    page.wait_for_selector("text=目标已保存")
    assert Target.objects.get().value == 3000

    own = page_factory(director, width=375)
    own.goto(f"{own.base_url}/partners/{org_a.pk}/")
    row = own.locator('#targets tr[data-indicator="child_visits"]')
    assert "3000" in row.inner_text()
    assert "10%" in row.inner_text()
    screenshot(own, "targets-2-organisation-page-375")
