"""Issue 14's meetings pages in Chromium at a phone's and a laptop's width: the fixed words show, the
holiday notice is read and saved, the action item's owner list follows the chosen organisation."""

import pytest
from django.utils import timezone

from meetings.models import HolidayOverride

from .notices import NOTICE_2026
from .test_words import meetings_world  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (375, 1366)


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_meetings_pages_say_the_right_words(
    page_factory,
    screenshot,
    width,
    hub_staff,
    director,
    partner,
    meetings_world,  # noqa: F811
):
    staff = page_factory(hub_staff, width=width)
    staff.goto(f"{staff.base_url}{meetings_world['upcoming'].get_absolute_url()}")
    assert staff.inner_text("#meeting-status") == "已计划"
    assert staff.locator("button[value=cancel]").inner_text() == "取消会议"
    assert no_sideways_scroll(staff)
    screenshot(staff, f"meetings-words-meeting-{width}")

    staff.goto(f"{staff.base_url}{meetings_world['held'].get_absolute_url()}")
    assert "出席" in staff.inner_text("table") and "出席人数" not in staff.content()
    assert staff.locator("button[name=rsvp]").count() == 0

    staff.goto(f"{staff.base_url}/meetings/holidays/")
    assert staff.locator("table th").nth(2).inner_text() == "名称"
    screenshot(staff, f"meetings-words-holidays-{width}")

    owner = page_factory(director, width=width)
    owner.goto(f"{owner.base_url}/meetings/actions/")
    assert "未完成" in owner.inner_text("table") and "打开" not in owner.inner_text("main")
    owner.goto(f"{owner.base_url}/meetings/supervision/{director.organisation_id}/")
    assert owner.inner_text("#supervision-frequency") == "督导频率：每季度"
    assert no_sideways_scroll(owner)
    screenshot(owner, f"meetings-words-supervision-{width}")

    invitee = page_factory(partner, width=width)
    month = timezone.localtime(meetings_world["upcoming"].starts_at).strftime("%Y-%m")
    invitee.goto(f"{invitee.base_url}/meetings/?month={month}")
    assert invitee.locator(".badge", has_text="已受邀").count() >= 1
    assert "邀请人数" not in invitee.content()
    screenshot(invitee, f"meetings-words-calendar-{width}")
    invitee.goto(f"{invitee.base_url}/meetings/feed/")
    invitee.click("button[value=issue]")
    invitee.wait_for_selector("#feed-qr svg")
    assert invitee.get_attribute("#webcal-link", "href").startswith("webcal://")
    assert no_sideways_scroll(invitee)
    screenshot(invitee, f"meetings-feed-qr-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_read_a_holiday_notice_and_the_owner_list_follows_the_organisation(
    page_factory,
    screenshot,
    width,
    hub_staff,
    director,
    other,
    org_a,
    org_b,
    meetings_world,  # noqa: F811
):
    staff = page_factory(hub_staff, width=width)
    staff.goto(f"{staff.base_url}/meetings/holidays/notice/")
    staff.fill("textarea[name=text]", NOTICE_2026.replace("三、清明节：", "三、清明节:"))
    staff.click("button[name=preview]")
    staff.wait_for_selector("text=第三条（清明节）无法读取")
    assert staff.locator("#notice-days").count() == 0
    staff.fill("textarea[name=text]", NOTICE_2026)
    staff.click("button[name=preview]")
    staff.wait_for_selector("#notice-days")
    assert "春节" in staff.inner_text("#notice-days") and "调休上班" in staff.inner_text("#notice-days")
    assert not HolidayOverride.objects.filter(date__year=2026).exists()
    assert no_sideways_scroll(staff)
    screenshot(staff, f"meetings-holiday-notice-preview-{width}")
    staff.click("button[name=save]")
    staff.wait_for_selector(".alert-success")
    assert HolidayOverride.objects.filter(date__year=2026).count() == 39

    staff.goto(f"{staff.base_url}/meetings/{meetings_world['upcoming'].pk}/actions/new/")
    staff.select_option("select[name=owner_organisation]", str(org_b.pk))
    offered = staff.locator("select[name=owner_person] option").all_inner_texts()
    assert any(str(other.full_name) in option for option in offered)
    assert not any(str(director.full_name) in option for option in offered)
    staff.select_option("select[name=owner_organisation]", str(org_a.pk))
    offered = staff.locator("select[name=owner_person] option").all_inner_texts()
    assert any(str(director.full_name) in option for option in offered)
    assert not any(str(other.full_name) in option for option in offered)
    screenshot(staff, f"meetings-action-owner-{width}")
