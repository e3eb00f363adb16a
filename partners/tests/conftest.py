import datetime

import pytest

from partners.choices import (
    CentreStatus,
    DevelopmentStage,
    ExperienceArea,
    OrganisationStatus,
    Rating,
    SiteType,
)
from partners.models import Award, Centre, ExpansionPlan, Organisation, SharedExperience


@pytest.fixture
def grow_network(prefectures, make_user):
    """`grow_network(n, prefix)` adds n active partners, each with two centres, an award, a plan,
    a shareable experience, an assessment and a person, so pages can be measured at two sizes."""

    def grow(n, prefix="伙伴"):
        codes = sorted(prefectures)
        organisations = []
        for i in range(n):
            organisation = Organisation.objects.create(
                name=f"{prefix}机构{i}",
                short_name=f"{prefix}{i}",
                prefecture=prefectures[codes[i % len(codes)]],
                status=OrganisationStatus.ACTIVE,
                stage=DevelopmentStage.GROWING,
            )
            for j, status in enumerate((CentreStatus.OPERATING, CentreStatus.PLANNED)):
                centre = Centre.objects.create(
                    organisation=organisation,
                    name=f"{prefix}亲子园{i}-{j}",
                    prefecture=organisation.prefecture,
                    site_type=SiteType.KINDERGARTEN,
                    status=status,
                    opened_on=datetime.date(2021, 1, 1) if status == CentreStatus.OPERATING else None,
                )
                centre.record_assessment(assessed_on=datetime.date(2023, 1, 1), rating=Rating.GOOD)
            Award.objects.create(organisation=organisation, issuer="活力未来", year=2023, title=f"奖{i}")
            ExpansionPlan.objects.create(organisation=organisation, planned_sites=2)
            SharedExperience.objects.create(
                organisation=organisation, area=ExperienceArea.OPERATIONS, title=f"经验{i}", text="……"
            )
            make_user(f"{organisation.pk}-{i}@example.org", "partner_staff", organisation)
            organisations.append(organisation)
        return organisations

    return grow


@pytest.fixture
def enrich(make_user):
    """`enrich(organisation, n)` adds n centres, awards, plans, experiences, assessments, status
    changes and people to one organisation, to measure its page at two sizes."""

    def add(organisation, n, by):
        offset = organisation.centres.count()
        for i in range(offset, offset + n):
            centre = Centre.objects.create(
                organisation=organisation,
                name=f"{organisation.short_name}新园{i}",
                prefecture=organisation.prefecture,
                site_type=SiteType.COMMUNITY,
                status=CentreStatus.OPERATING,
                opened_on=datetime.date(2023, 1, 1),
            )
            centre.record_assessment(assessed_on=datetime.date(2023, 6, 1), rating=Rating.EXCELLENT, by=by)
            Award.objects.create(organisation=organisation, issuer="心和基金会", year=2022, title=f"奖{i}")
            ExpansionPlan.objects.create(organisation=organisation, planned_sites=i + 1)
            experience = SharedExperience.objects.create(
                organisation=organisation, area=ExperienceArea.TEACHING, title=f"经验{i}", text="……"
            )
            experience.endorse(by)
            make_user(
                f"p{organisation.pk}-{i}@example.org", "partner_staff", organisation, position="teacher"
            )
        organisation.change_status(OrganisationStatus.PAUSED, by=by, reason="调整")
        organisation.change_status(OrganisationStatus.ACTIVE, by=by, reason="恢复")

    return add
