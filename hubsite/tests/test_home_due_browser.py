"""On a phone (375 px) a teacher opens the home page: the box of what is due comes first, fits the
screen, and each thing is fixed from it: she answers a meeting's invitation and opens a returned month
to revise it, and a missing month to fill it in."""

import pytest

from .test_home_due import back, handed_in, invite, this_month

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_fixes_what_is_due_from_her_phone(page_factory, screenshot, partner, org_a, centre_a):
    from meetings.models import Invitation
    from reports.choices import ReportStatus
    from reports.defaults import load_default_indicators
    from reports.models import Indicator, MonthlyReport

    load_default_indicators(Indicator)
    for months in range(1, 13):
        if months == 3:
            handed_in(org_a, back(months), ReportStatus.RETURNED, "请补充本月亮点的具体内容。")
        elif months != 2:
            handed_in(org_a, back(months))
    meeting = invite(partner, "月度小议题会议", days=3)

    phone = page_factory(partner, width=375, height=800)
    phone.goto(phone.base_url + "/")
    box = phone.locator("#due-first")
    box.wait_for()
    screenshot(phone, "home-due-partner-375")
    # First on the page, and nothing wider than the phone.
    assert phone.evaluate("document.querySelector('main .card') === document.querySelector('#due-first')")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert box.bounding_box()["y"] < 400  # seen without scrolling past other boxes
    assert f"{this_month():%Y-%m}" in box.locator("#due-this-month").inner_text()
    fixes = box.locator(".due-fix")
    assert fixes.all_inner_texts()[0].startswith(f"{back(3):%Y-%m}")
    assert "请补充本月亮点的具体内容。" in fixes.nth(0).inner_text()
    assert fixes.nth(1).inner_text().startswith(f"{back(2):%Y-%m}")

    box.get_by_role("button", name="我会参加").click()
    phone.wait_for_url(f"**{meeting.get_absolute_url()}")
    assert Invitation.objects.get(meeting=meeting, person=partner).rsvp == "accepted"

    phone.goto(phone.base_url + "/")
    assert "月度小议题会议" not in phone.locator("#due-rsvps").inner_text()
    phone.locator("#due-first").get_by_role("link", name="修改后重新提交").click()
    returned = MonthlyReport.objects.get(organisation=org_a, month=back(3))
    phone.wait_for_url(f"**/reports/{returned.pk}/edit/")

    phone.goto(phone.base_url + "/")
    phone.locator("#due-first").get_by_role("button", name=f"填写 {back(2):%Y-%m} 月报").click()
    phone.wait_for_url("**/edit/")
    assert MonthlyReport.objects.filter(organisation=org_a, month=back(2)).exists()
