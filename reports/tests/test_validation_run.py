"""The network-wide run: every violation of the rules in handed-in past reports, filtered and paged,
at a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from reports.choices import ReportStatus
from reports.models import ValidationRule
from reports.tests.factories import FULL, make_report, submitted
from reports.validation import load_default_rules, network_run

BROKEN = {**FULL, "child_visits": 50}  # 60 families cannot have made 50 child visits


@pytest.fixture(autouse=True)
def rules(db):
    load_default_rules(ValidationRule)
    return {rule.name: rule for rule in ValidationRule.objects.all()}


def test_the_run_lists_each_broken_rule_of_handed_in_reports_only(org_a, org_b, centre_a, centre_b, rules):
    submitted(org_a, datetime.date(2024, 1, 1), values=BROKEN)
    submitted(org_a, datetime.date(2024, 2, 1))  # consistent
    make_report(org_b, datetime.date(2024, 1, 1), values=BROKEN)  # a draft: not handed in
    make_report(org_b, datetime.date(2024, 2, 1), values=BROKEN, status=ReportStatus.APPROVED)
    found = network_run(
        ValidationRule.objects.all(), first=datetime.date(2024, 1, 1), last=datetime.date(2024, 12, 1)
    )
    assert [(v.organisation_id, v.month, v.centre_id, v.rule.name, v.figures()) for v in found] == [
        (org_b.pk, datetime.date(2024, 2, 1), centre_b.pk, "families_within_visits", "60 ≤ 50"),
        (org_a.pk, datetime.date(2024, 1, 1), centre_a.pk, "families_within_visits", "60 ≤ 50"),
    ]


def test_the_page_filters_by_organisation_rule_and_months(
    client_for, hub_staff, org_a, org_b, centre_a, centre_b
):
    submitted(org_a, datetime.date(2024, 1, 1), values=BROKEN)
    submitted(
        org_b,
        datetime.date(2024, 1, 1),
        values={**FULL, "children_0_1": 1, "children_1_2": 1, "children_2_3": 10},
    )
    submitted(org_b, datetime.date(2023, 6, 1), values=BROKEN)
    client = client_for(hub_staff)
    url = reverse("reports:rule_violations")

    html = client.get(url, {"first": "2024-01", "last": "2024-12"}).content.decode()
    assert org_a.name in html and org_b.name in html
    assert "60 ≤ 50" in html and "12 ≥ 30" in html
    assert "2023-06" not in html

    html = client.get(url, {"first": "2024-01", "last": "2024-12", "q": org_b.name}).content.decode()
    assert "12 ≥ 30" in html and "60 ≤ 50" not in html

    rule = ValidationRule.objects.get(name="families_within_visits")
    html = client.get(url, {"first": "2023-01", "last": "2024-12", "rule": rule.pk}).content.decode()
    assert html.count("60 ≤ 50") == 2 and "12 ≥ 30" not in html


def test_a_range_of_more_than_seven_years_is_refused_beside_the_field(client_for, hub_staff):
    html = (
        client_for(hub_staff)
        .get(reverse("reports:rule_violations"), {"first": "2010-01", "last": "2024-12"})
        .content.decode()
    )
    assert "最多选择七年" in html


@pytest.mark.parametrize("size", [1, 5])
def test_the_run_page_runs_a_fixed_number_of_queries(
    size, client_for, hub_staff, org_a, centre_a, make_centre, django_assert_num_queries
):
    for n in range(size - 1):
        make_centre(org_a, f"新园{n}", datetime.date(2023, 1, 1))
    for month in range(1, size + 1):
        submitted(org_a, datetime.date(2024, month, 1), values=BROKEN)
    client = client_for(hub_staff)
    # session, user, rules, the figures, the page's organisations and centres
    with django_assert_num_queries(6):
        response = client.get(reverse("reports:rule_violations"), {"first": "2024-01", "last": "2024-12"})
    assert response.content.decode().count("60 ≤ 50") == size * size


def test_the_sql_run_skips_a_division_by_zero_and_knows_every_operator(org_a, centre_a):
    for name, left, op, right in [
        (
            "per_day",
            "classes / days_open",
            "<=",
            "1",
        ),
        (
            "same_activities",
            "activities",
            "==",
            "classes",
        ),
        ("not_four", "activities", "!=", "4"),
        ("under_ten", "activities", "<", "10"),
    ]:
        ValidationRule.objects.create(
            name=name, left=left, operator=op, right=right, message_zh="测试", message_en="Test"
        )
    submitted(org_a, datetime.date(2024, 1, 1), values={**FULL, "days_open": 0})
    submitted(org_a, datetime.date(2024, 2, 1), values={**FULL, "days_open": 4, "activities": 12})
    found = network_run(
        ValidationRule.objects.filter(name__in=["per_day", "same_activities", "not_four", "under_ten"]),
        first=datetime.date(2024, 1, 1),
        last=datetime.date(2024, 2, 1),
    )
    assert sorted((v.month.month, v.rule.name, v.figures()) for v in found) == [
        (1, "not_four", "4 ≠ 4"),
        (1, "same_activities", "4 = 8"),
        (2, "per_day", "2 ≤ 1"),
        (2, "same_activities", "12 = 8"),
        (2, "under_ten", "12 < 10"),
    ]
