import datetime

from imports.choices import RowAction, RunStatus
from partners.choices import CentreStatus, SiteType
from partners.models import Centre

HEADER = ["伙伴机构", "亲子园名称", "场地类型", "状态", "开园日期", "示范点", "容量"]


def test_centres_import_under_their_organisation_and_a_second_run_changes_nothing(import_sheet, org_a):
    rows = [
        [org_a.name, "都安城西亲子园", "社区", "运营中", "2023-04-01", "是", "40"],
        # The short name finds the organisation as well.
        ["都安瑶山", "都安高岭亲子园", "幼儿园", "筹备中", "", "", ""],
    ]

    first = import_sheet("centres", HEADER, rows)

    assert first.status == RunStatus.DONE, (first.file_errors, first.preview)
    assert first.created == 2
    west = Centre.objects.get(organisation=org_a, name="都安城西亲子园")
    assert (west.site_type, west.status, west.opened_on) == (
        SiteType.COMMUNITY,
        CentreStatus.OPERATING,
        datetime.date(2023, 4, 1),
    )
    assert west.is_demonstration is True
    assert west.capacity == 40
    # Where the sheet names no prefecture, the centre lies in its organisation's.
    assert west.prefecture == org_a.prefecture

    second = import_sheet("centres", HEADER, rows)

    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert Centre.objects.filter(organisation=org_a).count() == 2


def test_the_model_rules_of_a_centre_name_the_row_and_nothing_is_saved(upload, org_a):
    rows = [
        [org_a.name, "都安城西亲子园", "社区", "运营中", "2023-04-01", "", ""],
        [org_a.name, "都安高岭亲子园", "社区", "运营中", "", "", "99999"],
        [org_a.name, "都安拉烈亲子园", "车库", "运营中", "2023-04-01", "也许", ""],
    ]

    run = upload("centres", HEADER, rows)

    assert run.status == RunStatus.INVALID
    assert [row["action"] for row in run.preview] == [RowAction.NEW, RowAction.ERROR, RowAction.ERROR]
    assert "第 3 行：容量：" in run.preview[1]["errors"][0]
    third = run.preview[2]["errors"]
    assert any(e.startswith("第 4 行：场地类型：「车库」不是可选值") for e in third)
    assert "第 4 行：示范点：请填写“是”或“否”。" in third
    assert not Centre.objects.exists()


def test_an_operating_centre_without_an_opening_date_is_refused_as_in_the_form(upload, org_a):
    run = upload("centres", HEADER, [[org_a.name, "都安高岭亲子园", "社区", "运营中", "", "", ""]])

    assert run.preview[0]["errors"] == ["第 2 行：开园日期：运营中的亲子园需要填写开园日期。"]


def test_a_centre_of_an_unknown_organisation_is_an_error(upload, org_a):
    run = upload("centres", HEADER, [["火星社工", "某亲子园", "社区", "", "", "", ""]])

    assert run.preview[0]["errors"] == ["第 2 行：伙伴机构「火星社工」不存在"]


def test_an_existing_centre_is_updated_field_by_field(import_sheet, centre_a):
    run = import_sheet("centres", ["伙伴机构", "亲子园名称", "容量"], [["都安瑶山", centre_a.name, "25"]])

    assert run.updated == 1
    assert run.preview[0]["changes"] == [["容量", "", "25"]]
    centre_a.refresh_from_db()
    assert centre_a.capacity == 25
    assert centre_a.opened_on == datetime.date(2022, 5, 1)
