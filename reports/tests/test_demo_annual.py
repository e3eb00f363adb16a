"""The demo shows a real annual report (issue #18): last year's region text drafted from the data and
edited, published, with stories agreed by their organisations (one with a consented photo) and one
waiting for the demo director; the demo director's organisation shares its own text by link. Seeding
again changes nothing."""

import datetime

from django.urls import reverse
from django.utils import timezone

from hubsite.core.models import Attachment
from reports import demo_annual
from reports.models import AnnualNarrative, AnnualStory
from reports.regional.annual_actions import highlights_of, story_photos
from reports.regional.choices import PeriodKind


def _last_year():
    return datetime.date(timezone.localdate().year - 1, 1, 1)


def _region_text():
    return AnnualNarrative.objects.region().get(period_kind=PeriodKind.YEAR, period_start=_last_year())


def test_the_demo_publishes_last_years_region_text_drafted_from_the_data_and_edited(demo):
    text = _region_text()
    assert text.published_at is not None and text.published_at <= timezone.now()
    hub = demo["hub@example.org"]
    # The draft's sentence about the year (in Chinese), then the hub director's own words, signed.
    assert str(_last_year().year) in text.foreword and "亲子园" in text.foreword
    assert text.foreword.startswith("亲爱的朋友们") and text.foreword.endswith(hub.full_name)
    # The draft's highlights from the year's figures stay.
    assert text.highlights.count("\n- ") >= 3
    assert "心和基金会" in text.thanks
    assert text.funders.splitlines()[:2] == ["心和基金会", "活力未来"]
    assert hub.organisation.contact_phone in text.contact and hub.organisation.address in text.contact


def test_the_region_text_has_two_agreed_stories_and_one_waiting_for_the_demo_directors_answer(
    demo, client_for
):
    text = _region_text()
    director = demo["director@example.org"]
    stories = list(text.stories.select_related("organisation", "source_report").order_by("position"))
    assert [s.consent_state for s in stories] == ["agreed", "agreed", "asked"]
    agreed, waiting = stories[:2], stories[2]
    assert len({s.organisation_id for s in stories}) == 3
    for story in agreed:
        assert story.consented_by.is_director and story.consented_by.organisation_id == story.organisation_id
        # Edited from the partner's own monthly highlights of the year.
        assert story.body.startswith(highlights_of(story.source_report)) and len(story.body) > 30
        assert story.source_report.month.year == _last_year().year
    assert waiting.organisation_id == director.organisation_id and waiting.consented_at is None
    assert AnnualStory.objects.filter(narrative=text).publishable().count() == 2
    # The demo director finds the hub's request waiting on the annual texts page.
    page = client_for(director).get(reverse("reports:annual_texts")).content.decode()
    assert waiting.title in page and reverse("reports:annual_story_consent", args=[waiting.pk]) in page
    # ... and was told when the hub asked, like any director (a notice with the link to answer).
    from hubsite.core.models import Notification

    (notice,) = Notification.objects.filter(recipient=director, kind="reports.story_consent")
    assert reverse("reports:annual_story_consent", args=[waiting.pk]) in notice.url


def test_the_first_story_shows_a_photo_whose_parents_consent_is_recorded(demo):
    story = _region_text().stories.order_by("position").first()
    photo = story.photo
    assert photo is not None and photo.shows_children and photo.consent_recorded
    assert Attachment.objects.usable_for_funders().filter(pk=photo.pk).exists()
    # It is the story's monthly report's photo, so the story editor offers it too.
    assert story_photos(story).filter(pk=photo.pk).exists()
    with photo.file.open("rb") as stored:
        assert stored.read(3) == b"\xff\xd8\xff"  # a real JPEG


def test_the_demo_directors_organisation_shares_its_own_text_by_link(demo, client_for):
    director = demo["director@example.org"]
    own = AnnualNarrative.objects.get(
        organisation_id=director.organisation_id, period_kind=PeriodKind.YEAR, period_start=_last_year()
    )
    assert own.published_at is None and len(own.share_token) == 43
    assert own.foreword.endswith(director.full_name)
    response = client_for(None).get(reverse("reports:annual_shared", args=[own.share_token]))
    assert response.status_code == 200
    assert director.full_name in response.content.decode()


def test_seeding_the_annual_demo_again_changes_nothing(demo):
    def rows():
        return (
            list(AnnualNarrative.objects.order_by("pk").values()),
            list(AnnualStory.objects.order_by("pk").values()),
            list(Attachment.objects.order_by("pk").values_list("pk", "original_name")),
        )

    before = rows()
    context = {}
    demo_annual.seed(context)
    assert context["annual_texts"] == 0
    assert rows() == before
    assert len(before[0]) == 2 and len(before[1]) == 3


def test_the_menu_leads_hub_staff_and_directors_to_the_annual_texts_and_viewers_to_the_report(
    hub_staff, director, partner, viewer, client_for
):
    texts = f'href="{reverse("reports:annual_texts")}"'
    report = f'href="{reverse("reports:annual_latest")}"'
    for user, shows_texts, shows_report in (
        (hub_staff, True, False),
        (director, True, False),
        (partner, False, False),
        (viewer, False, True),
    ):
        page = client_for(user).get(reverse("home")).content.decode()
        assert (texts in page, report in page) == (shows_texts, shows_report), user.role


def test_a_viewer_following_the_menu_reads_the_demos_published_report_with_its_agreed_stories(
    demo, client_for
):
    text = _region_text()
    response = client_for(demo["viewer@example.org"]).get(reverse("reports:annual_latest"), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "reports:annual_web", args=["year", f"{_last_year():%Y-%m}"]
    )
    page = response.content.decode()
    assert "同心源负责人" in page and "心和基金会" in page
    agreed, waiting = text.stories.publishable(), text.stories.filter(consented_at__isnull=True).get()
    assert all(story.title in page for story in agreed) and waiting.title not in page


def test_with_nothing_published_a_viewer_is_told_so_on_the_regional_reports(viewer, client_for):
    response = client_for(viewer).get(reverse("reports:annual_latest"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:regional_list")
    assert "尚未发布年度报告" in response.content.decode()
