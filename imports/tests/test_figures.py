import datetime

import pytest

from imports.choices import RowAction, RunStatus
from reports.choices import EventAction, ReportStatus
from reports.models import MonthlyReport, ReportValue
from reports.tests.factories import make_report

HEADER = ["伙伴机构", "月份", "亲子园", "指标代码", "数值"]
REQUIRED = {
    "days_open": "20",
    "classes": "8",
    "activities": "4",
    "child_visits": "120",
    "families_served": "30",
}


def month_rows(org, centre, month="2023-05", **overrides):
    figures = {**REQUIRED, **overrides}
    rows = [[org.name, month, centre.name, code, value] for code, value in figures.items()]
    return [*rows, [org.short_name, month, "", "highlights", "开展了绘本共读"]]


@pytest.fixture
def rows(org_a, centre_a):
    return month_rows(org_a, centre_a) + month_rows(org_a, centre_a, "2023-06", child_visits="140")


def test_past_figures_enter_as_approved_reports_with_their_source(
    import_sheet, rows, org_a, centre_a, hub_staff
):
    run = import_sheet("figures", HEADER, rows)

    assert run.status == RunStatus.DONE, (run.file_errors, run.preview)
    assert run.created == len(rows)
    may = MonthlyReport.objects.get(organisation=org_a, month=datetime.date(2023, 5, 1))
    assert may.status == ReportStatus.APPROVED
    assert may.reviewed_by == hub_staff
    visits = ReportValue.objects.get(
        report__month=datetime.date(2023, 6, 1), centre=centre_a, indicator__code="child_visits"
    )
    assert visits.number == 140
    approval = may.events.get(action=EventAction.APPROVED)
    assert approval.comment == "由 枢纽同工 从「sheet.csv」导入。"
    # The same steps as a report typed in the site, each in the history.
    assert list(may.events.order_by("pk").values_list("action", flat=True)) == [
        EventAction.CREATED,
        EventAction.SAVED,
        EventAction.SUBMITTED,
        EventAction.APPROVED,
    ]


def test_a_second_run_of_the_same_sheet_changes_nothing(import_sheet, rows, org_a):
    import_sheet("figures", HEADER, rows)
    counts = (MonthlyReport.objects.count(), ReportValue.objects.count())

    again = import_sheet("figures", HEADER, rows)

    assert again.status == RunStatus.DONE
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))
    assert (MonthlyReport.objects.count(), ReportValue.objects.count()) == counts


def test_a_sheet_with_one_bad_value_saves_nothing_and_names_the_row_and_the_field(upload, rows):
    rows[9][4] = "999999"  # 2023-06 child visits, above the indicator's bound

    run = upload("figures", HEADER, rows)

    assert run.status == RunStatus.INVALID
    assert run.errors == 1
    bad = next(row for row in run.preview if row["action"] == RowAction.ERROR)
    assert bad["row"] == 11
    assert bad["errors"] == ["第 11 行：都安县城亲子园 儿童服务人次：请输入不大于 20000 的数值。"]
    assert not MonthlyReport.objects.exists()


def test_a_month_without_its_required_figures_is_refused_as_on_submit(upload, org_a, centre_a):
    rows = [row for row in month_rows(org_a, centre_a) if row[3] != "classes"]

    run = upload("figures", HEADER, rows)

    assert run.status == RunStatus.INVALID
    assert run.preview[0]["errors"] == ["第 2 行：都安县城亲子园 亲子课：此项为必填项。"]


def test_the_within_rule_of_the_report_form_holds(upload, org_a, centre_a):
    rows = month_rows(org_a, centre_a, child_visits="10", children_0_1="8", children_1_2="5")

    run = upload("figures", HEADER, rows)

    assert run.status == RunStatus.INVALID
    assert any("不能超过" in error for row in run.preview for error in row["errors"])


def test_an_approved_month_with_other_figures_is_an_error_not_an_overwrite(
    import_sheet, upload, org_a, centre_a, hub_staff, partner
):
    import_sheet("figures", HEADER, month_rows(org_a, centre_a))

    run = upload("figures", HEADER, month_rows(org_a, centre_a, child_visits="121"))

    assert run.status == RunStatus.INVALID
    errors = [e for row in run.preview for e in row["errors"]]
    assert errors == [
        "第 5 行：都安瑶山 2023-05 的月报在平台中已是“已通过”，已存数值为 120，表格中为 121；导入不会覆盖它。"
    ]
    assert ReportValue.objects.get(indicator__code="child_visits").number == 120


def test_a_month_being_filled_in_on_the_platform_is_left_alone(upload, org_a, centre_a):
    make_report(org_a, datetime.date(2023, 5, 1))

    run = upload("figures", HEADER, month_rows(org_a, centre_a))

    assert run.status == RunStatus.INVALID
    assert "正在平台中填写" in run.preview[0]["errors"][0]


def test_rows_that_do_not_fit_the_network_are_named(upload, org_a, centre_a):
    rows = [
        [org_a.name, "2022-03", centre_a.name, "child_visits", "5"],  # before the centre opened
        [org_a.name, "2023-05", "", "child_visits", "5"],  # a centre figure without a centre
        [org_a.name, "2023-05", centre_a.name, "no_such_code", "5"],
        [org_a.name, "2023-13", centre_a.name, "child_visits", "5"],
        [org_a.name, "2099-01", centre_a.name, "child_visits", "5"],
    ]

    run = upload("figures", HEADER, rows)

    errors = [row["errors"][0] for row in run.preview]
    assert errors[0] == "第 2 行：亲子园「都安县城亲子园」在 2022-03 未运营"
    assert errors[1] == "第 3 行：child_visits 是按亲子园填报的数据：请填写亲子园。"
    assert errors[2] == "第 4 行：指标代码「no_such_code」不存在"
    assert errors[3].startswith("第 5 行：月份：")
    assert errors[4].startswith("第 6 行：月份：")


@pytest.fixture
def rules(db):
    from reports.models import ValidationRule
    from reports.validation import load_default_rules

    load_default_rules(ValidationRule)


def test_a_broken_error_rule_names_each_row_it_reads_and_saves_nothing(upload, rules, org_a, centre_a):
    run = upload("figures", HEADER, month_rows(org_a, centre_a, families_served="200"))

    assert run.status == RunStatus.INVALID
    rows = {row["row"]: row["errors"] for row in run.preview if row["errors"]}
    # child_visits is row 5, families_served row 6
    assert set(rows) == {5, 6}
    assert rows[6][0].startswith("第 6 行：都安县城亲子园: 每个来过的家庭至少带孩子来过一次")
    assert rows[6][0].endswith("(200 <= 120)") or "200" in rows[6][0]
    assert not MonthlyReport.objects.exists()


def test_a_broken_warning_rule_is_shown_and_kept_with_the_import_as_its_reason(
    import_sheet, upload, rules, org_a, centre_a
):
    rows = month_rows(org_a, centre_a, children_0_1="5", children_1_2="3", children_2_3="2")

    preview = upload("figures", HEADER, rows)

    assert preview.status == RunStatus.READY
    warnings = [w for row in preview.preview for w in row["warnings"]]
    assert len(warnings) == 1 and "每个来园家庭至少带一个孩子" in warnings[0]

    run = import_sheet("figures", HEADER, rows)

    report = MonthlyReport.objects.get(organisation=org_a)
    assert (run.status, report.status) == (RunStatus.DONE, ReportStatus.APPROVED)
    [kept] = report.warning_reasons
    assert kept["reason"] == "历史数据，按原样从「sheet.csv」导入。"
