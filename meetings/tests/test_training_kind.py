"""Training sessions are meetings of their own kind: the cadence (planner, rotation, the "absent three
times" check, minutes chasing) ignores them, and the role-based audience never touches their
invitations (the training app invites the module's learners)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hubsite.core.models import Notification
from meetings import checks as meeting_checks
from meetings import planner, reminders
from meetings.audience import invite_audience
from meetings.choices import Attendance, MeetingKind, MeetingStatus
from meetings.models import Invitation

pytestmark = pytest.mark.django_db

WED = 2


@pytest.fixture
def held_session(make_meeting, partner, other):
    """A training session held 10 days ago without minutes; both partner people were present."""

    def make(days=-10, title="家长引导师 第1讲"):
        session = make_meeting(
            MeetingKind.TRAINING_SESSION, days=days, title=title, status=MeetingStatus.HELD, place="同心源"
        )
        for person in (partner, other):
            Invitation.objects.create(
                meeting=session,
                person=person,
                organisation=person.organisation,
                is_manual=True,
                attendance=Attendance.PRESENT,
            )
        return session

    return make


def test_the_planner_proposes_the_same_year_whatever_training_sessions_it_holds(
    make_partner_org, hub_org, make_meeting
):
    make_partner_org("甲机构")
    make_partner_org("乙机构")
    before = planner.build_proposal(2027, WED, 2).items
    start = timezone.make_aware(datetime.datetime(2027, 3, 10, 14, 30))
    for weeks in range(3):
        make_meeting(
            MeetingKind.TRAINING_SESSION,
            days=(start - timezone.now()).days + 7 * weeks,
            title=f"培训课{weeks}",
        )
    after = planner.build_proposal(2027, WED, 2).items
    assert after == before
    assert not any(item["existing"] for item in after)
    assert {item["kind"] for item in after} == {
        MeetingKind.MONTHLY_TOPIC,
        MeetingKind.QUARTERLY_DIRECTORS,
        MeetingKind.HALF_YEAR_REGIONAL,
        MeetingKind.SUPERVISION,
    }


def test_the_absent_three_times_check_reads_monthly_meetings_only(
    make_meeting, held_session, partner, other, org_a, org_b
):
    monthly = []
    for days in (-90, -60, -30):
        meeting = make_meeting(MeetingKind.MONTHLY_TOPIC, days=days, host=org_a, status=MeetingStatus.HELD)
        invite_audience([meeting])
        Invitation.objects.filter(meeting=meeting, person=partner).update(attendance=Attendance.PRESENT)
        Invitation.objects.filter(meeting=meeting, person=other).update(attendance=Attendance.ABSENT)
        monthly.append(meeting)
    # Held after the monthly meetings, with org B present: neither in the window nor an excuse.
    held_session(days=-20)
    held_session(days=-10, title="家长引导师 第2讲")
    last, absent = meeting_checks.absent_from_monthly()
    assert last == monthly[::-1]
    assert absent == [org_b]


def test_held_training_sessions_are_never_listed_or_chased_for_minutes(
    make_meeting, held_session, hub_staff, client_for
):
    session = held_session()
    event = make_meeting(MeetingKind.OTHER, days=-10, title="伙伴交流会", status=MeetingStatus.HELD)
    assert list(meeting_checks.without_minutes()) == [event]
    reminders.sweep(timezone.now())
    chased = Notification.objects.filter(kind="meetings.minutes_overdue").values_list("object_key", flat=True)
    assert set(chased) == {f"meetings.meeting:{event.pk}"}
    home = client_for(hub_staff).get(reverse("home")).content.decode()
    assert "伙伴交流会" in home and session.title not in home


def test_the_role_based_audience_never_adds_or_removes_training_session_invitees(
    make_meeting, partner, director, hub_staff
):
    session = make_meeting(MeetingKind.TRAINING_SESSION, days=5, place="同心源")
    Invitation.objects.create(
        meeting=session, person=partner, organisation=partner.organisation, is_manual=True
    )
    assert invite_audience([session]) == 0
    # Saving a person re-checks their invitations to meetings to come (meetings.audience.sync_person).
    partner.full_name = "蓝老师（改名）"
    partner.save()
    director.save()
    assert list(session.invitations.values_list("person", flat=True)) == [partner.pk]
