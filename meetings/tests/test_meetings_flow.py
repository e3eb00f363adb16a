import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from hubsite.core.forms import STALE_MESSAGE
from meetings import actions
from meetings.audience import invite_audience
from meetings.choices import ActionStatus, Attendance, MeetingKind, Rsvp
from meetings.models import ActionItem, CalendarFeedToken, Invitation, Meeting, Minutes

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _form(kind, start, end, **extra):
    return {
        "kind": kind,
        "title": "测试会议",
        "starts_at": start,
        "ends_at": end,
        "place": "南宁市同心源会议室",
        **extra,
    }


def test_a_meeting_that_ends_before_it_starts_is_refused_in_chinese(client_for, hub_staff):
    client = client_for(hub_staff)
    response = client.post(
        reverse("meetings:meeting_create"), _form("other", "2027-03-10T14:00", "2027-03-10T13:00"), **ZH
    )
    assert response.status_code == 400
    assert "会议的结束时间必须晚于开始时间" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_a_supervision_without_an_organisation_is_refused(client_for, hub_staff):
    response = client_for(hub_staff).post(
        reverse("meetings:meeting_create"), _form("supervision", "2027-03-10T09:00", "2027-03-10T11:00"), **ZH
    )
    assert response.status_code == 400
    assert "督导需要选择被督导的机构" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_a_host_that_is_not_an_active_partner_on_the_meetings_day_is_refused(client_for, hub_staff, org_b):
    org_b.change_status("paused", by=hub_staff, on=datetime.date(2027, 1, 1))
    response = client_for(hub_staff).post(
        reverse("meetings:meeting_create"),
        _form("monthly_topic", "2027-03-10T14:00", "2027-03-10T16:00", host=org_b.pk),
        **ZH,
    )
    assert response.status_code == 400
    assert response.context["form"].errors["host"] == [
        f"{org_b}在2027-03-10不是合作中的伙伴机构（见其状态历史）。"
    ]
    assert Meeting.objects.count() == 0


def test_a_host_that_paused_since_still_hosts_the_meetings_before_its_pause(client_for, hub_staff, org_b):
    org_b.change_status("paused", by=hub_staff, on=datetime.date(2027, 6, 1))
    response = client_for(hub_staff).post(
        reverse("meetings:meeting_create"),
        _form("monthly_topic", "2027-03-10T14:00", "2027-03-10T16:00", host=org_b.pk),
    )
    assert response.status_code == 302
    assert Meeting.objects.get().host == org_b


def test_the_host_list_offers_partners_only(client_for, hub_staff, org_a, org_b, hub_org, make_partner_org):
    prospect = make_partner_org("意向机构", status="prospect", joined=None)
    response = client_for(hub_staff).get(reverse("meetings:meeting_create"))
    offered = {str(org) for org in response.context["form"].fields["host"].queryset}
    assert offered == {str(org_a), str(org_b)}
    assert str(prospect) not in offered and str(hub_org) not in offered


def test_a_planned_meeting_needs_a_place_or_an_online_link(client_for, hub_staff):
    client = client_for(hub_staff)
    nowhere = _form("other", "2027-03-10T14:00", "2027-03-10T16:00", place="")
    response = client.post(reverse("meetings:meeting_create"), nowhere, **ZH)
    assert response.status_code == 400
    assert response.context["form"].errors["place"] == ["请填写会议地点或线上会议链接（或两者都填）。"]
    assert Meeting.objects.count() == 0
    online = {**nowhere, "online_link": "https://meeting.tencent.com/dm/abc"}
    assert client.post(reverse("meetings:meeting_create"), online).status_code == 302


def test_a_new_supervision_invites_the_team_and_hub_staff(
    client_for, hub_staff, director, partner, other, org_a
):
    response = client_for(hub_staff).post(
        reverse("meetings:meeting_create"),
        _form("supervision", "2027-03-10T09:00", "2027-03-10T11:00", organisation=org_a.pk),
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert set(meeting.invitations.values_list("person__email", flat=True)) == {
        "staff@example.org",
        "director@example.org",
        "partner@example.org",
    }


def test_rsvp_after_the_meeting_started_is_refused_and_nothing_changes(client_for, partner, make_meeting):
    meeting = make_meeting(MeetingKind.MONTHLY_TOPIC, days=-1)
    invite_audience([meeting])
    client = client_for(partner)
    response = client.post(
        reverse("meetings:rsvp", args=[meeting.pk]), {"rsvp": "accepted"}, follow=True, **ZH
    )
    assert "会议已经开始，不能再回复" in response.content.decode()
    assert Invitation.objects.get(meeting=meeting, person=partner).rsvp == Rsvp.PENDING


def test_the_invitee_replies_before_the_meeting(client_for, partner, make_meeting):
    meeting = make_meeting(MeetingKind.MONTHLY_TOPIC, days=3)
    invite_audience([meeting])
    client_for(partner).post(reverse("meetings:rsvp", args=[meeting.pk]), {"rsvp": "declined"})
    assert Invitation.objects.get(meeting=meeting, person=partner).rsvp == Rsvp.DECLINED


def test_invitations_follow_people_who_join_and_leave_before_the_meeting(
    make_user, org_a, org_b, make_meeting
):
    future = make_meeting(MeetingKind.MONTHLY_TOPIC, days=10)
    past = make_meeting(MeetingKind.MONTHLY_TOPIC, days=-10)
    newcomer = make_user("new@example.org", "partner_staff", org_a)
    assert newcomer.invitations.filter(meeting=future).exists()
    assert not newcomer.invitations.filter(meeting=past).exists()
    newcomer.role = "director"
    newcomer.save()
    assert not newcomer.invitations.filter(meeting=future).exists()
    newcomer.role = "partner_staff"
    newcomer.save()
    Invitation.objects.create(
        meeting=past, person=newcomer, organisation=org_a, attendance=Attendance.PRESENT
    )
    newcomer.is_active = False
    newcomer.save()
    assert list(newcomer.invitations.values_list("meeting", flat=True)) == [past.pk]


def test_pausing_an_organisation_withdraws_its_people_from_coming_meetings(
    partner, hub_staff, org_a, make_meeting
):
    future = make_meeting(MeetingKind.MONTHLY_TOPIC, days=10)
    invite_audience([future])
    assert partner.invitations.filter(meeting=future).exists()
    org_a.change_status("paused", by=hub_staff, reason="换届")
    assert not partner.invitations.filter(meeting=future).exists()


def test_the_host_proposes_the_topic_and_another_partner_cannot(
    client_for, partner, other, org_a, make_meeting
):
    meeting = make_meeting(MeetingKind.MONTHLY_TOPIC, days=20, host=org_a)
    data = {"title": "签到表怎么简化", "problem": "太繁琐", "why_it_matters": "老师累"}
    assert client_for(other).post(reverse("meetings:topic", args=[meeting.pk]), data).status_code == 403
    response = client_for(partner).post(reverse("meetings:topic", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.topic == "签到表怎么简化"
    assert meeting.topic_proposal.deadline == timezone.localtime(
        meeting.starts_at
    ).date() - datetime.timedelta(days=10)


def test_attendance_minutes_and_an_action_item_the_owner_closes(
    client_for, hub_staff, director, partner, other, org_a, make_meeting
):
    meeting = make_meeting(MeetingKind.MONTHLY_TOPIC, days=-1, host=org_a)
    invite_audience([meeting])
    hub = client_for(hub_staff)
    invitations = {i.person_id: i for i in meeting.invitations.all()}
    data = {f"inv_{invitations[partner.pk].pk}": "present", f"inv_{invitations[other.pk].pk}": "absent"}
    assert hub.post(reverse("meetings:attendance", args=[meeting.pk]), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held"
    hub.post(
        reverse("meetings:minutes", args=[meeting.pk]),
        {"text": "- 第一点\n- 第二点\n\n<script>alert(1)</script>", "decisions": "- 试行"},
    )
    assert Minutes.objects.get(meeting=meeting).text.startswith("- 第一点")
    page = client_for(partner).get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "<li>第一点</li>" in page and "<script>alert(1)" not in page
    hub = client_for(hub_staff)
    response = hub.post(
        reverse("meetings:action_create", args=[meeting.pk]),
        {
            "what": "分享签到表模板",
            "owner_organisation": org_a.pk,
            "owner_person": director.pk,
            "due_on": "2027-01-10",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    item = ActionItem.objects.get()
    # other (org B) does not see it: 404
    response = client_for(other).post(
        reverse("meetings:action_update", args=[item.pk]),
        {"status": "done", "version": item.version},
    )
    assert response.status_code == 404
    home = client_for(director).get(reverse("home")).content.decode()
    assert "分享签到表模板" in home
    client_for(director).post(
        reverse("meetings:action_update", args=[item.pk]),
        {"status": "done", "version": item.version},
    )
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE and item.closed_at
    assert "分享签到表模板" not in client_for(director).get(reverse("home")).content.decode()


def test_a_stale_action_item_update_is_not_applied(client_for, director, hub_staff, org_a, make_meeting):
    meeting = make_meeting(MeetingKind.MONTHLY_TOPIC, days=-1, host=org_a)
    item = ActionItem.objects.create(meeting=meeting, what="x", owner_organisation=org_a, due_on="2027-01-01")
    client_for(hub_staff).post(
        reverse("meetings:action_update", args=[item.pk]), {"status": "done", "version": 1}
    )
    client_for(director).post(
        reverse("meetings:action_update", args=[item.pk]),
        {"status": "dropped", "note": "不做了", "version": 1},
    )
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE


def test_the_feed_gives_only_its_owners_meetings_and_dies_when_revoked(
    client, partner, other, make_meeting, org_a
):
    mine = make_meeting(MeetingKind.SUPERVISION, days=3, organisation=org_a, title="甲督导")
    network = make_meeting(MeetingKind.MONTHLY_TOPIC, days=4, title="月度会")
    invite_audience([mine, network])
    Invitation.objects.filter(person=partner, meeting=network).delete()
    token = actions.do_issue_feed_token(partner)
    body = client.get(reverse("meetings:feed", args=[token.token])).content.decode()
    assert "甲督导" in body and "月度会" not in body and "BEGIN:VCALENDAR" in body
    other_token = actions.do_issue_feed_token(other)
    assert "甲督导" not in client.get(reverse("meetings:feed", args=[other_token.token])).content.decode()
    actions.do_revoke_feed_tokens(partner)
    assert client.get(reverse("meetings:feed", args=[token.token])).status_code == 404
    new = actions.do_issue_feed_token(partner)
    assert CalendarFeedToken.objects.active().filter(person=partner).get() == new


def test_a_meeting_downloads_as_ics(client_for, partner, make_meeting):
    meeting = make_meeting(MeetingKind.MONTHLY_TOPIC, days=3, title="下载测试")
    response = client_for(partner).get(reverse("meetings:meeting_ics", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:下载测试" in response.content.decode()


def test_a_partner_sees_another_organisations_supervision_as_404_and_network_titles_only(
    client_for, other, org_a, make_meeting
):
    sup = make_meeting(MeetingKind.SUPERVISION, days=3, organisation=org_a, agenda="内部议程")
    network = make_meeting(MeetingKind.QUARTERLY_DIRECTORS, days=3, title="季度会", agenda="季度议程")
    client = client_for(other)
    assert client.get(reverse("meetings:meeting_detail", args=[sup.pk])).status_code == 404
    page = client.get(reverse("meetings:meeting_detail", args=[network.pk])).content.decode()
    assert "季度会" in page and "季度议程" not in page
    calendar = client.get(reverse("meetings:calendar") + f"?month={timezone.localdate(sup.starts_at):%Y-%m}")
    assert "季度会" in calendar.content.decode() and sup.title not in calendar.content.decode()


def test_minutes_saved_over_someone_elses_answer_409_and_keep_theirs(client_for, hub_staff, make_meeting):
    meeting = make_meeting(MeetingKind.OTHER, days=-1)
    hub = client_for(hub_staff)
    url = reverse("meetings:minutes", args=[meeting.pk])
    assert hub.post(url, {"text": "第一版"}).status_code == 302
    assert hub.post(url, {"text": "第二版", "version": 1}).status_code == 302
    response = hub.post(url, {"text": "晚到的一版", "version": 1}, **ZH)
    assert response.status_code == 409
    with translation.override("zh-hans"):
        assert escape(str(STALE_MESSAGE)) in response.content.decode()
    assert Minutes.objects.get(meeting=meeting).text == "第二版"
