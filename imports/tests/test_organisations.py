import datetime

from imports.choices import RowAction, RunStatus
from partners.choices import DevelopmentStage, OrganisationStatus
from partners.models import Organisation, OrganisationStatusChange

HEADER = ["机构全称", "简称", "地市", "状态", "合作起始日期", "发展阶段", "对外联系人"]
ROWS = [
    ["柳州启航社会工作服务中心", "柳州启航", "柳州市", "合作中", "2022-06-01", "初创期", "覃老师"],
    ["百色田东晨曦社工站", "田东晨曦", "451000", "合作中", "2023-01-01", "萌芽期", ""],
]


def test_a_sheet_of_organisations_imports_and_a_second_run_changes_nothing(import_sheet, prefectures):
    first = import_sheet("organisations", HEADER, ROWS)

    assert first.status == RunStatus.DONE, (first.file_errors, first.preview)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    liuzhou = Organisation.objects.get(name="柳州启航社会工作服务中心")
    assert liuzhou.prefecture.code == "450200"
    assert liuzhou.status == OrganisationStatus.ACTIVE
    assert liuzhou.joined_on == datetime.date(2022, 6, 1)
    assert liuzhou.stage == DevelopmentStage.STARTUP
    assert Organisation.objects.get(short_name="田东晨曦").prefecture.name == "百色市"

    second = import_sheet("organisations", HEADER, ROWS)

    assert second.status == RunStatus.DONE
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert Organisation.objects.filter(name__in=[row[0] for row in ROWS]).count() == 2


def test_a_sheet_with_one_bad_row_saves_nothing_and_names_the_row_and_the_field(upload, prefectures):
    rows = [*ROWS, ["梧州乐童", "", "火星市", "合作中", "", "", ""]]

    run = upload("organisations", HEADER, rows)

    assert run.status == RunStatus.INVALID
    assert run.errors == 1
    bad = run.preview[2]
    assert bad["action"] == RowAction.ERROR
    assert bad["errors"] == ["第 4 行：地市「火星市」不存在"]
    assert not Organisation.objects.filter(is_hub=False).exists()


def test_an_update_shows_each_changed_field_old_and_new_and_keeps_empty_cells(import_sheet, upload, org_a):
    run = upload(
        "organisations",
        ["机构全称", "对外联系人", "联系电话", "发展阶段"],
        [[org_a.name, "韦主任", "", "发展期"]],
    )

    assert run.status == RunStatus.READY
    row = run.preview[0]
    assert row["action"] == RowAction.CHANGED
    assert ["对外联系人", "韦老师", "韦主任"] in row["changes"]
    assert ["发展阶段", "初创期", "发展期"] in row["changes"]
    from .conftest import confirm_and_run

    confirm_and_run(run, run.uploaded_by)
    org_a.refresh_from_db()
    assert (org_a.contact_name, org_a.contact_phone) == ("韦主任", "0778-0000000")
    assert org_a.stage == DevelopmentStage.GROWING


def test_a_status_change_goes_through_the_lifecycle_and_keeps_its_history(import_sheet, org_a, hub_staff):
    run = import_sheet("organisations", ["机构全称", "状态"], [[org_a.name, "暂停"]])

    assert run.status == RunStatus.DONE
    change = OrganisationStatusChange.objects.get(organisation=org_a)
    assert (change.from_status, change.to_status, change.changed_by) == ("active", "paused", hub_staff)


def test_a_status_the_lifecycle_does_not_allow_is_an_error(upload, org_a):
    run = upload("organisations", ["机构全称", "状态"], [[org_a.name, "潜在伙伴"]])

    assert run.status == RunStatus.INVALID
    assert run.preview[0]["errors"][0].startswith("第 2 行：状态：")


def test_the_same_organisation_twice_in_one_sheet_names_the_first_row(upload, prefectures):
    run = upload("organisations", HEADER, [ROWS[0], ROWS[0]])

    assert run.preview[1]["errors"] == ["第 3 行：与第 2 行重复。"]
