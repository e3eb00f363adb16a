"""`make bench` for the mutual-aid group: the eligibility overview at 100x the demo network.

Called by `manage.py bench` as `build(bench)` then `run(bench)`. The framework's network has
organisations and centres; `build` adds what the five criteria read, in the demo's proportions:
a yearly assessment of every centre, funder awards, expansion plans, shared experiences (most
endorsed) and a group of members. The overview must cost a fixed number of queries, so its time
should grow with rows, not with round trips.
"""

import datetime
import random

from django.urls import reverse
from django.utils import timezone


def _hub_staff(bench):
    return bench.users["hub"]  # hubsite/core/bench.py: {"hub": hub staff, "partner": ..., "viewer": ...}


def build(bench):
    from mutualaid.models import Membership
    from partners.models import Award, CentreAssessment, ExpansionPlan, SharedExperience

    orgs = [org for org in bench.orgs if not org.is_hub]
    if Award.objects.filter(organisation=orgs[0]).exists():  # built on an earlier run
        return
    today = timezone.localdate()
    assessments = _assessments(orgs, today)
    CentreAssessment.objects.bulk_create(assessments, batch_size=5000)
    awards, plans, experiences, members = _criteria_facts(orgs, today, _hub_staff(bench))
    Award.objects.bulk_create(awards)
    ExpansionPlan.objects.bulk_create(plans)
    SharedExperience.objects.bulk_create(experiences)
    Membership.objects.bulk_create(members)
    bench.out(
        f"  mutualaid: {len(assessments)} assessments, {len(awards)} awards, {len(plans)} plans, "
        f"{len(experiences)} experiences, {len(members)} members"
    )


def _assessments(orgs, today):
    """A yearly assessment of every opened centre, from 300 days after it opened until today."""
    from partners.choices import Rating
    from partners.models import Centre, CentreAssessment

    rng = random.Random(2024)  # noqa: S311 - synthetic data
    ratings = [Rating.EXCELLENT, Rating.GOOD, Rating.GOOD, Rating.MEETS_STANDARD, Rating.NEEDS_IMPROVEMENT]
    assessments = []
    for centre in Centre.objects.filter(organisation__in=orgs, opened_on__isnull=False).only(
        "pk", "opened_on"
    ):
        day = centre.opened_on + datetime.timedelta(days=300)
        while day < today:
            assessments.append(
                CentreAssessment(
                    centre_id=centre.pk, assessed_on=day, rating=rng.choice(ratings), assessor="枢纽"
                )
            )
            day += datetime.timedelta(days=365)
    return assessments


def _criteria_facts(orgs, today, staff):
    """Unsaved awards (a third), plans (three quarters), two experiences each (four in five endorsed)
    and memberships (a tenth), so that every criterion splits the network."""
    from mutualaid.models import Membership
    from partners.choices import ExpansionStatus, ExperienceArea
    from partners.models import Award, ExpansionPlan, SharedExperience

    awards, plans, experiences, members = [], [], [], []
    for n, org in enumerate(orgs):
        if n % 3 == 0:
            awards.append(
                Award(
                    organisation=org,
                    issuer="活力未来",
                    year=today.year - 1,
                    title="优秀合作伙伴",
                    from_programme_funder=True,
                )
            )
        if n % 4 != 1:
            plans.append(
                ExpansionPlan(
                    organisation=org,
                    planned_sites=1 + n % 3,
                    target_date=today + datetime.timedelta(days=200),
                    status=ExpansionStatus.PLANNED,
                )
            )
        for k in range(2):
            endorsed = (n + k) % 5 != 0
            experiences.append(
                SharedExperience(
                    organisation=org,
                    area=ExperienceArea.TEACHING if k == 0 else ExperienceArea.OPERATIONS,
                    title=f"经验{n}-{k}",
                    text="绘本共读与家长课堂的做法",
                    endorsed_by=staff if endorsed else None,
                    endorsed_at=timezone.now() if endorsed else None,
                )
            )
        if n % 10 == 0:
            members.append(Membership(organisation=org, cohort="2024", joined_on=datetime.date(2025, 1, 1)))
    return awards, plans, experiences, members


def run(bench):
    from mutualaid.criteria import evaluate_all
    from mutualaid.signals import evaluation_changed

    staff = _hub_staff(bench)
    bench.time("mutualaid: evaluate all active partners (Python + 6 queries)", lambda: evaluate_all())

    # The overview is cached until a criterion's data changes: time the first visit after a change too.
    bench.view(
        "mutualaid: overview, first after a change",
        reverse("mutualaid:overview"),
        staff,
        repeat=5,
        before=evaluation_changed,
    )
    bench.view("mutualaid: eligibility overview", reverse("mutualaid:overview"), staff)
    bench.view("mutualaid: missing exactly one", reverse("mutualaid:overview") + "?missing=1", staff)
    bench.view("mutualaid: group page", reverse("mutualaid:group"), staff)
    bench.view("mutualaid: expansion funding queue", reverse("mutualaid:application_list"), staff)
    # The floor: reading the rows the evaluators need, without Python on top.
    bench.sql(
        "mutualaid: assessments of active partners' centres",
        "SELECT a.id, a.centre_id, a.assessed_on, a.rating FROM partners_centreassessment a "
        "JOIN partners_centre c ON c.id = a.centre_id "
        "JOIN partners_organisation o ON o.id = c.organisation_id "
        "WHERE o.status = %s AND NOT o.is_hub",
        ["active"],
    )
    bench.ratio("mutualaid: eligibility overview", "mutualaid: assessments of active partners' centres")
