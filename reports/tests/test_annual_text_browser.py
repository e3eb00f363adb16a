"""The annual report's words in a real browser at phone width: a director starts its organisation's
text from the draft, edits and saves it, shares it by link (read logged out) and revokes the link;
the director of a story's organisation agrees to it on its page."""

import datetime

import pytest

from reports.choices import ReportStatus
from reports.models import AnnualNarrative, AnnualStory
from reports.regional import annual_actions
from reports.tests.factories import make_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2024


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_director_writes_shares_and_revokes_its_annual_text_on_a_phone(
    page_factory, screenshot, prefectures, indicators, org_a, centre_a, director
):
    for month in (1, 3):
        make_report(org_a, datetime.date(YEAR, month, 1), status=ReportStatus.APPROVED)

    page = page_factory(director, width=375)
    page.goto(f"{page.base_url}/reports/annual/texts/")
    assert _fits(page)
    page.fill("[name=period]", f"{YEAR}-01")
    page.get_by_role("button", name="从草稿开始").click()
    page.wait_for_selector("#id_foreword")
    # The draft speaks of the organisation's own year, in Chinese, with its figures.
    assert org_a.name in page.input_value("#id_foreword")
    assert "600" in page.input_value("#id_highlights")
    assert _fits(page)
    screenshot(page, "annual-text-1-draft-375")

    page.fill("#id_foreword", "这一年，我们在都安陪伴了更多家庭。")
    page.get_by_role("button", name="保存").first.click()
    page.wait_for_selector("text=已保存")
    text = AnnualNarrative.objects.get()
    assert text.foreword == "这一年，我们在都安陪伴了更多家庭。" and text.organisation == org_a

    page.click("#create-link")
    page.wait_for_selector("#share-url")
    link = page.input_value("#share-url")
    assert _fits(page)
    screenshot(page, "annual-text-2-share-link-375")

    anyone = page_factory(None, width=375)
    response = anyone.goto(link)
    assert response.status == 200
    assert org_a.name in anyone.inner_text("body")

    page.click("#revoke")
    page.wait_for_selector("#create-link")
    assert anyone.goto(link).status == 404


def test_the_director_agrees_to_the_hubs_story_on_a_phone(
    page_factory, screenshot, prefectures, indicators, org_a, centre_a, director, hub_staff, hub_org
):
    report = make_report(org_a, datetime.date(YEAR, 4, 1), status=ReportStatus.APPROVED)
    text, _created = annual_actions.do_create_narrative(
        by=hub_staff, kind="year", start=datetime.date(YEAR, 1, 1)
    )
    story = annual_actions.do_create_story(by=hub_staff, narrative=text, report_id=report.pk)
    annual_actions.do_request_story_consent(by=hub_staff, story=story)

    page = page_factory(director, width=375)
    page.goto(f"{page.base_url}/reports/annual/texts/")
    page.click("#waiting-consent a")
    assert "本月开展了绘本共读" in page.inner_text("#story")
    assert _fits(page)
    screenshot(page, "annual-text-3-consent-375")
    page.check("input[name=answer][value=agree]")
    page.get_by_role("button", name="提交答复").click()
    page.wait_for_selector("text=谢谢：这个故事可以刊登。")
    story = AnnualStory.objects.get()
    assert story.publishable and story.consented_by == director
