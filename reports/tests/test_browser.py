"""The whole round trip in a real browser at phone width: fill, draft, submit, return, fix, approve."""

import pytest
from django.utils import timezone

from reports import periods
from reports.models import MonthlyReport
from reports.tests.factories import FULL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_reports_the_hub_returns_it_and_approves_the_correction(
    page_factory, screenshot, settings, prefectures, indicators, org_a, centre_a, partner, hub_staff
):
    # The due date is the last day of this month, so a report handed in today is on time.
    settings.REPORT_DUE_DAY = 31
    month = periods.add_months(periods.first_of(timezone.localdate()), -1)

    page = page_factory(partner, width=375)
    page.goto(f"{page.base_url}/reports/")
    screenshot(page, "reports-1-my-reports-375")
    page.get_by_role("button", name="填写本月报").click()
    page.wait_for_url("**/edit/")
    prefix = f"c{centre_a.pk}__"
    for code, value in FULL.items():
        page.fill(f"[name={prefix}{code}]", str(value))
    page.fill(f"[name={prefix}child_visits]", "30")  # fewer than the children in the age bands
    page.get_by_role("button", name="保存草稿").click()
    assert "不能超过" in page.inner_text(f"#{prefix}children_0_1-errors")
    screenshot(page, "reports-2-form-error-375")
    page.fill(f"[name={prefix}child_visits]", "300")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_selector("text=草稿已保存")
    page.fill("[name=org__highlights]", "绘本共读月")
    page.get_by_role("button", name="核对并提交").click()
    page.wait_for_url("**?confirm=1")
    screenshot(page, "reports-3-summary-375")
    page.get_by_role("button", name="提交给枢纽").click()
    page.wait_for_selector("text=月报已提交")

    report = MonthlyReport.objects.get(organisation=org_a, month=month)
    staff = page_factory(hub_staff, width=375)
    staff.goto(f"{staff.base_url}/reports/review/")
    screenshot(staff, "reports-4-review-queue-375")
    staff.get_by_role("link", name="查看/退回").click()
    staff.fill("[name=comment]", "家访次数请再核对一下。")
    staff.get_by_role("button", name="退回修改").click()
    staff.wait_for_selector("text=已退回修改")

    page.goto(f"{page.base_url}/reports/{report.pk}/edit/")
    assert "家访次数请再核对一下。" in page.inner_text("#hub-comment")
    screenshot(page, "reports-5-returned-375")
    page.fill(f"[name={prefix}home_visits]", "5")
    page.reload()  # as if the tab were closed before saving: the typed value comes back
    assert page.input_value(f"[name={prefix}home_visits]") == "5"
    assert page.is_visible("#restored-note")
    page.get_by_role("button", name="核对并提交").click()
    page.wait_for_url("**?confirm=1")
    page.get_by_role("button", name="提交给枢纽").click()
    page.wait_for_selector("text=月报已提交")

    staff.goto(f"{staff.base_url}/reports/review/")
    staff.get_by_role("button", name="通过").click()
    staff.wait_for_selector("text=已通过")
    staff.goto(f"{staff.base_url}/reports/grid/?year={month.year}")
    cell = staff.locator(f"#report-grid tr:has-text('{org_a.display_name}') td[data-month='{month:%Y-%m}']")
    assert cell.get_attribute("data-cell") == "on_time"
    screenshot(staff, "reports-6-grid-375")
    report.refresh_from_db()
    assert report.status == "approved"
    assert [e.action for e in report.events.order_by("at", "pk")] == [
        "created",
        "saved",
        "saved",
        "submitted",
        "returned",
        "saved",
        "submitted",
        "approved",
    ]
