"""A partner teacher or director opens the home page on a phone and sees, first, what is due: this
month's report, every month returned or never handed in (oldest first, with the hub's comment and a
button to fix each), and the meetings waiting for their reply, with the answer buttons."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hubsite import home
from meetings.choices import MeetingKind, MeetingStatus, Rsvp
from meetings.models import Invitation, Meeting
from reports import periods
from reports.choices import ReportStatus
from reports.models import MonthlyReport


def this_month():
    """The month whose report is due now (last month, from the test clock)."""
    return periods.add_months(periods.first_of(timezone.localdate()), -1)


def back(months):
    return periods.add_months(this_month(), -months)


def handed_in(org, month, status=ReportStatus.SUBMITTED, comment=""):
    when = timezone.now() - datetime.timedelta(days=1)
    return MonthlyReport.objects.create(
        organisation=org,
        month=month,
        status=status,
        first_submitted_at=when,
        submitted_at=when,
        hub_comment=comment,
    )


@pytest.fixture
def history(org_a, centre_a):
    """Org A's year: March back handed in except a returned month (3 back), a month never started
    (2 back) and a draft never handed in (5 back)."""
    reports = {}
    for months in range(1, home.MISSING_MONTHS_BACK + 1):
        if months == 3:
            reports[months] = handed_in(
                org_a, back(months), ReportStatus.RETURNED, "请补充本月亮点的具体内容。"
            )
        elif months == 5:
            reports[months] = MonthlyReport.objects.create(organisation=org_a, month=back(months))
        elif months != 2:
            reports[months] = handed_in(org_a, back(months))
    return reports


def invite(person, title, *, days, rsvp=Rsvp.PENDING, status=MeetingStatus.CONFIRMED):
    starts = timezone.now() + datetime.timedelta(days=days)
    meeting = Meeting.objects.create(
        kind=MeetingKind.OTHER,
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="南宁市同心源",
        status=status,
    )
    Invitation.objects.create(meeting=meeting, person=person, organisation=person.organisation, rsvp=rsvp)
    return meeting


def box_of(html):
    start = html.index('id="due-first"')
    return html[start : html.index("</div></div>", start)]


def test_the_due_box_comes_first_with_returned_and_missing_months_oldest_first(
    client_for, partner, history, org_a
):
    html = client_for(partner).get(reverse("home")).content.decode()
    assert html.index('id="due-first"') < html.index("card-body", html.index("page-title"))  # the first box
    box = box_of(html)
    assert "本月月报" in box and f"{this_month():%Y-%m}" in box
    fixes = box[box.index('id="due-fixes"') : box.index('id="due-rsvps"')]
    assert "1份月报被退回修改" in fixes and "2个月未提交" in fixes
    order = [fixes.index(f'data-month="{back(months):%Y-%m}"') for months in (5, 3, 2)]
    assert order == sorted(order)  # oldest first
    assert "请补充本月亮点的具体内容。" in fixes
    assert reverse("reports:edit", args=[history[3].pk]) in fixes
    for months in (5, 2):  # a draft and a month never started: one button opens (or creates) it
        month = back(months)
        assert reverse("reports:start", args=[month.year, month.month]) in fixes
        assert f"填写 {month:%Y-%m} 月报" in fixes
    for months in (1, 4, 6):
        assert f'data-month="{back(months):%Y-%m}"' not in fixes
    # The reports app's own boxes are folded into this one, not shown twice.
    assert html.count("请补充本月亮点的具体内容。") == 1


def test_a_missing_month_is_filled_from_its_button(client_for, partner, history, org_a):
    month = back(2)
    response = client_for(partner).post(reverse("reports:start", args=[month.year, month.month]))
    report = MonthlyReport.objects.get(organisation=org_a, month=month)
    assert response["Location"] == reverse("reports:edit", args=[report.pk])


def test_meetings_waiting_for_a_reply_are_listed_soonest_first_with_the_answer_buttons(
    client_for, partner, director, history
):
    later = invite(partner, "半年全区会议", days=20)
    sooner = invite(partner, "月度小议题会议", days=3)
    invite(partner, "已回复的会议", days=5, rsvp=Rsvp.ACCEPTED)
    invite(partner, "已取消的会议", days=6, status=MeetingStatus.CANCELLED)
    invite(director, "负责人季度会议", days=4)
    client = client_for(partner)
    box = box_of(client.get(reverse("home")).content.decode())
    rsvps = box[box.index('id="due-rsvps"') :]
    assert rsvps.index("月度小议题会议") < rsvps.index("半年全区会议")
    for title in ("已回复的会议", "已取消的会议", "负责人季度会议"):
        assert title not in rsvps
    assert (
        reverse("meetings:rsvp", args=[sooner.pk]) in rsvps and "我会参加" in rsvps and "我不能参加" in rsvps
    )
    client.post(reverse("meetings:rsvp", args=[sooner.pk]), {"rsvp": "accepted"})
    rsvps = box_of(client.get(reverse("home")).content.decode())
    assert "月度小议题会议" not in rsvps and reverse("meetings:rsvp", args=[later.pk]) in rsvps


def test_nothing_due_says_so_and_another_organisation_sees_none_of_it(
    client_for, other, partner, org_a, centre_a
):
    for months in range(0, home.MISSING_MONTHS_BACK + 1):
        handed_in(org_a, back(months))
    box = box_of(client_for(partner).get(reverse("home")).content.decode())
    assert "所有月份都已提交。" in box and "没有等待您回复的会议邀请。" in box
    MonthlyReport.objects.filter(organisation=org_a, month=back(3)).update(
        status=ReportStatus.RETURNED, hub_comment="机构A的退回意见"
    )
    html = client_for(other).get(reverse("home")).content.decode()
    assert "机构A的退回意见" not in html
    assert "本月贵机构无需提交月报。" in box_of(html)  # org B has no centre


def test_the_hub_keeps_its_own_boxes(client_for, hub_staff):
    assert 'id="due-first"' not in client_for(hub_staff).get(reverse("home")).content.decode()


def test_missing_months_and_replies_cost_one_query_each_whatever_the_data(
    partner, history, org_a, django_assert_num_queries
):
    for days in range(1, 8):
        invite(partner, f"会议{days}", days=days)
    with django_assert_num_queries(1):
        assert home.missing_months(org_a.pk, this_month()) == [back(5), back(2)]
    with django_assert_num_queries(1):
        assert len(home.awaiting_reply(partner)) == home.RSVPS_SHOWN
