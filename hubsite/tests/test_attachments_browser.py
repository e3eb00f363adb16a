"""A teacher on a phone (375 px) attaches a photo of a centre's activity to the month's report and submits."""

import pytest
from django.utils import timezone

from hubsite.core.models import Attachment
from hubsite.tests import attachment_files as files
from reports import periods
from reports.defaults import load_default_indicators
from reports.models import Indicator, MonthlyReport
from reports.tests.factories import FULL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_attaches_a_photo_to_a_centres_figures_from_the_file_chooser_and_submits(
    page_factory, screenshot, settings, tmp_path, outbox_eager, prefectures, org_a, centre_a, partner
):
    load_default_indicators(Indicator)  # a transactional test before this one may have flushed them
    settings.MEDIA_ROOT = str(tmp_path)
    settings.REPORT_DUE_DAY = 31  # handed in today is on time, whatever today is
    month = periods.add_months(periods.first_of(timezone.localdate()), -1)
    report = MonthlyReport.start(org_a, month, by=partner)

    page = page_factory(partner, width=375)
    page.goto(f"{page.base_url}/reports/{report.pk}/edit/")
    assert "还没有照片或文件。这里可以附加：活动照片、签到表、发票、其他。" in page.inner_text("#attachments")
    page.click("#add-attachment")
    page.wait_for_url("**/attachments/reports.monthlyreport/**/add/**")
    assert page.get_attribute("input[name=file]", "accept").startswith("image/*")
    page.set_input_files(
        "input[name=file]", {"name": "IMG_20240315.jpg", "mimeType": "image/jpeg", "buffer": files.photo()}
    )
    page.select_option("select[name=kind]", "photo")
    page.select_option("select[name=centre]", str(centre_a.pk))
    page.check("input[name=shows_children]")
    screenshot(page, "attachments-1-upload-375")
    page.get_by_role("button", name="上传").click()
    page.wait_for_url("**/edit/")
    page.wait_for_selector("text=附件已添加")

    box = page.locator("#attachments")
    assert "IMG_20240315.jpg" in box.inner_text()
    assert centre_a.name in box.inner_text()
    assert "有儿童，尚未记录家长同意" in box.inner_text()
    thumbnail = box.locator("img")
    assert page.evaluate("(img) => img.complete && img.naturalWidth", thumbnail.element_handle()) == 320
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "attachments-2-edit-page-375")

    prefix = f"c{centre_a.pk}__"
    for code, value in FULL.items():
        page.fill(f"[name={prefix}{code}]", str(value))
    page.fill("[name=org__highlights]", "绘本共读月")
    page.get_by_role("button", name="核对并提交").click()
    page.wait_for_url("**?confirm=1")
    assert "IMG_20240315.jpg" in page.inner_text("#attachments")
    page.get_by_role("button", name="提交给枢纽").click()
    page.wait_for_selector("text=月报已提交")
    screenshot(page, "attachments-3-submitted-375")

    report.refresh_from_db()
    assert report.status == "submitted"
    attachment = Attachment.objects.get()
    assert (attachment.owner, attachment.centre, attachment.shows_children) == (report, centre_a, True)
    # Submitted: the teacher may no longer add or remove files.
    assert page.locator("#add-attachment").count() == 0
