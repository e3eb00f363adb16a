import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def make_meeting():
    from meetings.choices import MeetingKind
    from meetings.models import Meeting

    def make(kind=MeetingKind.OTHER, *, days=5, hours=2, **extra):
        start = timezone.now() + datetime.timedelta(days=days)
        extra.setdefault("title", f"{kind} {days}")
        return Meeting.objects.create(
            kind=kind, starts_at=start, ends_at=start + datetime.timedelta(hours=hours), **extra
        )

    return make


@pytest.fixture
def meeting(partner, director, other, hub_staff):
    """A planned meeting on 2030-05-20 10:00-12:00 with three invitees; the director has declined.

    The reminder tests drive their sweeps around this date."""
    from meetings.choices import MeetingKind, Rsvp
    from meetings.models import Invitation, Meeting

    starts = timezone.make_aware(datetime.datetime(2030, 5, 20, 10))
    meeting = Meeting.objects.create(
        kind=MeetingKind.OTHER,
        title="伙伴交流会",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="南宁市同心源",
        created_by=hub_staff,
    )
    for person, rsvp in ((partner, Rsvp.PENDING), (director, Rsvp.DECLINED), (other, Rsvp.ACCEPTED)):
        Invitation.objects.create(meeting=meeting, person=person, organisation=person.organisation, rsvp=rsvp)
    return meeting


@pytest.fixture
def make_partner_org(prefectures):
    from partners.models import Organisation

    counter = {"n": 0}

    def make(name=None, joined=datetime.date(2023, 1, 1), status="active", **extra):
        counter["n"] += 1
        return Organisation.objects.create(
            name=name or f"伙伴机构{counter['n']}",
            prefecture=prefectures["450100"],
            status=status,
            joined_on=joined,
            **extra,
        )

    return make
