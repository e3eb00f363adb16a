import datetime

import pytest
from django.utils import timezone

from meetings import demo
from meetings.choices import ActionStatus, MeetingKind, MeetingStatus
from meetings.models import ActionItem, Meeting, Minutes, SupervisionDiagnosis
from partners.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_demo_holds_history_since_2022_and_this_years_plan_and_runs_twice(
    hub_staff, director, partner, other
):
    # Hosts are partners on the meeting's day: as in the seed (玉林春苗, December 2021), a partner
    # joined before the history starts, so every month of 2022 has someone to host.
    Organisation.objects.filter(pk=partner.organisation_id).update(joined_on=datetime.date(2021, 12, 1))
    demo.seed({})
    counts = (Meeting.objects.count(), Minutes.objects.count(), ActionItem.objects.count())
    demo.seed({})
    assert (Meeting.objects.count(), Minutes.objects.count(), ActionItem.objects.count()) == counts

    year = timezone.localdate().year
    assert (
        Meeting.objects.filter(year=2022, kind=MeetingKind.MONTHLY_TOPIC, status=MeetingStatus.HELD).count()
        == 12
    )
    assert Meeting.objects.filter(year=year, kind=MeetingKind.MONTHLY_TOPIC).count() == 12
    # Something is always ahead, on 31 December too (next year's plan is made in December).
    assert Meeting.objects.filter(status=MeetingStatus.PLANNED, starts_at__gt=timezone.now()).exists()
    assert not Meeting.objects.filter(status=MeetingStatus.PLANNED, ends_at__lt=timezone.now()).exists()
    assert (
        Meeting.objects.filter(kind=MeetingKind.MONTHLY_TOPIC, host__isnull=False)
        .values("host")
        .distinct()
        .count()
        == 2
    )
    assert SupervisionDiagnosis.objects.exists()
    assert ActionItem.objects.filter(status=ActionStatus.OPEN).exists()
    assert ActionItem.objects.filter(status=ActionStatus.DONE).exists()
    assert Minutes.objects.count() == Meeting.objects.filter(status=MeetingStatus.HELD).count() - 1


def test_the_demo_does_nothing_without_partners(db):
    demo.seed({})
    assert Meeting.objects.count() == 0
