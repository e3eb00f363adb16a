"""Each criterion explains itself: met / not met / unknown, with evidence and a sentence in Chinese."""

import datetime

from django.utils import timezone

from mutualaid.choices import ExpansionRule
from mutualaid.criteria import evaluate_all
from mutualaid.models import EligibilityPolicy
from partners.choices import ExpansionStatus, Rating
from partners.models import Organisation

AS_OF = datetime.date(2024, 12, 31)
# Plans and experiences count from the day they were recorded; tests that add one date it before AS_OF.
RECORDED = timezone.make_aware(datetime.datetime(2024, 6, 1, 9, 0))


def evaluate(org, as_of=AS_OF, policy=None):
    (evaluation,) = evaluate_all(Organisation.objects.filter(pk=org.pk), as_of=as_of, policy=policy)
    return evaluation


def test_a_partner_meeting_everything_qualifies_with_evidence(make_partner, policy):
    evaluation = evaluate(make_partner("都安瑶山社会工作服务中心"))
    assert evaluation.qualifies
    assert [r.status for r in evaluation.results] == ["met"] * 5
    project = evaluation.result("project_year")
    assert project.explanation == "0-3 项目自 2020-03 起运行，已满 1 年"
    assert project.evidence["start"] == "2020-03-01"
    rating = evaluation.result("first_centre_rating")
    assert rating.explanation == "首个亲子园「都安瑶山社会工作服务中心亲子园」最近评估为 良好 (2024-05)"
    assert rating.evidence["assessment"]["rating"] == "good"
    assert evaluation.snapshot()["policy"]["version"] == policy.version


def test_project_year_falls_back_to_the_first_centre_and_counts_to_the_evaluation_date(make_partner, policy):
    org = make_partner(
        "新机构", started=None, centre_opened=datetime.date(2024, 3, 1), rated_on=datetime.date(2024, 6, 1)
    )
    result = evaluate(org).result("project_year")
    assert result.status == "not_met"
    assert result.evidence["source"] == "first_centre_opened_on"
    assert "2024-03（首个亲子园开园）" in result.explanation and "未满 1 年" in result.explanation
    assert evaluate(org, as_of=datetime.date(2025, 3, 1)).result("project_year").status == "met"


def test_project_year_is_unknown_without_any_date(make_partner, policy):
    org = make_partner("空机构", started=None, centre_opened=None)
    result = evaluate(org).result("project_year")
    assert result.status == "unknown"
    assert result.explanation == "未记录 0-3 项目开始日期，也没有已开园的亲子园。"


def test_first_centre_rating_uses_the_latest_assessment_as_of_the_date(make_partner, policy):
    org = make_partner("待改进机构", rating=Rating.NEEDS_IMPROVEMENT, rated_on=datetime.date(2024, 5, 3))
    centre = org.centres.get()
    centre.record_assessment(assessed_on=datetime.date(2025, 2, 1), rating=Rating.EXCELLENT)
    result = evaluate(org).result("first_centre_rating")
    assert result.status == "not_met"
    assert "最近评估为 待改进 (2024-05)" in result.explanation
    assert "需达到 达标 或以上" in result.explanation
    # A later assessment counts only for a later evaluation date.
    assert evaluate(org, as_of=datetime.date(2025, 3, 1)).result("first_centre_rating").status == "met"


def test_first_centre_is_the_earliest_opened_one_and_unrated_means_unknown(make_partner, make_centre, policy):
    org = make_partner("两个点", rating=None)
    second = make_centre(org, "第二个点", datetime.date(2022, 1, 1))
    second.record_assessment(assessed_on=datetime.date(2024, 1, 1), rating=Rating.EXCELLENT)
    result = evaluate(org).result("first_centre_rating")
    assert result.status == "unknown"
    assert result.evidence["centre"]["name"] == "两个点亲子园"


def test_funder_award_plan_and_experience_not_met_say_what_is_missing(make_partner, policy):
    org = make_partner("缺三项", award=False, plan=False, endorsed=False)
    evaluation = evaluate(org)
    assert evaluation.result("funder_award").explanation == "尚未获得项目资助方（活力未来）颁奖"
    assert (
        evaluation.result("expansion_plan").explanation
        == "没有计划中或进行中的拓点计划，也没有在运营的第二个亲子园"
    )
    assert evaluation.result("shared_experience").explanation == "尚未记录可分享经验"
    assert evaluation.missing == ["funder_award", "expansion_plan", "shared_experience"]
    assert evaluation.missing_count == 3


def test_a_finished_plan_or_an_unendorsed_experience_does_not_count(make_partner, policy):
    from partners.models import SharedExperience

    org = make_partner("计划完成", endorsed=False)
    org.expansion_plans.update(status=ExpansionStatus.DONE)
    SharedExperience.objects.create(organisation=org, area="operations", title="排班", text="...")
    org.experiences.update(created_at=RECORDED)
    evaluation = evaluate(org)
    assert evaluation.result("expansion_plan").status == "not_met"
    assert evaluation.result("shared_experience").explanation == "已记录 1 条可分享经验，尚待枢纽认可"


def test_an_endorsement_after_the_evaluation_date_does_not_count(make_partner, policy):
    org = make_partner("晚认可")
    org.experiences.update(endorsed_at=timezone.make_aware(datetime.datetime(2025, 2, 1)))
    assert evaluate(org).result("shared_experience").status == "not_met"
    assert evaluate(org, as_of=datetime.date(2025, 3, 1)).result("shared_experience").status == "met"


def test_optional_criteria_count_towards_the_minimum(make_partner, hub_admin):
    from mutualaid.actions import do_change_policy

    org = make_partner("无经验", endorsed=False, plan=False)
    policy = do_change_policy(
        by=hub_admin,
        expected_version=EligibilityPolicy.objects.current().version,
        required=["project_year", "first_centre_rating", "funder_award"],
        min_optional_met=1,
        project_months=12,
        min_rating=Rating.MEETS_STANDARD,
        expansion_rule=ExpansionRule.EITHER,
        note="",
    )
    evaluation = evaluate(org, policy=policy)
    assert evaluation.missing == []
    assert evaluation.optional_shortfall == 1
    assert not evaluation.qualifies
    org.expansion_plans.create(planned_sites=2)
    org.expansion_plans.update(created_at=RECORDED)
    assert evaluate(org, policy=policy).qualifies
