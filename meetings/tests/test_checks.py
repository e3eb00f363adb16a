import pytest
from django.urls import reverse

from meetings import checks as meeting_checks
from meetings.audience import invite_audience
from meetings.choices import Attendance, MeetingKind, MeetingStatus
from meetings.models import Invitation, Minutes
from meetings.views import attendance_rates

pytestmark = pytest.mark.django_db


def test_the_meeting_checks_find_unsupervised_absent_and_unminuted(
    partner, other, org_a, org_b, make_meeting, client_for, hub_staff
):
    make_meeting(MeetingKind.SUPERVISION, days=-20, organisation=org_a, status=MeetingStatus.HELD)
    monthly = []
    for days in (-90, -60, -30):
        meeting = make_meeting(MeetingKind.MONTHLY_TOPIC, days=days, host=org_a, status=MeetingStatus.HELD)
        invite_audience([meeting])
        Invitation.objects.filter(meeting=meeting, person=partner).update(attendance=Attendance.PRESENT)
        Invitation.objects.filter(meeting=meeting, person=other).update(attendance=Attendance.ABSENT)
        monthly.append(meeting)
    Minutes.objects.create(meeting=monthly[0], text="x")
    checks = meeting_checks.checks()
    assert [row.organisation for row in checks["unsupervised"]] == [org_b]
    assert checks["absent"] == [org_b]
    assert (
        set(checks["without_minutes"]) >= {monthly[1], monthly[2]}
        and monthly[0] not in checks["without_minutes"]
    )
    page = client_for(hub_staff).get(reverse("home")).content.decode()
    assert "连续三次缺席月度小议题会议的机构" in page

    rates = {row["organisation"]: row for row in attendance_rates(MeetingKind.MONTHLY_TOPIC)}
    assert rates[str(org_a)]["rate"] == 1.0 and rates[str(org_b)]["rate"] == 0.0
    assert client_for(hub_staff).get(reverse("meetings:attendance_rates")).status_code == 200
