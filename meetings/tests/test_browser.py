"""The whole cadence in a real browser: plan, swap, confirm, propose, attend, minute, follow up."""

import datetime

import pytest
from django.utils import timezone

from meetings.models import ActionItem, Invitation, Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_plan_next_year_the_host_proposes_and_the_owner_closes_the_follow_up(
    page_factory, screenshot, hub_staff, director, partner, other, org_a, org_b
):
    staff = page_factory(hub_staff)
    staff.goto(f"{staff.base_url}/meetings/planner/")
    staff.fill("input[name=year]", "2027")
    staff.click("#make-plan")
    staff.wait_for_selector("#plan-table")
    assert staff.locator("#unknown-year").is_visible()  # chinese_calendar 1.11 does not know 2027
    jan = staff.locator("tr[data-key='monthly_topic-1'] td.host")
    feb = staff.locator("tr[data-key='monthly_topic-2'] td.host")
    assert (jan.inner_text(), feb.inner_text()) == (str(org_a), str(org_b))
    staff.select_option("#swap-form select[name=first]", "monthly_topic-1")
    staff.select_option("#swap-form select[name=second]", "monthly_topic-2")
    staff.click("#swap-form button[type=submit]")
    staff.wait_for_selector(".alert-success")
    assert (jan.inner_text(), feb.inner_text()) == (str(org_b), str(org_a))
    screenshot(staff, "meetings-plan-2027")
    staff.click("#confirm-plan")
    staff.wait_for_selector("#plan-confirmed")
    february = Meeting.objects.get(kind="monthly_topic", year=2027, sequence=2)
    assert february.host == org_a
    assert Meeting.objects.filter(year=2027).count() >= 18

    host = page_factory(partner, width=375)
    host.goto(f"{host.base_url}/meetings/mine/")
    host.click(f"a[href='/meetings/{february.pk}/']")
    screenshot(host, "meetings-invitation-partner-375")
    host.click("#propose-topic")
    host.fill("input[name=title]", "家长签到怎么更轻松")
    host.fill("textarea[name=problem]", "签到表繁琐，老师下班后还要补录。")
    host.fill("textarea[name=why_it_matters]", "回访率决定家庭能否持续来园。")
    host.click("form.card button[type=submit]")
    host.wait_for_selector("#meeting-topic")
    assert "家长签到怎么更轻松" in host.inner_text("#meeting-topic")
    screenshot(host, "meetings-topic-proposed-375")

    # Time passes: the meeting has taken place (moved to yesterday so attendance can be recorded).
    start = timezone.now() - datetime.timedelta(days=1)
    Meeting.objects.filter(pk=february.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    invitation = Invitation.objects.get(meeting=february, person=partner)
    staff.goto(f"{staff.base_url}/meetings/{february.pk}/attendance/")
    staff.select_option(f"select[name=inv_{invitation.pk}]", "present")
    staff.click("#attendance-form button[type=submit]")
    staff.wait_for_selector("#edit-minutes")
    staff.click("#edit-minutes")
    staff.fill("textarea[name=text]", "各机构分享了签到做法：\n\n- 扫码签到\n- 每周一次回访")
    staff.fill("textarea[name=decisions]", "- 都安瑶山整理签到表模板")
    staff.click("form.card button[type=submit]")
    staff.wait_for_selector("#minutes-text li")
    staff.click("#add-action")
    staff.fill("input[name=what]", "分享签到表模板")
    staff.select_option("select[name=owner_organisation]", str(org_a.pk))
    staff.select_option("select[name=owner_person]", str(director.pk))
    staff.fill("input[name=due_on]", (timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    staff.click("form.card button[type=submit]")
    staff.wait_for_selector("text=分享签到表模板")
    assert staff.inner_text("#meeting-status") == "已召开"
    screenshot(staff, "meetings-held-with-minutes")

    owner = page_factory(director, width=375)
    owner.goto(f"{owner.base_url}/")
    assert "分享签到表模板" in owner.inner_text("#panel-actions")
    screenshot(owner, "meetings-home-action-item-375")
    owner.click("#panel-actions button[value=done]")
    owner.wait_for_selector(".alert-success")
    assert "分享签到表模板" not in owner.inner_text("#panel-actions")
    assert ActionItem.objects.get().status == "done"
    screenshot(owner, "meetings-home-action-done-375")
