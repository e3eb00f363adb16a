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
