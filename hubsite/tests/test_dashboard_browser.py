import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings, prefectures):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False
    from partners.models import User

    return {user.email: user for user in User.objects.all()}


@pytest.mark.parametrize("width", [1280, 375])
def test_the_hub_dashboard_shows_every_box_with_a_link(demo, page_factory, screenshot, width):
    page = page_factory(demo["staff@example.org"], width=width)
    page.goto(page.base_url + "/")
    for box in (
        "#waiting-count",
        "#missing-count",
        "#late-count",
        "#on-time-count",
        "#overdue-items",
        "#failed-reminders",
        "#panel-fortnight",
    ):
        assert page.locator(box).count() == 1, box
    screenshot(page, f"dashboard-hub-{width}")
    page.locator("#missing-count").click()
    page.wait_for_url("**/reports/grid/**")


def _expected_partner_home(partner):
    """What the partner's home must tell her, from the database: last month's report (due date, state,
    days overdue) and what her organisation still lacks for the mutual-aid group."""
    from django.utils import timezone, translation

    from mutualaid.criteria import evaluate_all
    from mutualaid.models import EligibilityPolicy
    from partners.models import Organisation
    from reports import periods
    from reports.models import MonthlyReport

    today = timezone.localdate()
    month = periods.add_months(periods.first_of(today), -1)
    due = periods.due_date(month)
    report = MonthlyReport.objects.filter(organisation=partner.organisation, month=month).first()
    handed_in = report is not None and report.first_submitted_at is not None
    with translation.override("zh-hans"):
        (evaluation,) = evaluate_all(
            Organisation.objects.filter(pk=partner.organisation_id),
            policy=EligibilityPolicy.objects.current(),
        )
        missing = [str(r.label) for r in evaluation.results if r.required and r.status != "met"]
        return {
            "heading": f"{month:%Y-%m} 月报",
            "due": f"截止日期：{due:%Y-%m-%d}。",
            "days_late": 0 if handed_in else max(0, (today - due).days),
            "state": str(report.get_status_display()) if report else "填写本月报",
            "missing": missing,
        }


def test_a_partner_home_shows_the_report_to_fill_and_the_checklist(demo, page_factory, screenshot):
    partner = demo["partner@example.org"]
    expected = _expected_partner_home(partner)
    page = page_factory(partner, width=375)
    page.goto(page.base_url + "/")
    report_box = page.locator(".card", has=page.get_by_role("heading", name=expected["heading"])).inner_text()
    assert expected["due"] in report_box
    assert expected["state"] in report_box
    if expected["days_late"]:
        assert f"已逾期 {expected['days_late']} 天" in report_box
    else:
        assert "已逾期" not in report_box
    checklist = page.inner_text("#mutualaid-panel")
    if expected["missing"]:
        assert f"还缺 {len(expected['missing'])} 项条件" in checklist
        for label in expected["missing"]:
            assert label in checklist
    else:
        assert "贵机构符合区域互助支持小组的入组政策" in checklist
    assert page.locator("#mutualaid-panel a", has_text="查看清单").count() == 1
    screenshot(page, "dashboard-partner-375")
