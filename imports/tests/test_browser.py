"""Hub staff import a sheet on a phone: upload, read the preview, import (Chromium at 375 px)."""

import pytest

from partners.models import Organisation

from .conftest import csv_bytes

pytestmark = pytest.mark.browser


def test_hub_staff_import_organisations_on_a_phone(
    page_factory, hub_staff, prefectures, outbox_eager, tmp_path, screenshot
):
    bad = tmp_path / "机构-有错.csv"
    bad.write_bytes(
        csv_bytes(["机构全称", "地市", "状态"], [["柳州启航社会工作服务中心", "火星市", "合作中"]])
    )
    good = tmp_path / "机构.csv"
    good.write_bytes(
        csv_bytes(["机构全称", "地市", "状态"], [["柳州启航社会工作服务中心", "柳州市", "合作中"]])
    )
    page = page_factory(hub_staff, width=375, height=800)

    page.goto(f"{page.base_url}/imports/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_input_files("input[name=file]", str(bad))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#row-errors")
    assert "第 2 行：地市「火星市」不存在" in page.inner_text("#row-errors")
    assert page.locator("form[action$='/confirm/']").count() == 0
    screenshot(page, "imports-preview-errors-375")

    page.click("text=上传修改后的文件")
    page.set_input_files("input[name=file]", str(good))
    page.click("main form button[type=submit]")
    page.wait_for_selector("form[action$='/confirm/']")
    assert "柳州市" in page.inner_text("#preview")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "imports-preview-ready-375")
    page.click("form[action$='/confirm/'] button[type=submit]")
    page.wait_for_selector("text=已导入")

    assert Organisation.objects.get(name="柳州启航社会工作服务中心").prefecture.name == "柳州市"
