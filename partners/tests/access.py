import datetime

from partners.choices import ExperienceArea
from partners.models import (
    Award,
    CycleGoal,
    ExpansionPlan,
    NeedsAnswer,
    NeedsAssessment,
    NeedsQuestion,
    SharedExperience,
    SupportCycle,
)
from tests.matrix import Case, everyone, expect, hub_only, own_org

# Hub-only edits of one organisation's records: other organisations' people get 404 (like every edit
# URL of another organisation), org A's own people and viewers get 403.
HUB_EDITS_ORG_A = expect(hub_admin=200, director=403, other=404, viewer=403)
# What org A's own people may edit too (contact details, centre descriptions).
OWN_ORG_EDITS = expect(hub_admin=200, director=200, other=404, viewer=403)


def setup(world):
    world.award_a = Award.objects.create(
        organisation=world.org_a, issuer="活力未来", year=2023, title="优秀伙伴"
    )
    world.plan_a = ExpansionPlan.objects.create(
        organisation=world.org_a, planned_sites=1, target_date=datetime.date(2025, 6, 1)
    )
    world.experience_a = SharedExperience.objects.create(
        organisation=world.org_a, area=ExperienceArea.TEACHING, title="绘本共读", text="每周一次"
    )
    world.org_a.record_stage_change("", "startup", by=None, on=datetime.date(2024, 1, 1))
    world.cycle_a = SupportCycle.objects.create(
        organisation=world.org_a, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31)
    )
    world.goal_a = CycleGoal.objects.create(cycle=world.cycle_a, area="finance", goal="建立财务制度")
    question = NeedsQuestion.objects.create(
        area="finance", text="财务管理", topic="财务管理培训", first_year=NEEDS_YEAR
    )
    world.needs_a = NeedsAssessment.objects.create(organisation=world.org_a, year=NEEDS_YEAR)
    NeedsAnswer.objects.create(assessment=world.needs_a, question=question, score=4)


NEEDS_YEAR = 2026


def _org_a(world):
    return {"pk": world.org_a.pk}


def _centre_a(world):
    return {"pk": world.centre_a.pk}


CASES = [
    Case("partners:organisation_list", everyone()),
    Case("partners:organisation_list", everyone(), query="_export=csv"),
    Case("partners:organisation_list", everyone(), query="_export=xlsx"),
    Case("partners:organisation_list", everyone(), query="prefecture=999999"),
    Case("partners:organisation_create", hub_only()),
    Case("partners:organisation_detail", everyone(), kwargs=_org_a),
    Case("partners:organisation_edit", OWN_ORG_EDITS, kwargs=_org_a),
    Case(
        "partners:organisation_edit",
        expect(hub_admin=200, director=404, other=200, viewer=403),
        kwargs=lambda w: {"pk": w.org_b.pk},
    ),
    Case("partners:organisation_status", HUB_EDITS_ORG_A, kwargs=_org_a),
    # The WeCom group's address is a key: hub staff and the organisation's director only.
    Case(
        "partners:organisation_wecom",
        expect(hub_admin=200, director=200, partner=403, other=403, viewer=403),
        kwargs=_org_a,
    ),
    Case(
        "partners:organisation_wecom_test",
        expect(hub_admin=200, director=200, partner=403, other=403, viewer=403),
        kwargs=_org_a,
    ),
    Case("partners:award_create", HUB_EDITS_ORG_A, kwargs=_org_a),
    Case("partners:award_edit", HUB_EDITS_ORG_A, kwargs=lambda w: {"pk": w.award_a.pk}),
    Case("partners:expansion_plan_create", HUB_EDITS_ORG_A, kwargs=_org_a),
    Case("partners:expansion_plan_edit", HUB_EDITS_ORG_A, kwargs=lambda w: {"pk": w.plan_a.pk}),
    Case("partners:experience_create", HUB_EDITS_ORG_A, kwargs=_org_a),
    Case("partners:experience_edit", HUB_EDITS_ORG_A, kwargs=lambda w: {"pk": w.experience_a.pk}),
    Case(
        "partners:experience_endorse",
        expect(hub_admin=302, director=403, other=404, viewer=403),
        kwargs=lambda w: {"pk": w.experience_a.pk},
        method="post",
    ),
    Case("partners:centre_list", everyone()),
    Case("partners:centre_list", everyone(), query="_export=csv"),
    Case("partners:centre_list", everyone(), query="_export=xlsx"),
    Case("partners:centre_create", hub_only()),
    Case("partners:centre_detail", everyone(), kwargs=_centre_a),
    Case("partners:centre_edit", OWN_ORG_EDITS, kwargs=_centre_a),
    Case(
        "partners:centre_edit",
        expect(hub_admin=200, director=404, other=200, viewer=403),
        kwargs=lambda w: {"pk": w.centre_b.pk},
    ),
    Case("partners:centre_assess", HUB_EDITS_ORG_A, kwargs=_centre_a),
    Case("partners:person_list", hub_only()),
    Case("partners:person_list", hub_only(), query="_export=csv"),
    Case("partners:person_invite", hub_only()),
    Case("partners:person_edit", hub_only(), kwargs=lambda w: {"pk": w.partner.pk}),
    Case(
        "partners:person_deactivate",
        hub_only(302),
        kwargs=lambda w: {"pk": w.partner.pk},
        method="post",
    ),
    Case(
        "partners:person_resend_invitation",
        hub_only(302),
        kwargs=lambda w: {"pk": w.partner.pk},
        method="post",
    ),
    # The growth file (成长档案)
    Case("partners:organisation_stage", HUB_EDITS_ORG_A, kwargs=_org_a),
    Case("partners:organisation_timeline", own_org(), kwargs=_org_a),
    Case("partners:organisation_timeline", own_org(), kwargs=_org_a, query="year=2025"),
    Case("partners:cycle_create", HUB_EDITS_ORG_A, kwargs=_org_a),
    Case("partners:cycle_detail", own_org(), kwargs=lambda w: {"pk": w.cycle_a.pk}),
    Case("partners:cycle_edit", HUB_EDITS_ORG_A, kwargs=lambda w: {"pk": w.cycle_a.pk}),
    Case("partners:cycle_graduation", HUB_EDITS_ORG_A, kwargs=lambda w: {"pk": w.cycle_a.pk}),
    Case("partners:goal_create", HUB_EDITS_ORG_A, kwargs=lambda w: {"pk": w.cycle_a.pk}),
    Case("partners:goal_edit", HUB_EDITS_ORG_A, kwargs=lambda w: {"pk": w.goal_a.pk}),
    # The director answers for their own organisation (the server takes it from the login).
    Case(
        "partners:needs_fill",
        expect(hub_admin=403, director=200, partner=403, other=403, viewer=403),
        kwargs={"year": NEEDS_YEAR},
    ),
    Case("partners:needs_network", hub_only(), kwargs={"year": NEEDS_YEAR}),
    Case("partners:needs_detail", own_org(), kwargs=lambda w: {"pk": w.needs_a.pk}),
]
