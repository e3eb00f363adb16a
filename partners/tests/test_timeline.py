"""The support timeline: every app's contribution, newest first, one query per source."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.choices import Attendance, MeetingKind, MeetingStatus
from meetings.models import Invitation, Meeting, SupervisionDiagnosis
from mutualaid.models import CoachingSession
from partners.choices import DevelopmentStage, OrganisationStatus
from partners.hooks import timeline_sources
from partners.models import Award, SupportCycle
from reports.choices import EventAction, ReportStatus
from reports.models import MonthlyReport, ReportEvent

NOW = datetime.datetime.fromisoformat("2026-09-20T15:00:00+08:00")


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def at(day: datetime.date, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def url(organisation, year=None):
    base = reverse("partners:organisation_timeline", args=[organisation.pk])
    return f"{base}?year={year}" if year else base


def supervision(organisation, day, person, diagnosis=""):
    meeting = Meeting.objects.create(
        kind=MeetingKind.SUPERVISION,
        title=f"{organisation} 督导 {day:%m-%d}",
        organisation=organisation,
        starts_at=at(day),
        ends_at=at(day, 12),
        status=MeetingStatus.HELD,
    )
    if diagnosis:
        SupervisionDiagnosis.objects.create(meeting=meeting, teaching=diagnosis, recorded_by=person)
    return meeting


def attended(person, day, title):
    meeting = Meeting.objects.create(
        kind=MeetingKind.MONTHLY_TOPIC,
        title=title,
        starts_at=at(day),
        ends_at=at(day, 12),
        status=MeetingStatus.HELD,
    )
    Invitation.objects.create(
        meeting=meeting, person=person, organisation=person.organisation, attendance=Attendance.PRESENT
    )
    return meeting


def returned_report(organisation, month, comment):
    report = MonthlyReport.objects.create(
        organisation=organisation, month=month, status=ReportStatus.RETURNED
    )
    ReportEvent.objects.create(
        report=report,
        action=EventAction.RETURNED,
        from_status=ReportStatus.SUBMITTED,
        to_status=ReportStatus.RETURNED,
        at=at(month + datetime.timedelta(days=40)),
        comment=comment,
    )


def history(organisation, person, count, day):
    """``count`` events of every kind the test builds, the first on ``day``, a week apart."""
    for number in range(count):
        when = day + datetime.timedelta(days=7 * number)
        supervision(organisation, when, person, diagnosis=f"绘本阅读需要加强 {number}")
        attended(person, when, f"月度主题会 {number}")
        returned_report(organisation, datetime.date(2026, 1 + number, 1), f"入户人数有误 {number}")
        CoachingSession.objects.create(
            organisation=organisation, held_on=when, coach="韦老师", topic=f"财务陪伴 {number}"
        )
        Award.objects.create(
            organisation=organisation, issuer="活力未来", year=2026, title=f"优秀伙伴 {number}"
        )
        organisation.change_stage(DevelopmentStage.GROWING, by=None, reason=f"理由 {number}", on=when)
        SupportCycle.objects.create(
            organisation=organisation, starts_on=when, ends_on=when + datetime.timedelta(days=365)
        )


def test_the_timeline_joins_every_apps_events_newest_first(
    client_for, partner, director, org_a, org_b, other
):
    history(org_a, director, 1, datetime.date(2026, 3, 2))
    org_a.change_status(OrganisationStatus.PAUSED, by=None, reason="暂停半年", on=datetime.date(2026, 8, 1))
    history(org_b, other, 1, datetime.date(2026, 3, 2))
    response = client_for(partner).get(url(org_a))
    events = response.context["events"]
    assert [event["date"] for event in events] == sorted((event["date"] for event in events), reverse=True)
    categories = {str(event["category"]) for event in events}
    # supervision, meeting attended, report, coaching, award, stage, cycle, status
    assert len(categories) == 8
    page = response.content.decode()
    for text in (
        "绘本阅读需要加强 0",
        "月度主题会 0",
        "入户人数有误 0",
        "财务陪伴 0",
        "优秀伙伴 0",
        "理由 0",
        "暂停半年",
    ):
        assert text in page
    assert str(org_b) + " 督导" not in page


def test_the_timeline_shows_one_year_a_page(client_for, hub_staff, director, org_a):
    supervision(org_a, datetime.date(2025, 11, 5), director, diagnosis="去年的诊断")
    supervision(org_a, datetime.date(2026, 2, 5), director, diagnosis="今年的诊断")
    client = client_for(hub_staff)
    this_year = client.get(url(org_a)).content.decode()
    assert "今年的诊断" in this_year and "去年的诊断" not in this_year and "?year=2025" in this_year
    last_year = client.get(url(org_a, 2025)).content.decode()
    assert "去年的诊断" in last_year and "今年的诊断" not in last_year


def test_an_unregistered_source_simply_contributes_nothing(client_for, director, org_a):
    supervision(org_a, datetime.date(2026, 2, 5), director, diagnosis="今年的诊断")
    with timeline_sources.replaced():
        response = client_for(director).get(url(org_a))
    assert response.context["events"] == []


@pytest.mark.parametrize("count", [1, 5])
def test_the_timeline_costs_one_query_per_source_whatever_the_history(
    count, client_for, hub_staff, director, org_a, django_assert_num_queries
):
    history(org_a, director, count, datetime.date(2026, 2, 2))
    client = client_for(hub_staff)
    sources = len(timeline_sources.providers)
    # session, user, the organisation, stage history, cycles, needs assessments; one query per source
    with django_assert_num_queries(6 + sources):
        response = client.get(url(org_a))
    titles = {event["title"] for event in response.context["events"]}
    assert {f"财务陪伴 {count - 1}", f"月度主题会 {count - 1}", f"优秀伙伴 {count - 1}"} <= titles
    assert len(response.context["events"]) >= 7 * count


def test_the_growth_file_shows_its_own_people_stages_cycles_needs_and_support(
    client_for, director, other, org_a, hub_staff
):
    org_a.change_stage(
        DevelopmentStage.GROWING, by=hub_staff, reason="运营稳定", on=datetime.date(2026, 9, 1)
    )
    SupportCycle.objects.create(
        organisation=org_a, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31)
    )
    supervision(org_a, datetime.date(2026, 9, 10), director, diagnosis="家长课堂可以更多")
    client = client_for(director)
    profile = client.get(org_a.get_absolute_url()).content.decode()
    assert url(org_a) in profile
    page = client.get(url(org_a)).content.decode()
    assert "运营稳定" in page and "家长课堂可以更多" in page and "2026-01-01 – 2026-12-31" in page
    assert reverse("partners:needs_fill", args=[2026]) in page
    assert url(org_a) not in client_for(other).get(org_a.get_absolute_url()).content.decode()
