"""A partner's own annual report, read as its funder reads it: every figure is the partner's (its centres,
its figures against last year and its targets, the hub's support it received), and the lines that only
make sense for the network (members at the end of the period, meetings the network held, supervision
coverage, the map) are left out. The English edition says its headings and units in English."""

import datetime
import re
import subprocess
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import override

from meetings.choices import Attendance, MeetingKind, MeetingStatus
from meetings.models import Invitation, Meeting
from mutualaid.choices import ClaimStatus, HelpKind, VisitStatus
from mutualaid.models import CoachingSession, HelpHours, Membership, PioneerPairing, StudyVisit
from reports.models import AnnualNarrative, AnnualStory, Target
from reports.regional import content
from reports.regional.annual_web import render_web
from reports.regional.pdf import AnnualJob, write_annual_pdf
from reports.tests import annual_world

YEAR = annual_world.YEAR
TODAY = datetime.date(YEAR + 1, 2, 20)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def day(month, d=10, hour=9):
    return datetime.datetime(YEAR, month, d, hour, tzinfo=datetime.UTC)


def text_of(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def job(organisation=None, language="zh-hans"):
    return AnnualJob(
        kind="year",
        start=annual_world.START,
        scope="organisation" if organisation else "region",
        prefecture_id=None,
        organisation_id=organisation.pk if organisation else None,
        title="2024",
        language=language,
        today=TODAY,
    )


def support_world(org_a, org_b, centre_a, centre_b, director, partner, other, hub_staff, indicators):
    """Around org A's year: both organisations in the mutual-aid group; two network meetings, org A
    present at the first only (two people), org B at both; one supervision for org A, two for org B;
    one of org A's people completed the hub's training; org A gave 3 hours of help to org B and received
    1.5; a study visit whose subsidy of 800 yuan the hub verified; a coaching session; a target."""
    Membership.objects.create(organisation=org_a, cohort="2023", joined_on=datetime.date(YEAR - 1, 3, 1))
    Membership.objects.create(organisation=org_b, cohort="2024", joined_on=datetime.date(YEAR, 1, 1))
    for n, month in enumerate((3, 9)):
        meeting = Meeting.objects.create(
            kind=MeetingKind.MONTHLY_TOPIC,
            title=f"月度主题会{n}",
            starts_at=day(month),
            ends_at=day(month, hour=11),
            status=MeetingStatus.HELD,
        )
        Invitation.objects.create(
            meeting=meeting, person=other, organisation=org_b, attendance=Attendance.PRESENT
        )
        attended = Attendance.PRESENT if n == 0 else Attendance.ABSENT
        for person in (director, partner):
            Invitation.objects.create(meeting=meeting, person=person, organisation=org_a, attendance=attended)
    for org, months in ((org_a, (4,)), (org_b, (5, 10))):
        for month in months:
            Meeting.objects.create(
                kind=MeetingKind.SUPERVISION,
                title="个别化督导",
                organisation=org,
                starts_at=day(month),
                ends_at=day(month, hour=11),
                status=MeetingStatus.HELD,
            )
    _training(org_a, director)
    pairing = PioneerPairing.objects.create(
        pioneer=org_a,
        partner=org_b,
        starts_on=datetime.date(YEAR, 3, 1),
        ends_on=datetime.date(YEAR, 9, 1),
        goals="开办第一个亲子园",
        created_by=hub_staff,
    )
    for giver, receiver, hours in ((org_a, org_b, 3), (org_b, org_a, 1.5)):
        HelpHours.objects.create(
            kind=HelpKind.PIONEER,
            giver=giver,
            receiver=receiver,
            given_on=datetime.date(YEAR, 4, 2),
            hours=hours,
            pairing=pairing,
            recorded_by=hub_staff,
        )
    StudyVisit.objects.create(
        organisation=org_a,
        requested_by=director,
        visitors="韦主任",
        host_centre=centre_b,
        visit_on=datetime.date(YEAR, 6, 5),
        estimated_cost=Decimal("900"),
        actual_cost=Decimal("850"),
        status=VisitStatus.CLAIMED,
        claim_status=ClaimStatus.VERIFIED,
        verified_amount=Decimal("800"),
    )
    CoachingSession.objects.create(
        organisation=org_a, director=director, held_on=datetime.date(YEAR, 7, 1), coach="张教练", topic="筹款"
    )
    Target.objects.create(organisation=org_a, indicator=indicators["child_visits"], year=YEAR, value=1000)


def _training(org, person):
    from training.choices import ApplicationStatus
    from training.models import Application, Module, Programme

    programme = Programme.objects.create(name="亮星计划", year=YEAR)
    module = Module.objects.create(
        programme=programme,
        name="早期教育",
        places=30,
        opens_at=day(1, 5),
        closes_at=day(2, 5),
    )
    Application.objects.create(
        module=module,
        applicant=person,
        organisation=org,
        years_in_child_services=3,
        education=3,
        status=ApplicationStatus.COMPLETED,
        completed_on=datetime.date(YEAR, 11, 30),
    )


@pytest.fixture
def world(org_a, centre_a, org_b, centre_b, hub_org, director, partner, other, hub_staff, indicators):
    narrative = annual_world.build(org_a, org_b, hub_org, organisation=org_a)
    support_world(org_a, org_b, centre_a, centre_b, director, partner, other, hub_staff, indicators)
    return narrative


def own_content(org):
    return content.gather("year", annual_world.START, "organisation", None, org, title="x", today=TODAY)


def test_the_partners_support_is_what_it_received_and_its_year_in_numbers_counts_its_own(world, org_a):
    with override("en"):
        gathered = own_content(org_a)
        annual = content.annual(gathered, world)

    support = {f.key: f for f in annual.support}
    # Org A was present at one of the two meetings held (two of its people), not at the network's 2.
    assert (
        support["meetings"].value == 1 and "of 2 held; 2 person-times present" in support["meetings"].detail
    )
    assert support["supervisions"].value == 1  # its own, not org B's two
    assert support["coaching"].value == 1
    assert support["training"].value == 1 and support["training"].unit == "person"
    assert support["study_visits"].value == 1 and "800 yuan" in support["study_visits"].detail
    assert support["help_received"].value == 1.5
    assert annual.member_since == datetime.date(YEAR - 1, 3, 1)
    numbers = {f.key: f for f in annual.numbers}
    assert numbers["child_visits"].value == 1200 and numbers["child_visits"].target == 1000
    assert numbers["child_visits"].target_pct == 120 and numbers["child_visits"].unit == "visits"
    assert numbers["help_given"].value == 3  # what it gave; what it received is the hub's support above
    assert "help_hours" not in numbers and "partners" not in numbers
    # Its one centre, with its own figures.
    assert [c.name for c in gathered.centres] == ["都安县城亲子园"]
    visits = next(i for i in gathered.key_indicators if i.code == "child_visits")
    assert gathered.centres[0].figures[visits.pk].current == 1200


def test_a_partners_annual_pdf_says_its_own_figures_and_leaves_out_the_networks(world, org_a, tmp_path):
    path = tmp_path / "org.pdf"
    write_annual_pdf(job(org_a), path, workers=1)
    text = text_of(path)

    with override("zh-hans"):
        gathered = own_content(org_a)
    visits = next(i for i in gathered.indicators if i.code == "child_visits")
    assert gathered.totals[visits.pk].current == 1200
    assert "都安瑶山社会工作服务中心" in text.split("\f")[0]
    assert "1,200" in text and "目标 1,000 (120%)" in text and "都安县城亲子园" in text
    assert "获得的枢纽支持" in text and "枢纽督导" in text and "走访学习" in text
    # The network's lines: members at the period's end, meetings held, the map's prefecture count,
    # organisations supported, help between all partners.
    for network_only in (
        "期末成员数",
        "已召开的网络会议",
        "有亲子园的地市",
        "支持的伙伴机构",
        "伙伴互助时数",
        "会议与互助",
    ):
        assert network_only not in text, network_only
    assert "绘本里的小菜园" in text and "尚未同意的故事" not in text


def test_a_partners_web_edition_shows_its_centres_and_the_support_it_received(world, org_a, rf):
    request = rf.get("/annual/shared/x/")
    request.user = AnonymousUser()
    page = render_web(request, world).content.decode()

    assert 'data-key="child_visits"><div class="value">1,200' in page
    assert 'data-key="meetings"><div class="value">1 ' in page
    assert 'data-key="supervisions"><div class="value">1 ' in page
    assert 'data-key="help_given"><div class="value">3 ' in page
    assert 'id="centres"' in page and "都安县城亲子园" in page
    assert 'id="network"' not in page and "期末成员数" not in page and 'class="map"' not in page


def test_a_partners_draft_counts_the_meetings_it_attended_and_the_supervision_it_received(world, org_a):
    from reports.regional import narrative

    with override("en"):
        own = narrative.draft(org_a, "year", annual_world.START, today=TODAY)
        region = narrative.draft(None, "year", annual_world.START, today=TODAY)

    assert "Network meetings attended: 1 of 2 held; 2 person-times present" in own["highlights"]
    assert "Supervision visits from the hub: 1" in own["highlights"]
    assert "Support from the network: 1 coaching sessions, 1 study visits" in own["highlights"]
    assert (
        "Network meetings held" not in own["highlights"]
        and "organisations supervised" not in own["highlights"]
    )
    # The region's draft keeps the network's view.
    assert "Network meetings held: 2" in region["highlights"]
    assert "Individual supervisions: 2 organisations supervised" in region["highlights"]


def english_world(org_a, org_b, hub_org):
    """The partner's text written in English (what its people write stays as written): every other word
    of the English edition is the site's."""
    narrative = annual_world.build(org_a, org_b, hub_org, organisation=org_a)
    AnnualNarrative.objects.filter(pk=narrative.pk).update(
        foreword="A year with more families.",
        highlights="Two new centres.",
        challenges="Stable funding.",
        next_plan="More reading.",
        thanks="Thank you all.",
        funders="One Foundation",
        contact="Phone 0771-0000000",
    )
    AnnualStory.objects.filter(narrative=narrative).update(title="The garden", body="Tomatoes.")
    narrative.refresh_from_db()
    return narrative


def names(*orgs) -> list[str]:
    """Names of organisations, centres and places: they stay as they are (Chinese) in English."""
    from partners.models import Centre, Prefecture

    found = []
    for org in orgs:
        found += [org.name, org.short_name]
    found += list(Centre.objects.values_list("name", flat=True))
    # Prefectures by their names and as the map labels them (南宁 for 南宁市).
    for name in Prefecture.objects.values_list("name", flat=True):
        found += [name, name.removesuffix("市")]
    return sorted((n for n in found if n), key=len, reverse=True)


def without_names(text: str, known: list[str]) -> str:
    for name in known:
        text = text.replace(name, "")
    return text


def test_the_english_edition_of_a_partners_pdf_has_no_chinese_but_names(
    org_a, centre_a, org_b, centre_b, hub_org, director, partner, other, hub_staff, indicators, tmp_path
):
    english_world(org_a, org_b, hub_org)
    support_world(org_a, org_b, centre_a, centre_b, director, partner, other, hub_staff, indicators)
    path = tmp_path / "org-en.pdf"
    write_annual_pdf(job(org_a, language="en"), path, workers=1)
    text = text_of(path)

    assert "The year in numbers" in text and "The hub's support received" in text
    assert "1,200 visits" in text and "120 loans" in text and "30 hours" in text  # units in English
    assert "last year 400" in text and "target 1,000 (120%)" in text
    left = without_names(text, names(org_a, org_b))
    assert not CJK.findall(left), sorted({line.strip() for line in left.splitlines() if CJK.search(line)})


def test_the_english_web_edition_has_no_chinese_but_names(
    org_a, centre_a, org_b, centre_b, hub_org, director, partner, other, hub_staff, indicators, rf
):
    narrative = english_world(org_a, org_b, hub_org)
    support_world(org_a, org_b, centre_a, centre_b, director, partner, other, hub_staff, indicators)
    request = rf.get("/annual/shared/x/")
    request.user = AnonymousUser()
    with override("en"):
        page = render_web(request, narrative).content.decode()
    report = page[page.index('id="annual-report"') : page.index("</main>")]
    words = re.sub(r"<svg.*?</svg>|<[^>]+>", " ", report, flags=re.S)

    assert "1,200" in words and "visits" in words and "Child visits per month" in words
    left = without_names(words, names(org_a, org_b))
    assert not CJK.findall(left), sorted({line.strip() for line in left.splitlines() if CJK.search(line)})


def test_the_regions_english_web_edition_has_no_chinese_but_names(
    client_for, hub_staff, org_a, centre_a, org_b, centre_b, hub_org
):
    from django.urls import reverse

    narrative = english_world(org_a, org_b, hub_org)
    AnnualNarrative.objects.filter(pk=narrative.pk).update(organisation=None, published_at=timezone.now())
    hub_staff.language = "en"
    hub_staff.save()
    page = client_for(hub_staff).get(reverse("reports:annual_web", args=["year", "2024-01"])).content.decode()
    report = page[page.index('id="annual-report"') : page.index("</main>")]
    words = re.sub(r"<svg.*?</svg>|<[^>]+>", " ", report, flags=re.S)

    assert "The year in numbers" in words and "Partner organisations by prefecture" in words
    left = without_names(words, names(org_a, org_b, hub_org))
    assert not CJK.findall(left), sorted({line.strip() for line in left.splitlines() if CJK.search(line)})


def test_a_half_year_reports_cover_says_half_year(client_for, hub_staff, org_a, centre_a, org_b, centre_b):
    from django.urls import reverse

    annual_world.reports(org_a, org_b)
    hub_staff.language = "en"
    hub_staff.save()
    page = (
        client_for(hub_staff)
        .get(reverse("reports:annual_web", args=["half_year", "2024-07"]))
        .content.decode()
    )
    assert 'class="cover-sub">Half-year report<' in page and "The half-year in numbers" in page


def test_the_english_edition_of_the_regions_pdf_has_no_chinese_but_names_and_the_texts(
    org_a, centre_a, org_b, centre_b, hub_org, tmp_path
):
    narrative = english_world(org_a, org_b, hub_org)
    AnnualNarrative.objects.filter(pk=narrative.pk).update(organisation=None)
    path = tmp_path / "region-en.pdf"
    write_annual_pdf(job(language="en"), path, workers=1)
    text = text_of(path)

    assert "Partner organisations by prefecture" in text
    left = without_names(text, names(org_a, org_b, hub_org))
    assert not CJK.findall(left), sorted({line.strip() for line in left.splitlines() if CJK.search(line)})


def test_a_partners_web_edition_runs_the_same_number_of_queries_whatever_its_centres_and_stories(
    world, org_a, make_centre, rf, django_assert_num_queries
):
    request = rf.get("/annual/shared/x/")
    request.user = AnonymousUser()
    render_web(request, world)  # content types and the like, cached from here on
    # gather 15, the narrative's pictures and stories 2, help hours 1, the centres' figures 1, training 1
    with django_assert_num_queries(20):
        render_web(request, world)
    for n in range(3):
        make_centre(org_a, f"新园{n}", datetime.date(YEAR, 2, 1))
        AnnualStory.objects.create(
            narrative=world, title=f"故事{n}", body="。", organisation=org_a, consented_at=timezone.now()
        )
    with django_assert_num_queries(20):
        page = render_web(request, world).content.decode()
    assert page.count("data-centre=") == 4
