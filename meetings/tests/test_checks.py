import datetime

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


def test_the_home_box_shows_the_first_overdue_partners_with_their_count_and_a_link_to_them_all(
    make_partner_org, client_for, hub_staff
):
    from meetings.home import CHECKS_SHOWN

    # Joined long ago and never supervised: every one is overdue.
    orgs = [make_partner_org(name=f"伙伴{n:02d}") for n in range(CHECKS_SHOWN + 3)]
    page = client_for(hub_staff).get(reverse("home")).content.decode()
    box = page.split('id="checks-unsupervised"')[1].split("</ul>")[0]
    assert box.count("<li>") == CHECKS_SHOWN
    assert reverse("meetings:supervision_history", args=[orgs[0].pk]) in box
    assert reverse("meetings:supervision_history", args=[orgs[-1].pk]) not in box
    assert f'id="checks-unsupervised-count">{len(orgs)}</span>' in page
    more = page.split('class="small mb-0 mt-1 checks-more">')[1].split("</p>")[0]
    assert more.startswith(f'<a href="{reverse("meetings:coverage")}">') and "3" in more

    full = client_for(hub_staff).get(reverse("meetings:coverage")).content.decode()
    assert full.split('id="checks-unsupervised"')[1].split("</ul>")[0].count("<li>") == len(orgs)
    assert "checks-more" not in full


def test_the_checks_count_every_row_when_they_show_only_the_first(
    partner, other, org_a, org_b, make_partner_org, make_meeting
):
    # Three held monthly topic meetings nobody attended: every partner but the host is absent.
    for days in (-90, -60, -30):
        invite_audience(
            [make_meeting(MeetingKind.MONTHLY_TOPIC, days=days, host=org_a, status=MeetingStatus.HELD)]
        )
    for n in range(4):
        make_partner_org(name=f"伙伴{n}", joined=datetime.date(2020, 1, 1))
    shown = meeting_checks.checks(shown=2)
    full = meeting_checks.checks()
    assert full["absent_count"] == len(full["absent"]) == 5 and full["absent_more"] == 0
    assert shown["absent"] == full["absent"][:2]
    assert (shown["absent_count"], shown["absent_more"]) == (5, 3)
    assert full["without_minutes_count"] == len(full["without_minutes"]) == 3
    assert shown["without_minutes"] == full["without_minutes"][:2]
    assert (shown["without_minutes_count"], shown["without_minutes_more"]) == (3, 1)
    assert [row.organisation for row in shown["unsupervised"]] == [
        row.organisation for row in full["unsupervised"]
    ][:2]
    assert shown["unsupervised_count"] == len(full["unsupervised"]) >= 5


@pytest.mark.parametrize(
    ("today", "overdue"), [(datetime.date(2026, 5, 30), False), (datetime.date(2026, 6, 2), True)]
)
def test_a_supervision_counts_from_its_local_day(org_a, today, overdue):
    from meetings.models import Meeting

    # 07:00 on 1 March in Shanghai is still 28 February in UTC: quarterly, the next one is due on 1 June.
    start = datetime.datetime(2026, 3, 1, 7, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    Meeting.objects.create(
        kind=MeetingKind.SUPERVISION,
        title="督导",
        organisation=org_a,
        status=MeetingStatus.HELD,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    rows = [row for row in meeting_checks.unsupervised(today) if row.organisation == org_a]
    assert [(row.frequency, row.due_on) for row in rows] == (
        [("quarterly", datetime.date(2026, 6, 1))] if overdue else []
    )
