import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

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
    # It lands on this list of the full page, not at its top (three lists up on a phone).
    assert more.startswith(f'<a href="{reverse("meetings:coverage")}#checks-unsupervised">') and "3" in more

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


def _overdue_in_python(today):
    """The supervision check's rules, one organisation at a time (as the check was written first)."""
    from hubsite.core import validators as bounds
    from meetings.choices import FREQUENCY_MONTHS
    from meetings.planner import frequency_of
    from partners.models import Organisation

    rows = []
    for org in Organisation.objects.partners().active().order_by("name", "pk"):
        held = org.supervisions.filter(status=MeetingStatus.HELD, kind=MeetingKind.SUPERVISION)
        last = max((m.starts_at for m in held), default=None)
        since = timezone.localtime(last).date() if last else org.joined_on
        if since is None:
            continue
        frequency = frequency_of(org, today)
        due = bounds.add_months(since.replace(day=min(since.day, 28)), FREQUENCY_MONTHS[frequency])
        if due < today:
            rows.append((org.pk, frequency, last, due))
    return rows


def test_the_supervision_check_follows_the_rules_of_frequency_and_month_ends(make_partner_org, make_meeting):
    from meetings.models import Meeting, SupervisionFrequency
    from partners.models import Organisation

    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    joined = [
        datetime.date(2024, 2, 29),
        datetime.date(2025, 1, 31),
        datetime.date(2025, 8, 30),
        datetime.date(2025, 12, 15),
        datetime.date(2026, 2, 28),
        datetime.date(2026, 3, 1),
        datetime.date(9999, 12, 31),
    ]
    orgs = [make_partner_org(joined=day) for day in joined]
    orgs.append(make_partner_org(joined=None))
    make_partner_org(joined=datetime.date(2020, 1, 1), status="suspended")  # not active: never listed
    for org, frequency in zip(orgs[:3], ("monthly", "half_yearly", "bimonthly"), strict=True):
        SupervisionFrequency.objects.create(organisation=org, frequency=frequency)
    supervised = [
        (orgs[0], datetime.datetime(2026, 1, 31, 23, 30, tzinfo=shanghai), MeetingStatus.HELD),
        (orgs[1], datetime.datetime(2025, 8, 31, 7, 0, tzinfo=shanghai), MeetingStatus.HELD),
        (orgs[3], datetime.datetime(2026, 3, 1, 7, 0, tzinfo=shanghai), MeetingStatus.HELD),
        (orgs[3], datetime.datetime(2026, 5, 1, 9, 0, tzinfo=shanghai), MeetingStatus.CANCELLED),
        (orgs[7], datetime.datetime(2025, 11, 30, 20, 0, tzinfo=shanghai), MeetingStatus.HELD),
    ]
    for org, start, status in supervised:
        Meeting.objects.create(
            kind=MeetingKind.SUPERVISION,
            title="督导",
            organisation=org,
            status=status,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
        )
    # A held meeting of another kind is no supervision.
    make_meeting(
        MeetingKind.MONTHLY_TOPIC, days=-3, host=orgs[4], organisation=orgs[4], status=MeetingStatus.HELD
    )
    assert Organisation.objects.partners().active().count() == len(orgs)
    days = [datetime.date(2026, 1, 1) + datetime.timedelta(days=n) for n in range(0, 400, 7)]
    days += [
        datetime.date(2026, 2, 27),
        datetime.date(2026, 2, 28),
        datetime.date(2026, 3, 1),
        datetime.date(2027, 2, 28),
    ]
    seen = set()
    for today in days:
        expected = _overdue_in_python(today)
        found = [
            (row.organisation.pk, row.frequency, row.last_supervised, row.due_on)
            for row in meeting_checks.unsupervised(today)
        ]
        assert found == expected, today
        seen.update(pk for pk, *_ in expected)
    assert len(seen) >= 6  # the days chosen see most partners overdue at some point
