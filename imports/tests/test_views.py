import pytest
from django.urls import reverse

from hubsite.core.models import Notification, OutboxMessage
from imports.actions import check_sheet, do_upload_sheet, run_import
from imports.choices import RunStatus
from imports.models import ImportRun
from partners.models import Centre, Organisation

from .conftest import sheet

ORG_HEADER = ["机构全称", "简称", "地市", "状态"]


def org_rows(count):
    return [[f"第{n}号社会工作服务中心", f"社工{n}", "柳州市", "合作中"] for n in range(count)]


def test_upload_preview_and_confirm_end_to_end(client_for, hub_staff, prefectures):
    client = client_for(hub_staff)

    response = client.post(
        reverse("imports:upload"),
        {"kind": "organisations", "file": sheet(ORG_HEADER, org_rows(2))},
        follow=True,
    )

    run = ImportRun.objects.get()
    assert response.redirect_chain[-1][0] == run.get_absolute_url()
    assert "正在检查每一行" in response.content.decode()
    check_sheet(run.pk)  # the worker's part (test_worker.py runs a real worker)
    assert Notification.objects.get(recipient=hub_staff).subject == "可以导入：sheet.csv"
    page = client.get(run.get_absolute_url()).content.decode()
    assert "待确认导入" in page
    assert "第0号社会工作服务中心" in page and "柳州市" in page
    assert "共 2 行：新增 2，有改动 0，无变化 0，有错误 0" in page
    assert not Organisation.objects.filter(name="第0号社会工作服务中心").exists()

    response = client.post(reverse("imports:run_confirm", args=[run.pk]), follow=True)

    assert "正在导入" in response.content.decode()
    run.refresh_from_db()
    assert (run.status, run.imported_by) == (RunStatus.IMPORTING, hub_staff)
    # A second click (another tab) hands nothing more to the worker.
    response = client.post(reverse("imports:run_confirm", args=[run.pk]), follow=True)
    assert "此次导入已不在等待确认。" in response.content.decode()
    assert OutboxMessage.objects.filter(task="imports.run_import").count() == 1

    run_import(run.pk)

    page = client.get(run.get_absolute_url()).content.decode()
    assert "已导入" in page
    assert Organisation.objects.filter(name__startswith="第").count() == 2
    notice = Notification.objects.get(recipient=hub_staff, step="finished")
    assert notice.subject == "已导入：sheet.csv"
    assert "新增 2" in notice.body
    # Run again (a message delivered twice), it changes nothing.
    assert run_import(run.pk) is None
    assert Organisation.objects.filter(name__startswith="第").count() == 2


def test_a_file_with_a_bad_row_shows_the_row_and_offers_no_import(client_for, hub_staff, prefectures):
    rows = [*org_rows(1), ["来宾益家", "", "火星市", "合作中"]]

    client = client_for(hub_staff)
    client.post(reverse("imports:upload"), {"kind": "organisations", "file": sheet(ORG_HEADER, rows)})
    run = check_sheet(ImportRun.objects.get().pk)

    page = client.get(run.get_absolute_url()).content.decode()
    assert "第 3 行：地市「火星市」不存在" in page
    assert reverse("imports:run_confirm", args=[run.pk]) not in page
    assert "有错误" in Notification.objects.get(recipient=hub_staff).subject
    assert "上传修改后的文件" in page


def test_confirming_checks_again_against_what_changed_since_the_preview(client_for, hub_staff, org_a):
    client = client_for(hub_staff)
    rows = [["都安瑶山", "新亲子园", "社区", "运营中", "2023-01-01"]]
    header = ["伙伴机构", "亲子园名称", "场地类型", "状态", "开园日期"]
    client.post(reverse("imports:upload"), {"kind": "centres", "file": sheet(header, rows)})
    run = check_sheet(ImportRun.objects.get().pk)
    assert run.status == RunStatus.READY
    # Meanwhile someone clears the short name the sheet uses: it no longer names an organisation.
    Organisation.objects.filter(pk=org_a.pk).update(short_name="")

    client.post(reverse("imports:run_confirm", args=[run.pk]))
    run_import(run.pk)

    assert "未导入任何数据" in Notification.objects.get(recipient=hub_staff, step="finished").body
    assert "第 2 行：伙伴机构「都安瑶山」不存在" in client.get(run.get_absolute_url()).content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.INVALID
    assert not Centre.objects.filter(name="新亲子园").exists()


def test_the_upload_form_refuses_other_files_beside_the_field(client_for, hub_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(hub_staff).post(
        reverse("imports:upload"), {"kind": "people", "file": SimpleUploadedFile("a.pdf", b"%PDF")}
    )

    assert response.status_code == 200
    assert "请上传 Excel（.xlsx）或 CSV 文件。" in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("count", [1, 5])
def test_the_list_of_runs_runs_a_fixed_number_of_queries(
    client_for, hub_staff, prefectures, upload, count, django_assert_num_queries
):
    for _ in range(count):
        upload("organisations", ORG_HEADER, org_rows(2))
    client = client_for(hub_staff)
    client.get(reverse("imports:run_list"))  # session and caches warm

    with django_assert_num_queries(4):
        response = client.get(reverse("imports:run_list"))

    assert response.content.decode().count("sheet.csv") == count


@pytest.mark.parametrize("count", [1, 5])
def test_the_preview_page_runs_a_fixed_number_of_queries(
    client_for, hub_staff, prefectures, upload, count, django_assert_num_queries
):
    run = upload("organisations", ORG_HEADER, org_rows(count))
    client = client_for(hub_staff)
    client.get(run.get_absolute_url())

    with django_assert_num_queries(3):
        response = client.get(run.get_absolute_url())

    assert response.content.decode().count("社会工作服务中心</td>") == count


@pytest.mark.parametrize("count", [1, 5])
def test_checking_a_sheet_loads_what_it_compares_with_in_bulk(
    hub_staff, org_a, centre_a, count, django_assert_num_queries
):
    header = ["伙伴机构", "月份", "亲子园", "指标代码", "数值"]
    rows = [
        [org_a.name, f"2023-{month:02d}", centre_a.name, "book_loans", "3"] for month in range(1, count + 1)
    ]
    run = do_upload_sheet(kind="figures", upload=sheet(header, rows), by=hub_staff)

    # 18: the notification to the uploader also asks for their organisation's WeCom group.
    with django_assert_num_queries(18):
        checked = check_sheet(run.pk)

    assert checked.rows == count
