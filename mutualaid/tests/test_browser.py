"""In a real browser: the hub admin makes criterion 5 optional, re-runs the review, and the overview follows;
the director of org A sees its own checklist and what is still missing (on a phone)."""

import datetime

import pytest

from partners.choices import Rating
from partners.models import Award, ExpansionPlan, SharedExperience

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def give_facts(org, centre, *, award):
    centre.record_assessment(assessed_on=datetime.date(2024, 5, 3), rating=Rating.GOOD, assessor="枢纽")
    ExpansionPlan.objects.create(organisation=org, planned_sites=1)
    SharedExperience.objects.create(organisation=org, area="teaching", title="绘本共读", text="未认可")
    if award:
        Award.objects.create(
            organisation=org, issuer="活力未来", year=2023, title="优秀伙伴", from_programme_funder=True
        )


def test_policy_change_rerun_and_the_directors_checklist(
    page_factory, screenshot, hub_admin, hub_staff, director, org_a, org_b, centre_a, centre_b
):
    from mutualaid.models import EligibilityPolicy

    EligibilityPolicy.objects.current()
    org_a.project_started_on = org_b.project_started_on = datetime.date(2021, 3, 1)
    org_a.save()
    org_b.save()
    give_facts(org_b, centre_b, award=True)  # misses only criterion 5
    give_facts(org_a, centre_a, award=False)  # misses criteria 3 and 5

    # The hub admin makes criterion 5 optional: a new policy version.
    admin = page_factory(hub_admin)
    admin.goto(f"{admin.base_url}/mutual-aid/policy/edit/")
    admin.uncheck("input[name=required][value=shared_experience]")
    admin.fill("textarea[name=note]", "经验分享改为加分项")
    admin.click("main form [type=submit]")
    admin.wait_for_url("**/mutual-aid/policy/")
    assert admin.inner_text("#policy-version") == "v2"
    screenshot(admin, "mutualaid-policy-v2")

    # Hub staff re-run the review; the round and the overview show the new result and version.
    staff = page_factory(hub_staff)
    staff.goto(f"{staff.base_url}/mutual-aid/eligibility/")
    assert "按第 2 版政策" in staff.inner_text("#summary")
    staff.goto(f"{staff.base_url}/mutual-aid/reviews/run/")
    staff.fill("input[name=name]", "2024 年度评审（重新评审）")
    staff.click("main form [type=submit]")
    staff.wait_for_url("**/mutual-aid/reviews/*/")
    assert "政策第 2 版" in staff.inner_text("#round-meta")
    assert "符合" in staff.inner_text(f"#results tr[data-org='{org_b.pk}']")
    screenshot(staff, "mutualaid-round-policy-v2")
    staff.goto(f"{staff.base_url}/mutual-aid/eligibility/")
    row = staff.locator(f"#overview tr[data-org='{org_b.pk}']")
    assert "符合" in row.locator("td.overall").inner_text()
    row_a = staff.locator(f"#overview tr[data-org='{org_a.pk}']")
    assert "缺 1 项" in row_a.locator("td.overall").inner_text()
    row_a.locator("details").nth(2).locator("summary").click()
    assert row_a.locator("details").nth(2).locator("div").is_visible()
    screenshot(staff, "mutualaid-overview-policy-v2")

    # The director of org A sees its own checklist and what is missing, on a phone.
    phone = page_factory(director, width=375, height=800)
    phone.goto(f"{phone.base_url}/mutual-aid/eligibility/mine/")
    assert phone.url.endswith(f"/mutual-aid/eligibility/{org_a.pk}/")
    missing = phone.inner_text("#missing")
    assert "尚未获得项目资助方（活力未来）颁奖" in missing
    assert "可分享经验" not in missing  # optional now
    screenshot(phone, "mutualaid-director-checklist-phone")
    response = phone.goto(f"{phone.base_url}/mutual-aid/eligibility/{org_b.pk}/")
    assert response.status == 404
