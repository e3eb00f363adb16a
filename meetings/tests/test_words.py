"""The meetings pages say the right Chinese word where another catalogue's translation used to win."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.audience import invite_audience
from meetings.choices import Attendance, MeetingKind, MeetingStatus
from meetings.models import ActionItem, HolidayOverride, Invitation, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings_world(org_a, org_b, partner, director, other, hub_staff):
    """An upcoming planned monthly meeting hosted by org A, a held one where the partner was present,
    an open action item, a held supervision of org A and an entered holiday."""
    soon = timezone.now() + datetime.timedelta(days=2)
    upcoming = Meeting.objects.create(
        kind=MeetingKind.MONTHLY_TOPIC,
        title="家长签到",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=2),
        host=org_a,
        place="都安瑶山",
    )
    before = timezone.now() - datetime.timedelta(days=20)
    held = Meeting.objects.create(
        kind=MeetingKind.MONTHLY_TOPIC,
        title="入户家访",
        starts_at=before,
        ends_at=before + datetime.timedelta(hours=2),
        host=org_b,
        status=MeetingStatus.HELD,
    )
    supervision = Meeting.objects.create(
        kind=MeetingKind.SUPERVISION,
        title="都安瑶山 督导",
        starts_at=before,
        ends_at=before + datetime.timedelta(hours=2),
        organisation=org_a,
        status=MeetingStatus.HELD,
    )
    invite_audience([upcoming, held, supervision])
    Invitation.objects.filter(meeting=held, person=partner).update(attendance=Attendance.PRESENT)
    ActionItem.objects.create(
        meeting=supervision,
        what="完善家长签到表",
        owner_organisation=org_a,
        owner_person=director,
        due_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    HolidayOverride.objects.create(date=datetime.date(2027, 1, 1), kind="holiday", name="元旦")
    return {"upcoming": upcoming, "held": held, "supervision": supervision}


def text(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_meeting_pages_use_the_meetings_words(client_for, hub_staff, partner, director, meetings_world):
    staff = client_for(hub_staff)
    upcoming = text(staff, meetings_world["upcoming"].get_absolute_url())
    assert '<span class="badge text-bg-light" id="meeting-status">已计划</span>' in upcoming
    assert ">取消会议</button>" in upcoming and "筹备中" not in upcoming
    held = text(staff, meetings_world["held"].get_absolute_url())
    assert "<td>出席</td>" in held
    assert "出席人数" not in held
    attendance = text(staff, reverse("meetings:attendance", args=[meetings_world["held"].pk]))
    assert '<option value="present"' in attendance and ">出席</option>" in attendance
    holidays = text(staff, reverse("meetings:holidays"))
    assert "<th>名称</th>" in holidays and "任务名" not in holidays

    actions = text(client_for(director), reverse("meetings:action_list"))
    assert "未完成" in actions and "打开" not in actions

    month = timezone.localtime(meetings_world["upcoming"].starts_at).strftime("%Y-%m")
    calendar = text(client_for(partner), reverse("meetings:calendar"), month=month)
    assert ">已受邀</span>" in calendar and "邀请人数" not in calendar

    history = text(
        client_for(director), reverse("meetings:supervision_history", args=[director.organisation_id])
    )
    assert "督导频率：每季度" in history and "quarterly" not in history
