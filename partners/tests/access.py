import datetime

from partners.choices import ExperienceArea
from partners.models import Award, ExpansionPlan, SharedExperience
from tests.matrix import Case, everyone, expect, hub_only

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
]
