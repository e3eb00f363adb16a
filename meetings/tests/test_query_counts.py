"""Pages run a fixed number of queries whatever the number of meetings, organisations and invitees."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import actions
from meetings.audience import invite_audience
from meetings.choices import MeetingKind
from meetings.models import ActionItem, Meeting, PlanDraft

pytestmark = pytest.mark.django_db

# session + user, then: calendar (meetings, invitations), list (count, page), rotation (queue, skips,
# planned, history; the skip form lists the queue's organisations), action items (count, page, owner choices), plan (draft, its
# organisations, skip-form choices), home (invitations, action items, three meeting checks).
EXPECTED = {"calendar": 4, "calendar_list": 4, "rotation": 6, "action_list": 5, "plan": 5, "home": 9}


def grow(size, make_partner_org, make_user, org_a):
    """Add `size` organisations, each with two people, a hosted meeting and supervision with items.

    The meetings spread around the middle of this month: the calendar shows this month, and one
    with nothing in it skips a query (on the 1st to the 9th, "ten days ago" was last month)."""
    today = timezone.localdate()
    middle = timezone.make_aware(datetime.datetime.combine(today.replace(day=15), datetime.time(10)))
    for n in range(size):
        org = make_partner_org(joined=datetime.date(2023, 1 + n % 12, 1))
        make_user(f"p{org.pk}@example.org", "partner_staff", org)
        make_user(f"d{org.pk}@example.org", "director", org)
        for kind, extra in (
            (MeetingKind.MONTHLY_TOPIC, {"host": org}),
            (MeetingKind.SUPERVISION, {"organisation": org}),
        ):
            start = middle + datetime.timedelta(days=n % 20 - 10, hours=n)
            meeting = Meeting.objects.create(
                kind=kind,
                title=f"{kind}{n}",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                **extra,
            )
            invite_audience([meeting])
            ActionItem.objects.create(
                meeting=meeting, what=f"item {n}", owner_organisation=org_a, due_on=today
            )


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def measure(client_for, hub_staff, director, make_partner_org, make_user, org_a, org_b):
    def run(user_name, url_for):
        user = {"hub_staff": hub_staff, "director": director}[user_name]
        counts = []
        for size in (2, 9):
            grow(size, make_partner_org, make_user, org_a)
            counts.append(count(client_for(user), url_for()))
        return counts

    return run


@pytest.mark.parametrize(
    ("name", "user", "url"),
    [
        ("calendar", "director", lambda: reverse("meetings:calendar")),
        ("calendar_list", "hub_staff", lambda: reverse("meetings:calendar") + "?view=list"),
        ("rotation", "hub_staff", lambda: reverse("meetings:rotation")),
        ("action_list", "director", lambda: reverse("meetings:action_list") + "?status=open"),
    ],
)
def test_page_query_count_is_fixed(measure, name, user, url):
    small, large = measure(user, url)
    assert small == large == EXPECTED[name], (small, large)


def test_the_home_panels_run_a_fixed_number_of_queries(rf, hub_staff, make_partner_org, make_user, org_a):
    from meetings.home import panels

    counts = []
    for size in (2, 9):
        grow(size, make_partner_org, make_user, org_a)
        request = rf.get("/")
        request.user = hub_staff
        with CaptureQueriesContext(connection) as queries:
            panels(request)
        counts.append(len(queries))
    # invitations, action items, the fortnight (meetings, overdue), three meeting checks (+ session, user)
    assert counts == [EXPECTED["home"] - 2] * 2, counts


def test_the_planner_proposal_query_count_is_fixed(client_for, hub_staff, make_partner_org, make_user, org_a):
    counts = []
    for size in (2, 9):
        grow(size, make_partner_org, make_user, org_a)
        PlanDraft.objects.all().delete()  # planning the year again would replace the draft
        with CaptureQueriesContext(connection) as building:
            draft = actions.do_create_plan(year=2027, weekday=2, week_of_month=2, by=hub_staff)
        counts.append(
            (len(building), count(client_for(hub_staff), reverse("meetings:plan_detail", args=[draft.pk])))
        )
    # 5 to build the proposal, 3 to look for a draft of the year to replace (savepoint, lock, release).
    assert counts[0] == counts[1] == (8, EXPECTED["plan"]), counts


def supervise(org, times, org_a):
    """``times`` held supervisions of ``org`` a month apart, each with a diagnosis and an action item."""
    from meetings.choices import MeetingStatus
    from meetings.models import SupervisionDiagnosis

    first = Meeting.objects.filter(kind=MeetingKind.SUPERVISION, organisation=org).count()
    for n in range(first, first + times):
        start = timezone.now() - datetime.timedelta(days=30 * (n + 1))
        meeting = Meeting.objects.create(
            kind=MeetingKind.SUPERVISION,
            title=f"督导 {n + 1}",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            organisation=org,
            status=MeetingStatus.HELD,
        )
        SupervisionDiagnosis.objects.create(meeting=meeting, teaching=f"教学 {n + 1}")
        ActionItem.objects.create(
            meeting=meeting, what=f"跟进 {n + 1}", owner_organisation=org, due_on=start.date()
        )


def test_the_supervision_history_shows_ten_a_page_in_a_fixed_number_of_queries(client_for, director, org_a):
    client = client_for(director)
    url = reverse("meetings:supervision_history", args=[org_a.pk])
    counts = []
    for times in (1, 4, 20):  # 1, 5, then 25 supervisions: three pages
        supervise(org_a, times, org_a)
        counts.append(count(client, url))
    # session, user, organisation, its supervision frequency, count, the page's supervisions, their items
    assert counts == [7, 7, 7], counts
    first_page = client.get(url)
    assert [m.title for m in first_page.context["meetings"]] == [f"督导 {n}" for n in range(1, 11)]
    assert "第 1 / 3 页（共 25 行）" in first_page.content.decode()
    last_page = client.get(url, {"page": 3})
    assert [m.title for m in last_page.context["meetings"]] == [f"督导 {n}" for n in range(21, 26)]
    assert count(client, f"{url}?page=3") == 7
