"""In a real browser, on a phone (375 px): org B asks org A's mentor for help, the mentor accepts and
logs the session's hours, and both see them in the help-hours ledger."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_accept_log_hours_and_the_ledger_on_a_phone(
    page_factory, screenshot, hub_staff, director, other, org_a, org_b
):
    from django.utils import timezone

    from mutualaid import actions
    from mutualaid.models import HelpHours

    offer = actions.do_offer_mentoring(
        by=director,
        areas=["parents"],
        format="online",
        availability="周六上午",
        introduction="家长委员会怎么建",
    )
    actions.do_review_mentor(mentor_id=offer.pk, by=hub_staff, approve=True)

    asker = page_factory(other, width=375, height=800)
    asker.goto(f"{asker.base_url}/mutual-aid/mentors/?area=parents")
    asker.click("text=韦主任")
    asker.click("text=请这位导师")
    asker.fill("textarea[name=message]", "我们想成立家长委员会，请您指导。")
    asker.select_option("select[name=format]", "online")
    asker.click("main form [type=submit]")
    asker.wait_for_url("**/mutual-aid/help/mentoring/*/")
    assert asker.inner_text("#status").startswith("待答复")
    screenshot(asker, "mutualaid-mentor-requested-phone")

    mentor = page_factory(director, width=375, height=800)
    mentor.goto(asker.url.replace(asker.base_url, mentor.base_url))
    mentor.click("text=答复请求")
    mentor.select_option("select[name=accept]", "1")
    mentor.click("main form [type=submit]")
    mentor.wait_for_url("**/mutual-aid/help/mentoring/*/")
    assert mentor.inner_text("#status").startswith("已接受")
    mentor.click("text=记录一次导师辅导")
    mentor.fill("input[name=given_on]", timezone.localdate().isoformat())
    mentor.fill("input[name=hours]", "2.5")
    mentor.fill("textarea[name=note]", "线上讲了家长委员会章程")
    mentor.click("main form [type=submit]")
    mentor.wait_for_url("**/mutual-aid/help/mentoring/*/")
    assert "线上讲了家长委员会章程" in mentor.inner_text("#hours")
    screenshot(mentor, "mutualaid-mentor-hours-phone")
    assert HelpHours.objects.get().hours == 2.5

    asker.goto(f"{asker.base_url}/mutual-aid/help/hours/")
    figure = asker.inner_text("#help-figure")
    assert "1 位导师" in figure and "2.5 小时" in figure
    assert "2.5" in asker.inner_text("#balances")
    # Nothing overflows the phone's width.
    assert asker.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(asker, "mutualaid-ledger-phone")
