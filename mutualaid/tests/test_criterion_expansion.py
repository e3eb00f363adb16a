"""Criterion 4 means "expanding or has expanded", and a round judges every criterion as of its date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mutualaid.actions import do_change_policy
from mutualaid.choices import ExpansionRule
from mutualaid.criteria import evaluate_all
from mutualaid.models import EligibilityPolicy, ReviewRound
from partners.models import Award, Organisation, SharedExperience

AS_OF = datetime.date(2024, 12, 31)
RECORDED = timezone.make_aware(datetime.datetime(2024, 6, 1, 9, 0))


def evaluate(org, as_of=AS_OF, policy=None):
    (evaluation,) = evaluate_all(Organisation.objects.filter(pk=org.pk), as_of=as_of, policy=policy)
    return evaluation


def criterion_4(org, as_of=AS_OF, policy=None):
    return evaluate(org, as_of, policy).result("expansion_plan")


def policy_with(hub_admin, rule):
    return do_change_policy(
        by=hub_admin,
        expected_version=EligibilityPolicy.objects.current().version,
        required=[
            "project_year",
            "first_centre_rating",
            "funder_award",
            "expansion_plan",
            "shared_experience",
        ],
        min_optional_met=0,
        project_months=12,
        min_rating="meets_standard",
        expansion_rule=rule,
        note="",
    )


def test_a_second_site_operating_meets_criterion_4_without_a_plan_and_says_so(
    make_partner, make_centre, policy
):
    org = make_partner("已拓点", plan=False)
    make_centre(org, "高岭社区亲子园", datetime.date(2024, 3, 18))
    result = criterion_4(org)
    assert result.status == "met"
    assert result.evidence["met_by"] == ["second_site"]
    assert result.explanation == "2 个亲子园在运营；首个之外，「高岭社区亲子园」于 2024-03 开园"
    assert evaluate(org).qualifies


def test_an_open_plan_meets_criterion_4_and_the_explanation_names_the_plan(make_partner, policy):
    result = criterion_4(make_partner("拓点中"))
    assert result.status == "met"
    assert result.evidence["met_by"] == ["plan"]
    assert result.explanation == "拓点计划（计划中）：2025-06 前新增 1 个点"


def test_when_both_hold_the_explanation_names_both(make_partner, make_centre, policy):
    org = make_partner("两者都有")
    make_centre(org, "第二个点", datetime.date(2023, 9, 1))
    result = criterion_4(org)
    assert result.evidence["met_by"] == ["second_site", "plan"]
    assert result.explanation == (
        "2 个亲子园在运营；首个之外，「第二个点」于 2023-09 开园；拓点计划（计划中）：2025-06 前新增 1 个点"
    )


def test_a_plan_recorded_after_the_round_date_does_not_count(make_partner, policy):
    org = make_partner("晚计划")  # the fixture dates its plan in 2024; this one is recorded today
    org.expansion_plans.update(created_at=timezone.now())
    result = criterion_4(org)
    assert result.status == "not_met" and result.evidence["plans"] == []
    assert result.explanation == "没有计划中或进行中的拓点计划，也没有在运营的第二个亲子园"
    assert criterion_4(org, as_of=timezone.localdate()).status == "met"


def test_a_centre_opened_after_the_round_date_does_not_count(make_partner, make_centre, policy):
    org = make_partner("晚开园", plan=False)
    make_centre(org, "新园", datetime.date(2025, 3, 1))
    assert criterion_4(org).status == "not_met"
    assert criterion_4(org, as_of=datetime.date(2025, 3, 1)).status == "met"


def test_a_second_site_closed_by_the_date_no_longer_counts(make_partner, make_centre, policy):
    org = make_partner("关过园", plan=False)
    second = make_centre(org, "试点园", datetime.date(2022, 9, 5))
    second.closed_on = datetime.date(2023, 7, 31)
    second.save(update_fields=["closed_on"])
    assert criterion_4(org).status == "not_met"
    assert criterion_4(org, as_of=datetime.date(2023, 7, 30)).status == "met"


@pytest.mark.parametrize(
    ("rule", "plan_only", "site_only", "neither_says"),
    [
        (ExpansionRule.EITHER, "met", "met", "没有计划中或进行中的拓点计划，也没有在运营的第二个亲子园"),
        (ExpansionRule.PLAN, "met", "not_met", "没有计划中或进行中的拓点计划"),
        (ExpansionRule.SECOND_SITE, "not_met", "met", "没有在运营的第二个亲子园"),
    ],
)
def test_the_policy_chooses_what_counts_as_expanding(
    make_partner, make_centre, hub_admin, rule, plan_only, site_only, neither_says
):
    policy = policy_with(hub_admin, rule)
    with_plan = make_partner("只有计划")
    with_site = make_partner("只有第二个园", plan=False)
    make_centre(with_site, "第二个园", datetime.date(2023, 1, 1))
    neither = make_partner("都没有", plan=False)
    assert criterion_4(with_plan, policy=policy).status == plan_only
    assert criterion_4(with_site, policy=policy).status == site_only
    assert criterion_4(neither, policy=policy).explanation == neither_says
    assert evaluate(neither, policy=policy).snapshot()["policy"]["expansion_rule"] == rule


def test_a_hub_admin_sets_the_rule_as_a_new_policy_version(hub_admin, client_for, policy):
    client = client_for(hub_admin)
    response = client.post(
        reverse("mutualaid:policy_edit"),
        {
            "version": policy.version,
            "required": list(policy.required),
            "min_optional_met": 0,
            "project_months": 12,
            "min_rating": "meets_standard",
            "expansion_rule": ExpansionRule.SECOND_SITE,
            "note": "只认已开设的第二个亲子园",
        },
    )
    assert response.status_code == 302
    assert EligibilityPolicy.objects.current().expansion_rule == "second_site"
    policy.refresh_from_db()
    assert policy.expansion_rule == "either"
    html = client.get(reverse("mutualaid:policy")).content.decode()
    assert "条件 4 的认定方式： 仅在运营的第二个亲子园" in html


def test_awards_and_experiences_from_after_the_date_do_not_count(make_partner, policy):
    org = make_partner("后来的", award=False, endorsed=False)
    Award.objects.create(
        organisation=org, issuer="活力未来", year=2025, title="优秀", from_programme_funder=True
    )
    SharedExperience.objects.create(organisation=org, area="teaching", title="后来写的", text="...")
    evaluation = evaluate(org)
    assert evaluation.result("funder_award").status == "not_met"
    # Recorded today, the experience did not exist at the end of 2024: not even waiting then.
    assert evaluation.result("shared_experience").explanation == "尚未记录可分享经验"
    today = evaluate(org, as_of=timezone.localdate())
    assert today.result("funder_award").status == "met"
    assert today.result("shared_experience").explanation == "已记录 1 条可分享经验，尚待枢纽认可"


@pytest.mark.parametrize("size", [3, 30])
def test_judging_as_of_a_date_keeps_a_fixed_number_of_queries(
    make_partner, make_centre, policy, django_assert_num_queries, size
):
    for i in range(size):
        org = make_partner(f"机构{i:02d}")
        make_centre(org, f"机构{i:02d}第二园", datetime.date(2024 + i % 2, 3, 1))
        org.expansion_plans.create(planned_sites=1)  # recorded today: too late for the round
    # organisations + centres + assessments + awards + plans + experiences + help given
    with django_assert_num_queries(7):
        evaluations = evaluate_all(as_of=AS_OF, policy=policy)
    assert len(evaluations) == size
    assert (
        sum(e.result("expansion_plan").evidence["met_by"] == ["second_site", "plan"] for e in evaluations)
        == (size + 1) // 2
    )


def test_the_pioneers_meet_criterion_4_today_and_in_the_demo_2024_round_without_override(demo):
    review = ReviewRound.objects.get(name="2024 年度评审")
    results = {r.organisation.short_name: r for r in review.results.select_related("organisation")}
    for name in ["都安瑶山", "桂林现代", "柳州启航"]:
        (criterion,) = [c for c in results[name].snapshot["criteria"] if c["code"] == "expansion_plan"]
        assert criterion["status"] == "met" and criterion["evidence"]["met_by"] == ["second_site"], name
        assert "expansion_plan" not in results[name].missing
    # The plans for 2027 were recorded after the round's date.
    (yulin,) = [c for c in results["玉林春苗"].snapshot["criteria"] if c["code"] == "expansion_plan"]
    assert yulin["status"] == "not_met" and yulin["evidence"]["plans"] == []
    assert "有拓点计划或已开设第二个亲子园" in results["玉林春苗"].decision_note
    duan = Organisation.objects.filter(short_name="都安瑶山")
    (today,) = evaluate_all(duan, policy=EligibilityPolicy.objects.current())
    assert today.result("expansion_plan").status == "met"
    assert "「都安高岭社区亲子园」于 2024-03 开园" in today.result("expansion_plan").explanation
