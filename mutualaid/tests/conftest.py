import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def make_partner(prefectures, make_centre):
    """`make_partner(name, **facts)` builds an active partner; by default it meets all five criteria."""
    from partners.choices import OrganisationStatus, Rating
    from partners.models import Award, ExpansionPlan, Organisation, SharedExperience

    def make(
        name,
        *,
        started=datetime.date(2020, 3, 1),
        rating=Rating.GOOD,
        rated_on=datetime.date(2024, 5, 10),
        award=True,
        plan=True,
        endorsed=True,
        prefecture="450100",
        centre_opened=datetime.date(2020, 5, 1),
    ):
        org = Organisation.objects.create(
            name=name,
            short_name=name[:10],
            prefecture=prefectures[prefecture],
            status=OrganisationStatus.ACTIVE,
            project_started_on=started,
        )
        if centre_opened:
            centre = make_centre(org, f"{name}亲子园", centre_opened)
            if rating:
                centre.record_assessment(assessed_on=rated_on, rating=rating, assessor="枢纽")
        if award:
            Award.objects.create(
                organisation=org,
                issuer="活力未来",
                year=2023,
                title="优秀合作伙伴",
                from_programme_funder=True,
            )
        # Plans and experiences count from the day they were recorded: recorded early in 2024, they
        # count in a round as of the end of 2024 as well as today.
        recorded = timezone.make_aware(datetime.datetime(2024, 1, 15, 10, 0))
        if plan:
            ExpansionPlan.objects.create(
                organisation=org, planned_sites=1, target_date=datetime.date(2025, 6, 1)
            )
            ExpansionPlan.objects.filter(organisation=org).update(created_at=recorded)
        if endorsed:
            experience = SharedExperience.objects.create(
                organisation=org, area="teaching", title="绘本共读", text="每周两次绘本共读"
            )
            SharedExperience.objects.filter(pk=experience.pk).update(
                created_at=recorded, endorsed_at=recorded
            )
        return org

    return make


@pytest.fixture
def member():
    from mutualaid.models import Membership

    def make(org, joined_on=datetime.date(2024, 1, 1), cohort="2024"):
        return Membership.objects.create(organisation=org, cohort=cohort, joined_on=joined_on)

    return make


@pytest.fixture
def policy(db):
    from mutualaid.models import EligibilityPolicy

    return EligibilityPolicy.objects.current()
