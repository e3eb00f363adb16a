"""Validation rules as data: the expression language, the default rules against the demo's
contradictory 266/66/27 centre-month, the form's "check and submit", the submit step, the reviewer's
view of the reasons, and the rules' pages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from reports.actions import do_submit_report
from reports.choices import ReportStatus
from reports.models import MonthlyReport, ReportError, ReportValue, ValidationRule
from reports.tests.factories import FULL, form_data, make_report
from reports.validation import ExpressionError, evaluate, load_default_rules, parse, report_violations

# The demo centre-month of issue #13: 266 child visits, 66 distinct families, 27 children.
CONTRADICTORY = {
    **FULL,
    "days_open": 22,
    "child_visits": 266,
    "families_served": 66,
    "children_0_1": 7,
    "children_1_2": 11,
    "children_2_3": 9,
}


@pytest.fixture(autouse=True)
def rules(db):
    # A transactional test elsewhere may have flushed what the data migration loaded.
    load_default_rules(ValidationRule)
    return {rule.name: rule for rule in ValidationRule.objects.all()}


@pytest.fixture
def report(org_a, centre_a, month, partner):
    return MonthlyReport.start(org_a, month, by=partner)


# --- The expression language


def test_an_expression_reads_codes_numbers_and_arithmetic_with_parentheses():
    tree = parse("(children_0_1 + children_1_2) * days_open / 2 - 1")
    values = {"children_0_1": Decimal(3), "children_1_2": Decimal(5), "days_open": Decimal(10)}
    assert evaluate(tree, values) == Decimal(39)
    assert evaluate(parse("-families_served + 10"), {"families_served": Decimal(4)}) == Decimal(6)


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "child_visits.real",
        "max(child_visits, 3)",
        "child_visits ** 99",
        "child_visits if days_open else 0",
        "'text'",
        "child_visits < 3",
        "[child_visits]",
        "",
    ],
)
def test_anything_beyond_codes_numbers_and_four_operations_is_refused(text):
    with pytest.raises(ExpressionError):
        parse(text)


def test_a_missing_figure_or_a_division_by_zero_skips_the_rule():
    assert evaluate(parse("child_visits / days_open"), {"child_visits": Decimal(3)}) is None
    assert evaluate(parse("child_visits / days_open"), {"child_visits": Decimal(3), "days_open": 0}) is None


# --- The default rules


def test_the_default_rules_warn_about_the_demos_266_visits_66_families_and_27_children(
    org_a, centre_a, month, rules
):
    report = make_report(org_a, month, values=CONTRADICTORY)
    violations = report_violations(report)
    assert [(v.rule.name, v.is_error, v.unit) for v in violations] == [
        ("children_against_families", False, centre_a.pk)
    ]
    assert violations[0].figures() == "27 ≥ 33"
    assert "每个来园家庭至少带一个孩子" in violations[0].message


def test_the_default_rules_accept_consistent_figures(org_a, centre_a, month):
    assert report_violations(make_report(org_a, month)) == []


def test_more_families_than_child_visits_is_an_error(org_a, centre_a, month):
    report = make_report(org_a, month, values={**FULL, "child_visits": 50})
    (violation,) = report_violations(report)
    assert violation.rule.name == "families_within_visits" and violation.is_error


def test_a_rule_applies_only_to_the_months_it_is_valid_for(org_a, centre_a, month, rules):
    rule = rules["children_against_families"]
    rule.valid_until = datetime.date(2023, 12, 1)
    rule.save()
    assert report_violations(make_report(org_a, month, values=CONTRADICTORY)) == []


# --- The form's "check and submit" and the submit step


def test_check_and_submit_blocks_an_error_with_the_message_beside_the_figures(
    client_for, partner, report, centre_a
):
    data = form_data(report, {**FULL, "child_visits": 50})
    data["review"] = "1"
    response = client_for(partner).post(reverse("reports:edit", args=[report.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    for code in ("families_served", "child_visits"):
        assert f'id="c{centre_a.pk}__{code}-errors"' in html
    assert "服务家庭数（去重）不能多于儿童服务人次" in html
    assert "60 ≤ 50" in html
    assert not ReportValue.objects.filter(report=report).exists()


def test_a_draft_with_a_broken_rule_still_saves(client_for, partner, report, centre_a):
    data = form_data(report, {**FULL, "child_visits": 50})
    data["save"] = "1"
    response = client_for(partner).post(reverse("reports:edit", args=[report.pk]), data)
    assert response.status_code == 302
    assert ReportValue.objects.filter(report=report, indicator__code="child_visits").get().number == 50


def test_a_warning_needs_a_reason_that_the_reviewer_then_reads(
    client_for, partner, hub_staff, report, centre_a
):
    client = client_for(partner)
    data = form_data(report, CONTRADICTORY)
    data["review"] = "1"
    response = client.post(reverse("reports:edit", args=[report.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    name = f"reason__{ValidationRule.objects.get(name='children_against_families').pk}-{centre_a.pk}"
    assert f'name="{name}"' in html
    assert f'id="{name}-errors"' in html and "请说明这条警告的原因" in html
    assert not ReportValue.objects.filter(report=report).exists()

    data[name] = "本月有很多新来的家庭，孩子还没有登记。"
    response = client.post(reverse("reports:edit", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert [entry["reason"] for entry in report.warning_reasons] == ["本月有很多新来的家庭，孩子还没有登记。"]

    response = client.post(reverse("reports:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    html = client_for(hub_staff).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'id="warning-reasons"' in html
    assert "本月有很多新来的家庭，孩子还没有登记。" in html
    assert "27 ≥ 33" in html


def test_submitting_is_refused_while_a_warning_has_no_reason(org_a, centre_a, month, partner):
    report = make_report(org_a, month, values=CONTRADICTORY)
    with pytest.raises(ReportError) as refused:
        do_submit_report(report, by=partner)
    assert "每个来园家庭至少带一个孩子" in refused.value.message
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_submitting_is_refused_while_an_error_rule_fails(org_a, centre_a, month, partner):
    report = make_report(org_a, month, values={**FULL, "child_visits": 50})
    report.warning_reasons = [{"key": "anything", "reason": "有原因"}]
    with pytest.raises(ReportError) as refused:
        do_submit_report(report, by=partner)
    assert "60 ≤ 50" in refused.value.message
    assert MonthlyReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_the_form_carries_the_rules_for_the_browser(client_for, partner, report):
    html = client_for(partner).get(reverse("reports:edit", args=[report.pk])).content.decode()
    assert 'id="report-rules"' in html
    assert '"children_0_1"' in html and "reports/rules.js" in html


# --- The rules' pages


def _rule_data(**changes):
    return {
        "name": "classes_per_day",
        "scope": "centre",
        "left": "classes + activities",
        "operator": "<=",
        "right": "days_open * 10",
        "severity": "warning",
        "message_zh": "每天最多十次课和活动。",
        "message_en": "At most ten classes and activities a day.",
        "active": "on",
        "valid_from": "2018-01-01",
        **changes,
    }


def test_a_hub_admin_adds_a_rule_that_then_checks_reports(client_for, hub_admin, org_a, centre_a, month):
    response = client_for(hub_admin).post(reverse("reports:rule_create"), _rule_data())
    assert response.status_code == 302
    report = make_report(org_a, month, values={**FULL, "classes": 150, "activities": 100})
    assert [v.rule.name for v in report_violations(report)] == ["classes_per_day"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("left", "classes + lessons", "未知的数字：lessons"),
        ("right", "highlights * 2", "未知的数字：highlights"),
        ("right", "open(days_open)", "只能使用"),
    ],
)
def test_an_expression_with_an_unknown_code_is_refused_beside_the_field(
    client_for, hub_admin, field, value, message
):
    response = client_for(hub_admin).post(reverse("reports:rule_create"), _rule_data(**{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="{field}-errors"' in html and message in html
    assert not ValidationRule.objects.filter(name="classes_per_day").exists()


def test_the_rule_list_shows_each_rule_and_its_message(client_for, hub_staff):
    html = client_for(hub_staff).get(reverse("reports:rule_list")).content.decode()
    assert "families_served / 2" in html
    assert "每个来园家庭至少带一个孩子" in html


def test_the_migrations_frozen_rules_are_the_live_default_rules():
    # A change to the live defaults needs a new data migration for existing databases.
    import importlib

    from reports.validation import DEFAULT_RULES

    migration = importlib.import_module("reports.migrations.0009_validation_rules")
    assert migration.DEFAULT_RULES == DEFAULT_RULES
