"""The demo network reproduces the facts of seed 000 (README: Demo data) and can be loaded twice."""

import datetime
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from hubsite.core.roles import Role
from partners import demo
from partners.choices import CentreStatus, DevelopmentStage, OrganisationStatus, Position, Rating, SiteType
from partners.models import (
    Award,
    Centre,
    CentreAssessment,
    County,
    ExpansionPlan,
    Organisation,
    OrganisationStatusChange,
    SharedExperience,
    User,
)

COVERED = {"450100", "450200", "450300", "450800", "450900", "451000", "451200", "451300"}
UNCOVERED = {"450400", "450500", "450600", "450700", "451100", "451400"}
MODELS = [
    Organisation,
    OrganisationStatusChange,
    County,
    Centre,
    CentreAssessment,
    ExpansionPlan,
    Award,
    SharedExperience,
    User,
]


@pytest.fixture
def seeded(demo):
    """The network as `manage.py seed_demo` leaves it (the shared demo fixture seeds once a session)."""
    return demo


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def org(name):
    return Organisation.objects.get(name=name)


def covered_codes():
    return set(Centre.objects.operating().order_by().values_list("prefecture__code", flat=True).distinct())


def test_it_refuses_to_run_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Organisation.objects.exists()


def test_it_runs_without_force_when_debug_is_on(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert Organisation.objects.active().count() == 10


def test_it_does_nothing_with_if_empty_when_organisations_exist(seeded):
    before = counts()
    Centre.objects.filter(name="心圩社区服务中心亲子园").update(capacity=99)
    out = io.StringIO()
    call_command("seed_demo", force=True, if_empty=True, stdout=out)
    assert "nothing to do" in out.getvalue()
    assert counts() == before
    assert Centre.objects.get(name="心圩社区服务中心亲子园").capacity == 99


def test_a_second_run_changes_no_counts_and_no_ratings(seeded):
    before = counts()
    ratings = dict(Centre.objects.values_list("name", "rating"))
    call_command("seed_demo", force=True, stdout=io.StringIO())
    assert counts() == before
    assert dict(Centre.objects.values_list("name", "rating")) == ratings


def test_a_second_run_restores_edited_demo_values(seeded):
    Centre.objects.filter(name="心圩社区服务中心亲子园").update(capacity=99)
    User.objects.filter(email="partner@example.org").update(role=Role.VIEWER, organisation=None)
    call_command("seed_demo", force=True, stdout=io.StringIO())
    assert Centre.objects.get(name="心圩社区服务中心亲子园").capacity == 20
    partner = User.objects.get(email="partner@example.org")
    assert (partner.role, partner.organisation.name) == (Role.PARTNER_STAFF, "都安瑶山社会工作服务中心")


def test_ten_organisations_are_active_including_the_hub(seeded):
    active = Organisation.objects.active()
    assert active.count() == 10
    assert active.filter(is_hub=True).count() == 1
    assert active.partners().count() == 9
    assert Organisation.objects.filter(is_hub=True).get().name == "南宁市同心源社会工作服务中心"
    assert set(active.values_list("name", flat=True)) >= {
        "都安瑶山社会工作服务中心",
        "桂林现代促进会",
        "田东晨曦社会工作服务中心",
    }


def test_sixteen_centres_operate_in_exactly_the_eight_covered_prefectures(seeded):
    operating = Centre.objects.operating()
    assert operating.count() == 16
    assert covered_codes() == COVERED
    assert not operating.filter(prefecture__code__in=UNCOVERED).exists()
    assert not Centre.objects.filter(prefecture__code__in=UNCOVERED).exists()
    # Every operating centre belongs to an active organisation and is open by its dates today.
    assert not operating.exclude(organisation__status=OrganisationStatus.ACTIVE).exists()
    assert Centre.objects.operating_on(demo.DEMO_DATE).count() == 16
    assert set(operating.values_list("pk", flat=True)) == set(
        Centre.objects.operating_on(demo.DEMO_DATE).values_list("pk", flat=True)
    )


def test_each_active_organisation_runs_at_least_one_centre(seeded):
    without_centre = (
        Organisation.objects.active()
        .annotate(n=Count("centres", filter=Q(centres__status=CentreStatus.OPERATING)))
        .filter(n=0)
    )
    assert not without_centre.exists()


def test_the_hub_runs_four_centres_in_nanning_since_april_2018(seeded):
    hub = Organisation.objects.get(is_hub=True)
    centres = hub.centres.operating().order_by("opened_on")
    assert centres.count() == 4
    assert {c.prefecture.code for c in centres} == {"450100"}
    first_two = list(centres[:2])
    assert all(c.opened_on.year == 2018 and c.opened_on.month == 4 for c in first_two)
    assert {c.site_type for c in first_two} == {SiteType.COMMUNITY_SERVICE_CENTRE}
    assert all(2020 <= c.opened_on.year <= 2024 for c in centres[2:])
    assert hub.project_started_on == datetime.date(2018, 4, 16)
    assert hub.prefecture.code == "450100"


def test_three_partners_run_a_second_site_and_six_run_one(seeded):
    per_org = dict(
        Organisation.objects.active()
        .partners()
        .annotate(n=Count("centres", filter=Q(centres__status=CentreStatus.OPERATING)))
        .values_list("short_name", "n")
    )
    assert sorted(per_org.values()) == [1, 1, 1, 1, 1, 1, 2, 2, 2]
    assert {name for name, n in per_org.items() if n == 2} == {"都安瑶山", "桂林现代", "柳州启航"}


def test_three_organisations_have_an_active_expansion_plan_and_they_are_not_the_two_site_ones(seeded):
    planning = {o.short_name for o in Organisation.objects.all() if o.has_active_expansion_plan()}
    assert planning == {"玉林春苗", "田东晨曦", "贵港同行"}


def test_five_partners_have_grown_and_the_others_are_earlier_stages(seeded):
    active = Organisation.objects.active().partners()
    assert active.filter(stage=DevelopmentStage.GROWING).count() == 5
    assert set(active.exclude(stage=DevelopmentStage.GROWING).values_list("stage", flat=True)) == {
        DevelopmentStage.STARTUP,
        DevelopmentStage.SPROUTING,
    }


def test_partners_joined_between_2021_and_2024(seeded):
    joined = list(Organisation.objects.active().partners().values_list("joined_on", flat=True))
    assert len(joined) == 9
    assert all(datetime.date(2021, 7, 1) <= day <= datetime.date(2024, 12, 31) for day in joined)


def test_prospects_and_applicants_sit_in_uncovered_prefectures_without_centres(seeded):
    outside = Organisation.objects.filter(
        status__in=[OrganisationStatus.PROSPECT, OrganisationStatus.APPLICANT]
    )
    assert outside.count() == 3
    assert {o.prefecture.code for o in outside} <= UNCOVERED
    assert set(outside.values_list("status", flat=True)) == {
        OrganisationStatus.PROSPECT,
        OrganisationStatus.APPLICANT,
    }
    assert not Centre.objects.filter(organisation__in=outside).exists()
    assert org("钦州市海湾社会工作服务中心").status == OrganisationStatus.PROSPECT
    assert org("梧州市乐童社会工作服务中心").status == OrganisationStatus.APPLICANT


def test_status_history_ends_at_the_current_status_and_follows_the_lifecycle(seeded):
    for organisation in Organisation.objects.prefetch_related("status_changes"):
        steps = sorted(organisation.status_changes.all(), key=lambda s: s.effective_on)
        assert steps, organisation
        assert steps[0].from_status == ""
        assert steps[-1].to_status == organisation.status
        assert steps[-1].effective_on == organisation.status_changed_on
        for before, after in zip(steps, steps[1:], strict=False):
            assert after.from_status == before.to_status
            assert after.effective_on > before.effective_on
        assert all(s.changed_by.email == "hub@example.org" for s in steps)
    paused = OrganisationStatusChange.objects.get(to_status=OrganisationStatus.PAUSED)
    assert paused.organisation.short_name == "贵港同行"
    assert paused.organisation.status == OrganisationStatus.ACTIVE


def test_centre_ratings_follow_their_assessments_and_one_first_centre_needs_improvement(seeded):
    for centre in Centre.objects.prefetch_related("assessments"):
        history = sorted(centre.assessments.all(), key=lambda a: a.assessed_on)
        assert history, centre
        assert (centre.rating, centre.rated_on) == (history[-1].rating, history[-1].assessed_on)
        assert [a.previous_rating for a in history] == [""] + [a.rating for a in history[:-1]]
    assert CentreAssessment.objects.filter(assessed_on__year__lte=2019).exists()
    assert set(CentreAssessment.objects.values_list("rating", flat=True)) == set(Rating.values)

    first_centres = {}
    for centre in Centre.objects.order_by("opened_on"):
        first_centres.setdefault(centre.organisation.short_name, centre)
    laibin = first_centres["来宾益家"]
    assert laibin.rating == Rating.NEEDS_IMPROVEMENT
    assert laibin.rated_on >= datetime.date(2026, 1, 1)
    assert first_centres["都安瑶山"].rating in {Rating.GOOD, Rating.EXCELLENT}


def test_awards_and_experience_differ_between_organisations(seeded):
    funder = Award.objects.filter(from_programme_funder=True)
    assert set(funder.values_list("issuer", flat=True)) == {"活力未来"}
    assert Award.objects.filter(from_programme_funder=False).exists()
    awarded = set(funder.values_list("organisation__short_name", flat=True))
    assert {"都安瑶山", "桂林现代", "田东晨曦"} <= awarded
    assert "来宾益家" not in awarded and "贵港同行" not in awarded
    assert SharedExperience.objects.filter(endorsed_by__email="staff@example.org").count() == 4
    assert SharedExperience.objects.filter(endorsed_at__isnull=True).exists()


def test_centres_have_varied_site_types_addresses_and_one_or_two_demonstration_sites(seeded):
    operating = Centre.objects.operating()
    assert set(operating.values_list("site_type", flat=True)) == {
        SiteType.COMMUNITY,
        SiteType.COMMUNITY_SERVICE_CENTRE,
        SiteType.KINDERGARTEN,
    }
    assert 1 <= operating.filter(is_demonstration=True).count() <= 2
    assert not operating.filter(Q(address="") | Q(capacity__isnull=True) | Q(county__isnull=True)).exists()
    assert not Centre.objects.exclude(county__prefecture=F("prefecture")).exists()
    closed = Centre.objects.get(status=CentreStatus.CLOSED)
    assert closed.closed_on > closed.opened_on


@pytest.mark.parametrize(
    ("email", "role", "organisation", "position"),
    [
        ("hub@example.org", Role.HUB_ADMIN, "南宁市同心源社会工作服务中心", ""),
        ("staff@example.org", Role.HUB_STAFF, "南宁市同心源社会工作服务中心", Position.MANAGER),
        ("director@example.org", Role.DIRECTOR, "都安瑶山社会工作服务中心", ""),
        ("partner@example.org", Role.PARTNER_STAFF, "都安瑶山社会工作服务中心", Position.TEACHER),
        ("other@example.org", Role.PARTNER_STAFF, "桂林现代促进会", Position.TEACHER),
        ("viewer@example.org", Role.VIEWER, None, ""),
    ],
)
def test_the_six_demo_logins_authenticate_with_the_demo_password(seeded, email, role, organisation, position):
    user = authenticate(username=email, password="demo-hub-2024")
    assert user is not None and user.email == email
    assert user.role == role
    assert (user.organisation.name if user.organisation else None) == organisation
    assert user.position == position
    assert authenticate(username=email, password="wrong-password") is None


def test_every_partner_has_a_director_and_the_hub_four_staff(seeded):
    hub = Organisation.objects.get(is_hub=True)
    assert hub.people.filter(role__in=[Role.HUB_ADMIN, Role.HUB_STAFF]).count() == 4
    for partner in Organisation.objects.active().partners():
        people = partner.people.all()
        assert 2 <= people.count() <= 3, partner
        assert people.filter(role=Role.DIRECTOR).count() == 1, partner
        assert all(p.email.endswith("@example.org") for p in people)
    assert not User.objects.filter(
        role__in=[Role.DIRECTOR, Role.PARTNER_STAFF], organisation__is_hub=True
    ).exists()
    assert User.objects.filter(role=Role.VIEWER).get().organisation is None


def test_seed_fills_the_context_for_later_seeders(db):
    ctx = {}
    demo.seed(ctx)
    assert ctx["hub"].is_hub
    assert ctx["orgs"]["都安瑶山"].name == "都安瑶山社会工作服务中心"
    assert len(ctx["orgs"]) == 13
    assert set(demo.DEMO_LOGINS) <= set(ctx["users"])
    assert ctx["users"]["director@example.org"].organisation == ctx["orgs"]["都安瑶山"]
    assert len(ctx["centres"]) == 17
    assert ctx["prefectures"]["451200"].name == "河池市"
    assert ctx["demo_date"] == datetime.date(2026, 11, 22)


def test_a_failing_later_app_leaves_no_half_loaded_network(db, monkeypatch):
    from hubsite.management.commands import seed_demo
    from partners import demo as partners_demo
    from partners.tests.broken_seed import demo as broken_demo

    # seed_demo takes each app's demo module itself (no longer the package it finds one in).
    monkeypatch.setattr(seed_demo, "DEMO_MODULES", {"partners": partners_demo, "broken": broken_demo})
    with pytest.raises(RuntimeError, match="broken"):
        call_command("seed_demo", force=True, stdout=io.StringIO())
    assert not Organisation.objects.exists()
    assert not User.objects.exists()
