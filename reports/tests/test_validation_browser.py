"""The rules run in the browser as the person types, with no round trip: the message appears beside
the figures involved and goes when they agree; on submit the server asks for the warning's reason."""

import datetime

import pytest

from reports.models import MonthlyReport, ValidationRule
from reports.tests.factories import FULL
from reports.validation import load_default_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_broken_rule_shows_beside_the_figures_as_they_are_typed(
    page_factory, screenshot, prefectures, indicators, org_a, centre_a, partner
):
    load_default_rules(ValidationRule)  # a transactional test starts from a flushed database
    report = MonthlyReport.start(org_a, datetime.date(2024, 3, 1), by=partner)
    page = page_factory(partner, width=375)
    page.goto(f"{page.base_url}/reports/{report.pk}/edit/")
    prefix = f"c{centre_a.pk}__"
    requests = []
    # Requests to the site, not static assets the browser fetches when it likes (the favicon).
    page.on("request", lambda request: "/static/" in request.url or requests.append(request.url))
    for code, value in {**FULL, "days_open": 22, "child_visits": 266, "families_served": 66}.items():
        page.fill(f"[name={prefix}{code}]", str(value))
    page.fill(f"[name={prefix}children_0_1]", "7")
    page.fill(f"[name={prefix}children_1_2]", "11")
    page.fill(f"[name={prefix}children_2_3]", "9")
    # The message under the first figure of the rule, a pointer with the figures under the others.
    message = page.locator(f"[name={prefix}children_0_1] ~ .rule-hint").inner_text()
    assert "每个来园家庭至少带一个孩子" in message and "27 ≥ 33" in message
    assert "27 ≥ 33" in page.locator(f"[name={prefix}families_served] ~ .rule-hint").inner_text()
    assert requests == []  # the check itself needed no request
    screenshot(page, "rules-1-hint-as-typed-375")

    page.fill(f"[name={prefix}children_2_3]", "20")
    assert page.locator(".rule-hint").count() == 0

    page.fill(f"[name={prefix}children_2_3]", "9")
    page.fill("[name=org__highlights]", "绘本共读月")
    page.get_by_role("button", name="核对并提交").click()
    page.wait_for_selector("#rule-warnings")
    screenshot(page, "rules-2-reason-asked-375")
    page.fill("#rule-warnings textarea", "很多新来的家庭，孩子还没登记。")
    page.get_by_role("button", name="核对并提交").click()
    page.wait_for_url("**?confirm=1")
    page.get_by_role("button", name="提交给枢纽").click()
    page.wait_for_selector("text=月报已提交")
    report.refresh_from_db()
    assert report.warning_reasons[0]["reason"] == "很多新来的家庭，孩子还没登记。"
