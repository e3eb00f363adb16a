"""The hub's fortnight box counts overdue action items by the local calendar."""

import datetime

import pytest

from meetings.choices import MeetingKind
from meetings.home import network_fortnight
from meetings.models import ActionItem, Meeting

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@pytest.mark.parametrize(
    ("now", "overdue"),
    [
        # 00:30 on 2 March in Shanghai is still 1 March in UTC: an item due on 1 March is overdue.
        (datetime.datetime(2026, 3, 2, 0, 30, tzinfo=SHANGHAI), 1),
        (datetime.datetime(2026, 3, 1, 23, 30, tzinfo=SHANGHAI), 0),
    ],
)
def test_an_item_is_overdue_from_the_local_day_after_its_due_date(time_machine, org_a, now, overdue):
    meeting = Meeting.objects.create(
        kind=MeetingKind.SUPERVISION,
        title="督导",
        organisation=org_a,
        starts_at=datetime.datetime(2026, 2, 20, 10, tzinfo=SHANGHAI),
        ends_at=datetime.datetime(2026, 2, 20, 12, tzinfo=SHANGHAI),
    )
    ActionItem.objects.create(
        meeting=meeting, what="家长访谈", owner_organisation=org_a, due_on=datetime.date(2026, 3, 1)
    )
    time_machine.move_to(now, tick=False)
    assert network_fortnight()["overdue_items"] == overdue
