"""Details of issue 14's meetings sweep: where a meeting is, who is invited, what the pages offer."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import actions
from meetings import checks as meeting_checks
from meetings.audience import invite_audience
from meetings.choices import Attendance, MeetingKind, MeetingStatus
from meetings.ics import calendar_bytes
from meetings.models import ActionItem, Invitation, Meeting, PlanDraft, render_markdown

pytestmark = pytest.mark.django_db
WED = 2


def test_minutes_render_markdown_tables_as_a_table_that_scrolls_on_a_phone():
    html = render_markdown("| 机构 | 到场 |\n|---|---|\n| 都安瑶山 | 12 |\n")
    assert '<div class="table-responsive"><table class="table table-sm table-bordered">' in html
    assert "<th>机构</th>" in html and "<td>都安瑶山</td>" in html


def test_images_from_other_sites_leave_only_their_description_and_the_sites_own_stay():
    html = render_markdown(
        '![活动合影](https://example.com/photo.jpg)\n\n<img src="//cdn.example.com/t.gif" alt="追踪">\n\n'
        "![签到表](/media/attachments/sign-in.png)"
    )
    assert "example.com" not in html
    assert "活动合影" in html and "追踪" in html
    assert html.count("<img") == 1 and 'src="/media/attachments/sign-in.png"' in html


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (MeetingStatus.PLANNED, "TENTATIVE"),
        (MeetingStatus.CONFIRMED, "CONFIRMED"),
        (MeetingStatus.HELD, "CONFIRMED"),
        (MeetingStatus.CANCELLED, "CANCELLED"),
    ],
)
def test_the_ics_status_follows_the_meeting(make_meeting, status, expected):
    meeting = make_meeting(status=status, cancel_reason="台风" if status == MeetingStatus.CANCELLED else "")
    assert f"STATUS:{expected}" in calendar_bytes([meeting], "x").decode()


def test_the_reply_box_disappears_once_the_meeting_is_held(client_for, partner, make_meeting, time_machine):
    meeting = make_meeting(days=3)
    Invitation.objects.create(meeting=meeting, person=partner, organisation=partner.organisation)
    client = client_for(partner)
    url = meeting.get_absolute_url()
    assert 'name="rsvp"' in client.get(url).content.decode()
    time_machine.move_to(meeting.ends_at)
    meeting.mark_held()
    page = client.get(url).content.decode()
    assert 'name="rsvp"' not in page
    assert 'id="my-rsvp"' in page  # the reply given stays visible


def test_the_feed_page_offers_a_webcal_link_and_a_qr_code(client_for, partner):
    token = actions.do_issue_feed_token(partner)
    page = client_for(partner).get(reverse("meetings:feed_settings")).content.decode()
    webcal = f"webcal://testserver/meetings/feed/{token.token}.ics"
    assert f'href="{webcal}"' in page
    qr = re.search(r'<div class="feed-qr[^"]*" id="feed-qr"[^>]*><svg [^>]*>.*?</svg>', page, re.S)
    assert qr and "<path" in qr.group(0)


def test_the_hosts_director_is_invited_to_its_monthly_topic_meeting_only(
    make_meeting, director, partner, other, org_a, org_b, make_user
):
    director_b = make_user("director-b@example.org", "director", org_b)
    hosted_by_a = make_meeting(MeetingKind.MONTHLY_TOPIC, host=org_a)
    invite_audience([hosted_by_a])
    invited = set(hosted_by_a.invitations.values_list("person__email", flat=True))
    assert invited == {director.email, partner.email, other.email}
    assert director_b.email not in invited


def test_a_director_who_joins_the_host_later_is_invited_to_its_monthly_meeting(
    make_meeting, org_a, make_user
):
    meeting = make_meeting(MeetingKind.MONTHLY_TOPIC, host=org_a)
    newcomer = make_user("new-director@example.org", "director", org_a)
    assert Invitation.objects.filter(meeting=meeting, person=newcomer).exists()


def test_the_host_is_not_listed_absent_in_the_month_it_hosts(org_a, org_b, partner, other, hub_staff):
    tz = timezone.get_current_timezone()
    now = datetime.datetime(2030, 5, 15, 12, tzinfo=tz)

    def monthly(month, host, status):
        start = datetime.datetime(2030, month, 8, 14, 30, tzinfo=tz)
        return Meeting.objects.create(
            kind=MeetingKind.MONTHLY_TOPIC,
            title=f"{month}月",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            host=host,
            status=status,
        )

    held = [monthly(month, org_a, MeetingStatus.HELD) for month in (2, 3, 4)]
    invite_audience(held)
    Invitation.objects.filter(meeting__in=held, person=partner).update(attendance=Attendance.PRESENT)
    assert meeting_checks.absent_from_monthly(now)[1] == [org_b]
    monthly(5, org_b, MeetingStatus.PLANNED)  # org_b hosts May's meeting
    assert meeting_checks.absent_from_monthly(now)[1] == []


def test_the_action_item_owner_list_carries_each_persons_organisation(
    client_for, hub_staff, director, other, org_a, org_b, make_meeting
):
    meeting = make_meeting(MeetingKind.MONTHLY_TOPIC, host=org_a)
    page = client_for(hub_staff).get(reverse("meetings:action_create", args=[meeting.pk])).content.decode()
    data = re.search(r'<script id="owner-people" type="application/json">(.*?)</script>', page).group(1)
    assert f'"{director.pk}": {org_a.pk}' in data and f'"{other.pk}": {org_b.pk}' in data
    assert "meetings/owner_filter.js" in page


def test_an_owner_from_another_organisation_is_refused_beside_the_field(
    client_for, hub_staff, other, org_a, make_meeting
):
    meeting = make_meeting(MeetingKind.MONTHLY_TOPIC, host=org_a)
    response = client_for(hub_staff).post(
        reverse("meetings:action_create", args=[meeting.pk]),
        {
            "what": "整理签到表",
            "owner_organisation": org_a.pk,
            "owner_person": other.pk,
            "due_on": "2030-01-10",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["owner_person"] == ["负责人必须属于负责机构。"]
    assert not ActionItem.objects.exists()


def test_the_swap_forms_two_sides_start_on_different_months(client_for, hub_staff, org_a, org_b):
    draft = actions.do_create_plan(year=2027, weekday=WED, week_of_month=2, by=hub_staff)
    form = client_for(hub_staff).get(draft.get_absolute_url()).context["swap_form"]
    assert form["first"].value() == "monthly_topic-1"
    assert form["second"].value() == "monthly_topic-2"


def test_planning_a_year_again_replaces_its_draft(hub_staff, org_a, org_b):
    first = actions.do_create_plan(year=2027, weekday=WED, week_of_month=2, by=hub_staff)
    again = actions.do_create_plan(year=2027, weekday=WED - 1, week_of_month=3, by=hub_staff)
    assert again.pk == first.pk and again.version == first.version + 1
    assert list(PlanDraft.objects.values_list("year", "weekday", "week_of_month")) == [(2027, 1, 3)]


def test_a_confirmed_plan_is_kept_when_the_year_is_planned_again(hub_staff, org_a, org_b):
    confirmed = actions.do_create_plan(year=2027, weekday=WED, week_of_month=2, by=hub_staff)
    actions.do_confirm_plan(confirmed, by=hub_staff, expected_version=confirmed.version)
    again = actions.do_create_plan(year=2027, weekday=WED, week_of_month=2, by=hub_staff)
    assert again.pk != confirmed.pk and PlanDraft.objects.count() == 2


def test_a_refused_swap_shows_its_reason_beside_the_month(client_for, hub_staff, org_a, make_partner_org):
    newcomer = make_partner_org(
        "新伙伴", joined=datetime.date(2027, 6, 1), status_changed_on=datetime.date(2027, 6, 1)
    )
    draft = actions.do_create_plan(year=2027, weekday=WED, week_of_month=2, by=hub_staff)
    june = next(i for i in draft.items if i["key"] == "monthly_topic-6")
    june["host"] = newcomer.pk
    draft.save()
    response = client_for(hub_staff).post(
        reverse("meetings:plan_adjust", args=[draft.pk]),
        {"op": "swap", "first": "monthly_topic-1", "second": "monthly_topic-6", "version": draft.version},
    )
    assert response.status_code == 400
    assert response.context["swap_form"].errors["first"] == [
        "新伙伴在2027-01不是合作中的伙伴机构（见其状态历史）。"
    ]
    assert "新伙伴在2027-01不是合作中的伙伴机构" in response.content.decode()


def test_a_refused_skip_shows_its_reason_beside_the_month(client_for, hub_staff, org_a, make_partner_org):
    newcomer = make_partner_org(
        "新伙伴", joined=datetime.date(2027, 6, 1), status_changed_on=datetime.date(2027, 6, 1)
    )
    draft = actions.do_create_plan(year=2027, weekday=WED, week_of_month=2, by=hub_staff)
    response = client_for(hub_staff).post(
        reverse("meetings:plan_adjust", args=[draft.pk]),
        {"op": "skip", "organisation": newcomer.pk, "month": 2, "reason": "筹备", "version": draft.version},
    )
    assert response.status_code == 400
    assert response.context["skip_form"].errors["month"] == [
        "新伙伴在2027-02不是合作中的伙伴机构（见其状态历史）。"
    ]


def test_a_plan_whose_host_paused_later_still_confirms_its_earlier_meetings(hub_staff, org_a, org_b):
    draft = actions.do_create_plan(year=2027, weekday=WED, week_of_month=2, by=hub_staff)
    january_host = next(i["host"] for i in draft.items if i["key"] == "monthly_topic-1")
    host = org_a if january_host == org_a.pk else org_b
    host.change_status("paused", by=hub_staff, on=datetime.date(2027, 12, 31))
    for item in draft.items:  # the paused host keeps only the months before its pause
        if item["host"] == host.pk and item["date"] >= "2027-12-31":
            item["host"] = (org_b if host == org_a else org_a).pk
    draft.save()
    created = actions.do_confirm_plan(draft, by=hub_staff, expected_version=draft.version)
    assert Meeting.objects.get(kind=MeetingKind.MONTHLY_TOPIC, year=2027, sequence=1).host == host
    assert len(created) == len(draft.items)


def test_confirmed_plan_meetings_take_place_at_the_host_or_the_hub(hub_staff, hub_org, org_a, org_b):
    hub_org.address = "南宁市青秀区民族大道100号"
    hub_org.save()
    for org, address in ((org_a, "都安县安阳镇"), (org_b, "桂林市七星区")):
        org.address = address
        org.save()
    draft = actions.do_create_plan(year=2027, weekday=WED, week_of_month=2, by=hub_staff)
    actions.do_confirm_plan(draft, by=hub_staff, expected_version=draft.version)
    for meeting in Meeting.objects.filter(kind=MeetingKind.MONTHLY_TOPIC).select_related("host"):
        assert meeting.place == meeting.host.address
    quarterly = Meeting.objects.filter(kind=MeetingKind.QUARTERLY_DIRECTORS)
    assert set(quarterly.values_list("place", flat=True)) == {"南宁市青秀区民族大道100号"}
