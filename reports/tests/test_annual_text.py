"""The annual report's words: the draft from the year's data, editing (own organisation only, stale
edits refused), stories with the organisation's consent, the share link and publishing."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from hubsite.core.models import Attachment, AttachmentKind, Notification
from meetings.choices import MeetingKind, MeetingStatus
from meetings.models import Meeting
from reports.choices import ReportStatus
from reports.models import AnnualNarrative, AnnualStory
from reports.regional import annual_actions, narrative
from reports.tests.factories import make_report, submitted

YEAR = 2024  # a fixed, ended year (and its predecessor for the comparison)
START = datetime.date(YEAR, 1, 1)


def attach(owner, organisation, name, *, shows_children=False, consent=False):
    """A small photo attached to ``owner`` as the upload would store it."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 90)).save(buffer, "JPEG")
    return Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(type(owner)),
        object_id=owner.pk,
        organisation=organisation,
        kind=AttachmentKind.PHOTO,
        original_name=name,
        file=ContentFile(buffer.getvalue(), name=name),
        mime_type="image/jpeg",
        size=len(buffer.getvalue()),
        shows_children=shows_children,
        consent_recorded=consent,
    )


@pytest.fixture
def year_of_reports(org_a, centre_a, org_b, centre_b):
    """Org A: two approved months this year (300 child visits each) and one last year; org B one
    submitted month this year with highlights of its own."""
    make_report(org_a, datetime.date(YEAR, 1, 1), status=ReportStatus.APPROVED)
    make_report(org_a, datetime.date(YEAR, 3, 1), status=ReportStatus.APPROVED, values={"child_visits": 450})
    make_report(org_a, datetime.date(YEAR - 1, 3, 1), status=ReportStatus.APPROVED)
    report_b = submitted(org_b, datetime.date(YEAR, 5, 1))
    report_b.values.filter(indicator__code="highlights").update(text="桂林的孩子们第一次走进图书馆")
    return report_b


def _text(user, organisation=None):
    text, _created = annual_actions.do_create_narrative(
        by=user, kind="year", start=START, organisation=organisation
    )
    return text


def test_the_draft_states_the_years_figures_against_last_year_and_what_is_new(
    year_of_reports, org_a, make_centre, hub_org
):
    make_centre(org_a, "都安新城亲子园", datetime.date(YEAR, 6, 1))
    Meeting.objects.create(
        kind=MeetingKind.QUARTERLY_DIRECTORS,
        title="第二季度机构负责人会议",
        starts_at=datetime.datetime(YEAR, 4, 10, 9, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(YEAR, 4, 10, 12, tzinfo=datetime.UTC),
        status=MeetingStatus.HELD,
    )

    with translation.override("en"):
        text = narrative.draft(None, "year", START)

    # 300 + 450 child visits this year (org B's 300 make 1,050) against 300 last year.
    assert "Child visits (visits): 1,050" in text["highlights"]
    assert "up 250% on 2023 annual" in text["highlights"]
    assert "Busiest month: 2024-03, with 450 child visits" in text["highlights"]
    assert "都安新城亲子园" in text["highlights"]
    assert "Network meetings held: 1 (Quarterly directors' meeting 1)" in text["highlights"]
    assert "Most child visits: 都安瑶山 750" in text["highlights"]
    assert "2 partner organisations ran 3 parent-child centres" in text["foreword"]
    assert "Prefectures still without a centre" in text["challenges"]
    assert hub_org.name in text["contact"]


def test_a_partners_draft_speaks_of_its_own_year_only(year_of_reports, org_a):
    with translation.override("en"):
        text = narrative.draft(org_a, "year", START)

    assert text["foreword"].startswith(f"In 2024 annual, {org_a.name} ran 1 parent-child centres")
    assert "Child visits (visits): 750" in text["highlights"]
    assert "桂林" not in text["highlights"]
    assert org_a.contact_phone in text["contact"]


def test_the_draft_counts_help_hours_between_partners_and_training_completed(
    year_of_reports, org_a, org_b, director, hub_staff
):
    from mutualaid.choices import HelpKind
    from mutualaid.models import HelpHours, PioneerPairing
    from training.choices import ApplicationStatus
    from training.models import Application, Module, Programme

    pairing = PioneerPairing.objects.create(
        pioneer=org_a,
        partner=org_b,
        starts_on=datetime.date(YEAR, 3, 1),
        ends_on=datetime.date(YEAR, 9, 1),
        goals="开办第一个亲子园",
        created_by=hub_staff,
    )
    for day, hours in ((datetime.date(YEAR, 4, 2), 3), (datetime.date(YEAR, 5, 7), 4.5)):
        HelpHours.objects.create(
            kind=HelpKind.PIONEER,
            giver=org_a,
            giver_person=director,
            receiver=org_b,
            given_on=day,
            hours=hours,
            pairing=pairing,
            recorded_by=director,
        )
    programme = Programme.objects.create(name="亮星计划", year=YEAR)
    module = Module.objects.create(
        programme=programme,
        name="早期教育",
        places=30,
        opens_at=datetime.datetime(YEAR, 1, 5, tzinfo=datetime.UTC),
        closes_at=datetime.datetime(YEAR, 2, 5, tzinfo=datetime.UTC),
    )
    Application.objects.create(
        module=module,
        applicant=director,
        organisation=org_a,
        years_in_child_services=3,
        education=3,
        status=ApplicationStatus.COMPLETED,
        completed_on=datetime.date(YEAR, 11, 30),
    )

    with translation.override("en"):
        region = narrative.draft(None, "year", START)
        own = narrative.draft(org_a, "year", START)
        half = narrative.draft(org_a, "half_year", datetime.date(YEAR, 1, 1))

    assert "Help between partners: 1 organisations received 7.5 hours of help" in region["highlights"]
    assert "Talent programme: 1 learners completed their module" in region["highlights"]
    assert "Help given to other partners: 7.5 hours to 1 organisations" in own["highlights"]
    # A half-year is compared with the same half of last year (March: 300 visits then, 750 now).
    assert "Child visits (visits): 750 (up 150% on 2023 first half)" in half["highlights"]


def test_the_draft_is_in_chinese_by_default(year_of_reports):
    with translation.override("zh-hans"):
        text = narrative.draft(None, "year", START)

    assert "儿童服务人次（人次）：1,050（比2023年度增长 250%）" in text["highlights"]
    # A stock says it is an average month, not twelve months added up.
    assert "服务家庭数（去重）（户，月均）：120" in text["highlights"]
    assert text["foreword"].startswith("2024年度，")


def test_a_director_starts_its_own_organisations_text_whatever_organisation_is_posted(
    client_for, director, org_a, org_b, year_of_reports
):
    client = client_for(director)

    response = client.post(
        reverse("reports:annual_texts"),
        {"period_kind": "year", "period": "2024-05", "organisation": org_b.pk},
    )

    text = AnnualNarrative.objects.get()
    assert response.status_code == 302 and response["Location"] == text.get_absolute_url()
    assert (text.organisation, text.period_start) == (org_a, START)
    assert "750" in text.highlights  # drafted from org A's own figures


def test_a_director_edits_its_own_text_and_another_directors_guess_is_404(
    client_for, director, make_user, org_a, org_b
):
    text = AnnualNarrative.objects.create(organisation=org_a, period_kind="year", period_start=START)
    url = reverse("reports:annual_text_edit", args=[text.pk])

    response = client_for(director).post(
        url, {"version": text.version, "foreword": "这一年我们陪伴了更多家庭"}
    )

    assert response.status_code == 302
    text.refresh_from_db()
    assert text.foreword == "这一年我们陪伴了更多家庭" and text.updated_by == director
    preview = client_for(director).get(reverse("reports:annual_text_preview", args=[text.pk]))
    assert preview.status_code == 200 and "这一年我们陪伴了更多家庭" in preview.content.decode()
    other_director = make_user("director-b@example.org", "director", org_b)
    assert client_for(other_director).get(url).status_code == 404
    preview_url = reverse("reports:annual_text_preview", args=[text.pk])
    assert client_for(other_director).get(preview_url).status_code == 404
    assert client_for(other_director).post(url, {"version": text.version, "foreword": "x"}).status_code == 404


def test_a_stale_edit_is_refused_and_keeps_the_colleagues_words(client_for, hub_staff, hub_admin):
    text = AnnualNarrative.objects.create(organisation=None, period_kind="year", period_start=START)
    url = reverse("reports:annual_text_edit", args=[text.pk])
    loaded = text.version
    assert (
        client_for(hub_admin).post(url, {"version": loaded, "foreword": "管理员写的前言"}).status_code == 302
    )

    response = client_for(hub_staff).post(url, {"version": loaded, "foreword": "同工写的前言"})

    assert response.status_code == 409
    text.refresh_from_db()
    assert text.foreword == "管理员写的前言"


def test_the_hub_picks_a_story_asks_consent_and_the_director_agrees(
    client_for, hub_staff, make_user, org_b, year_of_reports
):
    director_b = make_user("director-b@example.org", "director", org_b, full_name="李主任")
    text = _text(hub_staff)
    hub = client_for(hub_staff)

    pick = hub.get(reverse("reports:annual_story_pick", args=[text.pk]))
    assert "桂林的孩子们第一次走进图书馆" in pick.content.decode()
    hub.post(reverse("reports:annual_story_pick", args=[text.pk]), {"report": year_of_reports.pk})
    story = AnnualStory.objects.get()
    assert story.body == "桂林的孩子们第一次走进图书馆" and story.organisation == org_b
    assert not story.publishable

    hub.post(reverse("reports:annual_story_ask", args=[story.pk]))
    hub.post(reverse("reports:annual_story_ask", args=[story.pk]))  # a second click: one notice

    notice = Notification.objects.get(recipient=director_b, kind="reports.story_consent")
    waiting = client_for(director_b).get(reverse("reports:annual_texts")).content.decode()
    assert 'id="waiting-consent"' in waiting and notice.url in waiting
    assert notice.url == reverse("reports:annual_story_consent", args=[story.pk])
    director = client_for(director_b)
    page = director.get(notice.url)
    assert page.status_code == 200 and "桂林的孩子们第一次走进图书馆" in page.content.decode()
    story.refresh_from_db()

    director.post(notice.url, {"version": story.version, "answer": "agree", "note": ""})

    story.refresh_from_db()
    assert story.publishable and story.consented_by == director_b
    assert list(AnnualStory.objects.publishable()) == [story]
    answer = Notification.objects.get(recipient=hub_staff, kind="reports.story_answered")
    assert str(org_b) in answer.subject


def test_a_director_declines_with_a_note_and_the_story_is_not_publishable(
    client_for, hub_staff, make_user, org_b, year_of_reports
):
    director_b = make_user("director-b@example.org", "director", org_b)
    text = _text(hub_staff)
    story = annual_actions.do_create_story(by=hub_staff, narrative=text, report_id=year_of_reports.pk)
    annual_actions.do_request_story_consent(by=hub_staff, story=story)
    story.refresh_from_db()

    response = client_for(director_b).post(
        reverse("reports:annual_story_consent", args=[story.pk]),
        {"version": story.version, "answer": "decline", "note": "请不要写孩子的名字"},
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert not story.publishable and story.consent_state == "declined"
    answer = Notification.objects.get(recipient=hub_staff, kind="reports.story_answered")
    assert "请不要写孩子的名字" in answer.body


def test_only_the_stories_organisation_answers_for_it(client_for, hub_staff, director, year_of_reports):
    text = _text(hub_staff)
    story = annual_actions.do_create_story(by=hub_staff, narrative=text, report_id=year_of_reports.pk)

    # Org A's director cannot open (or answer for) org B's story.
    assert (
        client_for(director).get(reverse("reports:annual_story_consent", args=[story.pk])).status_code == 404
    )


def test_a_directors_own_story_is_agreed_when_saved_and_a_hub_edit_asks_again(
    client_for, director, hub_staff, org_a, centre_a
):
    report = make_report(org_a, datetime.date(YEAR, 2, 1), status=ReportStatus.APPROVED)
    text = _text(director)
    story = annual_actions.do_create_story(by=director, narrative=text, report_id=report.pk)
    assert story.publishable and story.consented_by == director

    response = client_for(hub_staff).post(
        reverse("reports:annual_story_edit", args=[story.pk]),
        {"version": story.version, "title": "新的标题", "body": story.body, "position": 1},
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "新的标题" and not story.publishable


def test_a_story_offers_only_photos_usable_for_funders(client_for, hub_staff, org_b, year_of_reports):
    usable = attach(year_of_reports, org_b, "library.jpg")
    with_consent = attach(year_of_reports, org_b, "reading.jpg", shows_children=True, consent=True)
    without_consent = attach(year_of_reports, org_b, "faces.jpg", shows_children=True, consent=False)
    text = _text(hub_staff)
    story = annual_actions.do_create_story(by=hub_staff, narrative=text, report_id=year_of_reports.pk)
    url = reverse("reports:annual_story_edit", args=[story.pk])
    client = client_for(hub_staff)

    page = client.get(url).content.decode()
    assert "library.jpg" in page and "reading.jpg" in page and "faces.jpg" not in page

    refused = client.post(
        url,
        {
            "version": story.version,
            "title": story.title,
            "body": story.body,
            "position": 1,
            "photo": without_consent.pk,
        },
    )
    assert refused.status_code == 200
    story.refresh_from_db()
    assert story.photo is None
    client.post(
        url,
        {
            "version": story.version,
            "title": story.title,
            "body": story.body,
            "position": 1,
            "photo": with_consent.pk,
        },
    )
    story.refresh_from_db()
    assert story.photo == with_consent
    assert usable.pk != with_consent.pk


def test_the_share_link_works_logged_out_and_revoking_it_answers_404(client_for, director, org_a):
    text = AnnualNarrative.objects.create(
        organisation=org_a, period_kind="year", period_start=START, foreword="这一年我们陪伴了更多家庭"
    )
    writer = client_for(director)
    writer.post(reverse("reports:annual_text_share", args=[text.pk]), {"action": "create"})
    text.refresh_from_db()
    assert len(text.share_token) == 43
    url = reverse("reports:annual_shared", args=[text.share_token])
    anyone = Client()

    response = anyone.get(url)

    assert response.status_code == 200
    assert org_a.name in response.content.decode()
    assert response["Cache-Control"] == "private, no-store" and response["Referrer-Policy"] == "no-referrer"

    writer.post(reverse("reports:annual_text_share", args=[text.pk]), {"action": "revoke"})
    text.refresh_from_db()
    assert text.share_token == ""
    assert anyone.get(url).status_code == 404


def test_the_share_page_opened_directly_says_what_its_choice_is_for(client_for, director, org_a):
    text = AnnualNarrative.objects.create(organisation=org_a, period_kind="year", period_start=START)
    html = client_for(director).get(reverse("reports:annual_text_share", args=[text.pk])).content.decode()
    assert "链接操作" in html and "Action" not in html


def test_a_new_link_replaces_the_old_one(client, director, org_a):
    text = AnnualNarrative.objects.create(organisation=org_a, period_kind="year", period_start=START)
    old = annual_actions.do_share_narrative(by=director, narrative=text)
    new = annual_actions.do_share_narrative(by=director, narrative=text)

    assert old != new
    assert client.get(reverse("reports:annual_shared", args=[old])).status_code == 404


def test_publishing_the_regions_text_tells_viewers(client_for, hub_staff, viewer):
    text = AnnualNarrative.objects.create(organisation=None, period_kind="year", period_start=START)

    client_for(hub_staff).post(reverse("reports:annual_text_publish", args=[text.pk]), {"action": "publish"})

    text.refresh_from_db()
    assert text.published_at is not None
    assert AnnualNarrative.objects.for_user(viewer).get() == text
    notice = Notification.objects.get(recipient=viewer, kind="reports.annual_published")
    assert "2024" in notice.subject
    assert client_for(viewer).get(notice.url).status_code == 200  # the web edition, open to viewers now


def test_the_pages_run_a_fixed_number_of_queries(
    client_for, hub_staff, org_b, year_of_reports, django_assert_num_queries
):
    text = _text(hub_staff)
    for _n in range(3):
        story = annual_actions.do_create_story(by=hub_staff, narrative=text, report_id=year_of_reports.pk)
    client = client_for(hub_staff)
    client.get(reverse("reports:annual_texts"))  # warm the session and content types

    with django_assert_num_queries(4):
        assert client.get(reverse("reports:annual_texts")).status_code == 200
    with django_assert_num_queries(5):
        page = client.get(reverse("reports:annual_text_edit", args=[text.pk]))
    assert page.status_code == 200 and page.content.decode().count('data-consent="not_asked"') == 3
    with django_assert_num_queries(6):
        assert client.get(reverse("reports:annual_story_pick", args=[text.pk])).status_code == 200
    with django_assert_num_queries(4):
        assert client.get(reverse("reports:annual_story_edit", args=[story.pk])).status_code == 200


def test_the_directors_pages_run_a_fixed_number_of_queries(
    client_for, hub_staff, make_user, org_b, year_of_reports, django_assert_num_queries
):
    director_b = make_user("director-b@example.org", "director", org_b)
    text = _text(hub_staff)
    for _n in range(2):
        story = annual_actions.do_create_story(by=hub_staff, narrative=text, report_id=year_of_reports.pk)
        annual_actions.do_request_story_consent(by=hub_staff, story=story)
    client = client_for(director_b)
    client.get(reverse("reports:annual_texts"))

    with django_assert_num_queries(4):
        page = client.get(reverse("reports:annual_texts"))
    assert page.content.decode().count("/consent/") == 2
    with django_assert_num_queries(3):
        assert client.get(reverse("reports:annual_story_consent", args=[story.pk])).status_code == 200


def test_a_story_from_the_hubs_own_centres_is_agreed_by_hub_staff_at_once(hub_staff, hub_org, make_centre):
    make_centre(hub_org, "南宁城中村亲子园", datetime.date(2018, 4, 1))
    report = make_report(hub_org, datetime.date(YEAR, 6, 1), status=ReportStatus.APPROVED)
    text = _text(hub_staff)

    story = annual_actions.do_create_story(by=hub_staff, narrative=text, report_id=report.pk)

    assert story.publishable and story.consented_by == hub_staff


def _jpeg(name):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_the_logo_of_the_regions_text_belongs_to_the_hub_and_a_partners_to_the_partner(
    client_for, hub_staff, hub_org, director, make_user, org_a, org_b
):
    region = AnnualNarrative.objects.create(organisation=None, period_kind="year", period_start=START)
    own = AnnualNarrative.objects.create(organisation=org_a, period_kind="year", period_start=START)

    def upload(user, text):
        url = reverse("attachments:add", args=["reports.annualnarrative", text.pk])
        return client_for(user).post(url, {"file": _jpeg("logo.jpg"), "kind": "logo"})

    assert upload(hub_staff, region).status_code == 302
    assert upload(director, own).status_code == 302
    assert upload(make_user("director-b@example.org", "director", org_b), own).status_code == 404

    logos = Attachment.objects.for_model(AnnualNarrative).filter(kind=AttachmentKind.LOGO)
    assert {(a.object_id, a.organisation_id) for a in logos} == {(region.pk, hub_org.pk), (own.pk, org_a.pk)}


def test_each_role_is_offered_only_its_annual_report_notices(client_for, director, hub_staff, viewer):
    def offered(user):
        page = client_for(user).get(reverse("notifications:preferences")).content.decode()
        return {code for code in CODES if f'value="{code}"' in page}

    CODES = ("reports.story_consent", "reports.story_answered", "reports.annual_published")
    assert offered(director) == {"reports.story_consent"}
    assert offered(hub_staff) == {"reports.story_answered"}
    assert offered(viewer) == {"reports.annual_published"}


def test_the_consent_notice_is_written_in_the_directors_language(
    hub_staff, make_user, org_b, year_of_reports
):
    english = make_user("director-b@example.org", "director", org_b, language="en")
    chinese = make_user("director-b2@example.org", "director", org_b)
    story = annual_actions.do_create_story(
        by=hub_staff, narrative=_text(hub_staff), report_id=year_of_reports.pk
    )

    assert annual_actions.do_request_story_consent(by=hub_staff, story=story) == 2

    assert Notification.objects.get(recipient=english).subject.startswith("May we tell your story")
    assert Notification.objects.get(recipient=chinese).subject.startswith("可以在年度报告中刊登")
