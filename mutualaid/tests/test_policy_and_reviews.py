"""Policy versions, review rounds kept as snapshots, decisions, membership and the yearly re-check."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mutualaid.actions import do_change_policy, do_decide, do_end_membership, do_run_review
from mutualaid.choices import Decision, ExpansionRule, RoundKind
from mutualaid.models import EligibilityPolicy, ImmutableError, Membership, ReviewResult
from partners.choices import Rating

AS_OF = datetime.date(2024, 12, 31)


def make_criterion_5_optional(client, version):
    return client.post(
        reverse("mutualaid:policy_edit"),
        {
            "version": version,
            "required": ["project_year", "first_centre_rating", "funder_award", "expansion_plan"],
            "min_optional_met": 0,
            "project_months": 12,
            "min_rating": Rating.MEETS_STANDARD,
            "expansion_rule": ExpansionRule.EITHER,
            "note": "经验分享改为加分项",
        },
    )


def test_a_hub_admin_change_creates_a_new_version_and_keeps_the_old_one(hub_admin, client_for, policy):
    response = make_criterion_5_optional(client_for(hub_admin), policy.version)
    assert response.status_code == 302
    assert list(EligibilityPolicy.objects.values_list("version", flat=True)) == [2, 1]
    new = EligibilityPolicy.objects.current()
    assert new.optional == ["shared_experience"]
    assert new.created_by == hub_admin
    policy.refresh_from_db()
    assert policy.required == [
        "project_year",
        "first_centre_rating",
        "funder_award",
        "expansion_plan",
        "shared_experience",
    ]


def test_a_policy_version_cannot_be_edited_in_place(policy):
    policy.min_optional_met = 1
    with pytest.raises(ImmutableError):
        policy.save()


def test_a_stale_policy_form_is_refused_and_nothing_is_saved(hub_admin, client_for, policy):
    client = client_for(hub_admin)
    make_criterion_5_optional(client, policy.version)
    response = make_criterion_5_optional(client, policy.version)  # loaded before the first change
    assert response.status_code == 409
    assert response.context["form"].non_field_errors() == [
        "您打开此页面后，已有其他人修改了这条记录。您的修改未保存：请刷新页面查看最新内容，再重新修改。"
    ]
    assert "已有其他人修改了这条记录" in response.content.decode()
    assert EligibilityPolicy.objects.count() == 2


def test_more_optional_criteria_than_exist_is_refused_next_to_the_field(hub_admin, client_for, policy):
    response = client_for(hub_admin).post(
        reverse("mutualaid:policy_edit"),
        {
            "version": policy.version,
            "required": ["project_year"] * 1,
            "min_optional_met": 5,
            "project_months": 12,
            "min_rating": "good",
            "note": "x",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["min_optional_met"] == ["只有 4 项可选条件。"]
    assert EligibilityPolicy.objects.count() == 1


def test_only_hub_admins_publish_a_policy(hub_admin, hub_staff, director, client_for, policy):
    # Hub staff and partners are refused and nothing is saved; the same form from a hub admin works,
    # so the refusal is about the person, not the data.
    for person in (hub_staff, director):
        assert make_criterion_5_optional(client_for(person), policy.version).status_code == 403
        assert list(EligibilityPolicy.objects.values_list("version", flat=True)) == [1]
    assert make_criterion_5_optional(client_for(hub_admin), policy.version).status_code == 302
    assert list(EligibilityPolicy.objects.values_list("version", flat=True)) == [2, 1]


def test_hub_staff_see_the_policy_without_the_change_button(hub_admin, hub_staff, client_for, policy):
    edit_url = reverse("mutualaid:policy_edit")
    staff_page = client_for(hub_staff).get(reverse("mutualaid:policy"))
    assert staff_page.status_code == 200 and edit_url not in staff_page.content.decode()
    assert client_for(hub_staff).get(edit_url).status_code == 403
    admin_page = client_for(hub_admin).get(reverse("mutualaid:policy"))
    assert edit_url in admin_page.content.decode()


def test_the_policy_action_refuses_hub_staff_whoever_calls_it(hub_staff, policy):
    with pytest.raises(PermissionDenied):
        do_change_policy(
            by=hub_staff,
            expected_version=policy.version,
            required=["project_year"],
            min_optional_met=0,
            project_months=12,
            min_rating=Rating.MEETS_STANDARD,
            expansion_rule=ExpansionRule.EITHER,
            note="",
        )
    assert EligibilityPolicy.objects.count() == 1


def test_a_review_round_stores_snapshots_that_are_not_recomputed(make_partner, hub_staff, policy):
    org = make_partner("都安瑶山", endorsed=False)
    review = do_run_review(by=hub_staff, as_of=AS_OF, name="2024 年度评审", cohort="2024")
    result = review.results.get(organisation=org)
    assert review.policy == policy
    assert not result.qualifies and result.missing == ["shared_experience"]
    assert result.snapshot["policy"]["version"] == 1
    assert result.snapshot["criteria"][4]["explanation"] == "尚未记录可分享经验"
    # The organisation improves later: the stored round does not change.
    experience = org.experiences.create(area="teaching", title="绘本共读", text="...")
    experience.endorse(hub_staff)
    result.refresh_from_db()
    assert not result.qualifies and result.snapshot["criteria"][4]["status"] == "not_met"
    result.qualifies = True
    with pytest.raises(ImmutableError):
        result.save()


def test_rerunning_after_a_policy_change_records_the_new_version(make_partner, hub_staff, hub_admin, policy):
    org = make_partner("都安瑶山", endorsed=False)
    do_run_review(by=hub_staff, as_of=AS_OF, name="第一次", cohort="2024")
    do_change_policy(
        by=hub_admin,
        expected_version=1,
        required=["project_year", "first_centre_rating", "funder_award", "expansion_plan"],
        min_optional_met=0,
        project_months=12,
        min_rating=Rating.MEETS_STANDARD,
        expansion_rule=ExpansionRule.EITHER,
        note="",
    )
    second = do_run_review(by=hub_staff, as_of=AS_OF, name="第二次", cohort="2024")
    assert second.policy.version == 2
    assert second.results.get(organisation=org).qualifies
    assert ReviewResult.objects.filter(organisation=org, qualifies=False).count() == 1


def test_admitting_opens_a_membership_and_deciding_twice_is_refused(make_partner, hub_staff, policy):
    org = make_partner("桂林现代促进会")
    review = do_run_review(by=hub_staff, as_of=AS_OF, name="2024", cohort="2024")
    result = review.results.get(organisation=org)
    do_decide(
        result_id=result.pk,
        by=hub_staff,
        decision=Decision.ADMITTED,
        note="",
        joined_on=datetime.date(2025, 1, 1),
    )
    membership = Membership.objects.get(organisation=org)
    assert (membership.cohort, membership.joined_on, membership.admitted_in) == (
        "2024",
        datetime.date(2025, 1, 1),
        result,
    )
    with pytest.raises(ValidationError):
        do_decide(result_id=result.pk, by=hub_staff, decision=Decision.DECLINED, note="改主意")
    assert Membership.objects.count() == 1


def test_admitting_an_organisation_that_missed_the_policy_needs_a_note(
    make_partner, hub_staff, client_for, policy
):
    org = make_partner("差一项", award=False)
    review = do_run_review(by=hub_staff, as_of=AS_OF, name="2024", cohort="2024")
    result = review.results.get(organisation=org)
    response = client_for(hub_staff).post(
        reverse("mutualaid:decide", args=[result.pk]), {"decision": "admitted", "note": ""}
    )
    assert response.status_code == 200
    assert "请说明接纳的理由" in response.content.decode()
    assert not Membership.objects.exists()
    result.refresh_from_db()
    assert result.decision == Decision.PENDING


def test_declining_records_the_note_the_organisation_will_read(make_partner, hub_staff, client_for, policy):
    org = make_partner("差一项", award=False)
    review = do_run_review(by=hub_staff, as_of=AS_OF, name="2024", cohort="2024")
    result = review.results.get(organisation=org)
    response = client_for(hub_staff).post(
        reverse("mutualaid:decide", args=[result.pk]), {"decision": "declined", "note": "明年再评"}
    )
    assert response.status_code == 302
    result.refresh_from_db()
    assert (result.decision, result.decision_note, result.decided_by) == (
        Decision.DECLINED,
        "明年再评",
        hub_staff,
    )


def test_the_yearly_recheck_flags_members_that_no_longer_qualify_without_removing_them(
    make_partner, member, hub_staff, policy
):
    still = make_partner("仍符合")
    slipped = make_partner("不再符合")
    make_partner("非成员", award=False)
    member(still)
    member(slipped)
    slipped.expansion_plans.update(status="done")
    review = do_run_review(
        by=hub_staff,
        as_of=datetime.date(2025, 12, 31),
        name="2025 复核",
        cohort="2024",
        kind=RoundKind.RECHECK,
    )
    flagged = {r.organisation.name: r.flagged for r in review.results.select_related("organisation")}
    assert flagged == {"仍符合": False, "不再符合": True}
    assert Membership.objects.current(datetime.date(2026, 1, 1)).count() == 2


def test_review_notes_of_another_organisation_are_not_shown_to_partners(
    org_a, org_b, hub_staff, other, client_for, policy
):
    review = do_run_review(by=hub_staff, as_of=AS_OF, name="2024", cohort="2024")
    result = review.results.get(organisation=org_a)
    do_decide(result_id=result.pk, by=hub_staff, decision=Decision.DECLINED, note="内部评语：负责人变动")
    html = client_for(other).get(reverse("mutualaid:checklist", args=[org_b.pk])).content.decode()
    assert "内部评语" not in html
    assert ReviewResult.objects.for_user(other).filter(organisation=org_a).count() == 0


def test_ending_a_membership_keeps_the_period(make_partner, member, hub_staff, policy):
    membership = member(make_partner("退出机构"))
    with pytest.raises(ValidationError):
        do_end_membership(
            membership_id=membership.pk, by=hub_staff, left_on=datetime.date(2023, 1, 1), reason="x"
        )
    do_end_membership(
        membership_id=membership.pk, by=hub_staff, left_on=datetime.date(2025, 6, 30), reason="机构暂停"
    )
    membership.refresh_from_db()
    assert membership.left_on == datetime.date(2025, 6, 30)
    assert not membership.is_current(datetime.date(2025, 7, 1))


def test_the_round_page_shows_the_snapshot_with_its_policy_version(
    make_partner, hub_staff, client_for, policy
):
    make_partner("都安瑶山", award=False)
    review = do_run_review(by=hub_staff, as_of=AS_OF, name="2024 年度评审", cohort="2024")
    html = client_for(hub_staff).get(review.get_absolute_url()).content.decode()
    assert "政策第 1 版" in html and "尚未获得项目资助方（活力未来）颁奖" in html
