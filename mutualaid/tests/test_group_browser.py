"""In a real browser, on a phone (375 px): org A leads a joint action and has logged its part; org B,
invited, logs its own part and the action's combined figures add both up."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_invited_organisation_logs_its_part_and_sees_the_combined_figures_on_a_phone(
    page_factory, screenshot, director, other, org_a, org_b
):
    import datetime

    from django.utils import timezone

    from mutualaid import actions

    today = timezone.localdate()
    action = actions.do_create_joint_action(
        by=director,
        title="安全小玩童联合行动",
        description="各机构在自己的社区开展",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
        activities=["亲子工作坊", "知识问答"],
    )
    workshop, quiz = action.activities.all()
    actions.do_log_joint_part(
        by=director,
        action_id=action.pk,
        activity=workshop,
        held_on=today,
        sessions=2,
        people_served=50,
        volunteers=4,
        materials=60,
        note="",
    )
    actions.do_invite_to_joint_action(by=director, action_id=action.pk, organisation=org_b)

    page = page_factory(other, width=375, height=800)
    page.goto(f"{page.base_url}/mutual-aid/joint/")
    page.click("text=安全小玩童联合行动")
    assert page.inner_text("#figure-people") == "50"
    page.click("text=记录本机构的执行情况")
    page.select_option("select[name=activity]", str(quiz.pk))
    page.fill("input[name=held_on]", today.isoformat())
    page.fill("input[name=sessions]", "1")
    page.fill("input[name=people_served]", "30")
    page.fill("input[name=volunteers]", "3")
    page.fill("input[name=materials]", "45")
    page.fill("textarea[name=note]", "社区广场知识问答")
    screenshot(page, "mutualaid-joint-part-form-phone")
    page.click("main form [type=submit]")
    page.wait_for_url(f"**/mutual-aid/joint/{action.pk}/")

    assert page.inner_text("#figure-organisations") == "2"
    assert page.inner_text("#figure-sessions") == "3"
    assert page.inner_text("#figure-people") == "80"
    assert page.inner_text("#figure-volunteers") == "7"
    assert page.inner_text("#figure-materials") == "105"
    assert "社区广场知识问答" in page.inner_text("#parts")
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "mutualaid-joint-figures-phone")
