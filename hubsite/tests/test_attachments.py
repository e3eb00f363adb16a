"""Attachments on a monthly report: checked by content, photos without EXIF, scoped, counted, consent."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from hubsite.core.attachments.registry import overridden
from hubsite.core.models import Attachment, AttachmentKind
from hubsite.tests import attachment_files as files
from reports.choices import ReportStatus
from reports.models import MonthlyReport

MONTH = datetime.date(2024, 3, 1)
ADD = "attachments:add"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def report(org_a, centre_a):
    return MonthlyReport.objects.create(organisation=org_a, month=MONTH)


def add_url(report):
    return reverse(ADD, args=["reports.monthlyreport", report.pk])


def upload(client, report, name, content, **fields):
    data = {"kind": AttachmentKind.PHOTO, "file": SimpleUploadedFile(name, content), **fields}
    return client.post(add_url(report), data)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def stored_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_a_teacher_attaches_a_photo_of_a_centre_which_loses_its_gps_and_keeps_its_orientation(
    client_for, partner, report, centre_a, media_root
):
    client = client_for(partner)
    response = upload(client, report, "IMG_0001.jpg", files.photo(), centre=centre_a.pk, next="/reports/")
    assert response.status_code == 302
    assert response["Location"] == "/reports/"
    attachment = Attachment.objects.get()
    assert (attachment.owner, attachment.centre, attachment.organisation_id) == (
        report,
        centre_a,
        report.organisation_id,
    )
    assert (attachment.kind, attachment.original_name, attachment.uploaded_by) == (
        "photo",
        "IMG_0001.jpg",
        partner,
    )
    # Orientation 6 (rotate 90°) applied, longest side down to 2560: the 3000x2000 picture stands upright.
    assert (attachment.width, attachment.height) == (1707, 2560)

    served = body(client.get(reverse("attachments:download", args=[attachment.pk])))
    image = Image.open(io.BytesIO(served))
    assert image.format == "JPEG" and image.size == (1707, 2560)
    exif = image.getexif()
    assert files.GPS_IFD not in exif and files.MAKE not in exif and files.ORIENTATION not in exif
    assert b"PhoneMaker" not in served
    # The blue corner mark was top-left; rotated 90° clockwise it is now top-right.
    assert image.getpixel((image.width - 5, 5))[2] > 200 and image.getpixel((5, 5))[0] > 200
    # The stored name is random and says nothing of the person's name for the file.
    assert "IMG_0001" not in attachment.file.name and attachment.file.name.endswith(".jpg")


def test_the_download_carries_the_persons_file_name_and_is_never_cached(client_for, partner, report):
    client = client_for(partner)
    upload(client, report, "三月签到表.pdf", files.pdf(), kind=AttachmentKind.SIGN_IN_SHEET)
    attachment = Attachment.objects.get()
    response = client.get(reverse("attachments:download", args=[attachment.pk]))
    assert body(response) == files.pdf()
    assert response["Content-Type"] == "application/pdf"
    assert "%E4%B8%89%E6%9C%88%E7%AD%BE%E5%88%B0%E8%A1%A8.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("name", "content", "mime_type"),
    [
        ("receipt.pdf", files.pdf(), "application/pdf"),
        ("budget.xlsx", files.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "plan.docx",
            files.docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        # WeChat saves pictures of other formats under .jpg: still a photo, re-encoded.
        ("wechat.jpg", files.photo(400, 300, fmt="PNG"), "image/png"),
        ("camera.webp", files.photo(400, 300, fmt="WEBP"), "image/jpeg"),
    ],
)
def test_each_accepted_type_is_recognised_by_its_content(
    client_for, partner, report, name, content, mime_type
):
    response = upload(client_for(partner), report, name, content, kind=AttachmentKind.OTHER)
    assert response.status_code == 302, response.context["form"].errors
    assert Attachment.objects.get().mime_type == mime_type


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.jpg", files.pdf(), "文件名表明是照片，但内容是PDF"),
        ("photo.jpg", "只是一段文字".encode(), "不能作为附件"),
        ("report.pdf", files.xlsx(), "文件名表明是PDF，但内容是Excel工作簿"),
        ("macro.xlsx", files.xlsm(), "不能作为附件"),
        ("archive.xlsx", b"PK\x03\x04 not really a zip", "不能作为附件"),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "无法读取这张照片"),
        ("page.png", b"<html><script>alert(1)</script></html>", "不能作为附件"),
    ],
)
def test_a_forged_or_unknown_type_is_refused_beside_the_field_and_nothing_is_stored(
    client_for, partner, report, media_root, name, content, message
):
    response = upload(client_for(partner), report, name, content)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert message in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_over_the_limit_is_refused_with_both_sizes(client_for, partner, report, settings, media_root):
    settings.ATTACHMENTS_MAX_BYTES = 1024 * 1024
    response = upload(client_for(partner), report, "big.pdf", files.pdf() + b"0" * (1024 * 1024 + 200_000))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["文件大小为1.2 MB，最多只能附加1 MB。"]
    assert not Attachment.objects.exists() and stored_files(media_root) == []


def test_a_report_takes_no_more_than_its_limit(client_for, partner, report):
    client = client_for(partner)
    with overridden(MonthlyReport, max_count=1):
        assert upload(client, report, "a.pdf", files.pdf(), kind="other").status_code == 302
        response = upload(client, report, "b.pdf", files.pdf(), kind="other")
    assert "最多只能附加1个文件" in response.context["form"].errors["file"][0]
    assert Attachment.objects.count() == 1


def test_a_kind_the_report_does_not_take_is_refused(client_for, partner, report):
    response = upload(client_for(partner), report, "plan.pdf", files.pdf(), kind=AttachmentKind.BUDGET_SHEET)
    assert "budget_sheet" not in dict(response.context["form"].fields["kind"].choices)
    assert response.context["form"].errors["kind"]
    assert not Attachment.objects.exists()


def test_the_centre_choice_offers_only_the_reports_own_centres(
    client_for, partner, report, centre_a, centre_b
):
    client = client_for(partner)
    form = client.get(add_url(report)).context["form"]
    assert list(form.fields["centre"].queryset) == [centre_a]
    response = upload(client, report, "a.pdf", files.pdf(), kind="other", centre=centre_b.pk)
    assert response.context["form"].errors["centre"]
    assert not Attachment.objects.exists()


def test_the_upload_form_lets_a_phone_offer_its_camera(client_for, partner, report):
    page = client_for(partner).get(add_url(report)).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'accept="image/*,application/pdf' in page


def test_another_organisations_person_gets_404_on_the_file_its_thumbnail_and_the_upload(
    client_for, partner, other, viewer, hub_staff, report, outbox_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(partner), report, "photo.jpg", files.photo(800, 600))
    attachment = Attachment.objects.get()
    assert attachment.thumbnail  # made at once by the eager outbox
    urls = [
        reverse("attachments:download", args=[attachment.pk]),
        reverse("attachments:thumbnail", args=[attachment.pk]),
        add_url(report),
        reverse("attachments:consent", args=[attachment.pk]),
        reverse("attachments:remove", args=[attachment.pk]),
    ]
    for person in (other, viewer):
        client = client_for(person)
        for url in urls:
            assert client.get(url).status_code == 404, (person, url)
        assert upload(client, report, "x.pdf", files.pdf()).status_code == 404
        assert client.post(urls[-1]).status_code == 404
    hub = client_for(hub_staff)
    assert body(hub.get(urls[0]))[:3] == b"\xff\xd8\xff"
    thumbnail = Image.open(io.BytesIO(body(hub.get(urls[1]))))
    assert max(thumbnail.size) == 480
    assert Attachment.objects.count() == 1


def test_a_submitted_report_takes_files_from_the_hub_only(client_for, partner, hub_staff, report):
    MonthlyReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    assert client_for(partner).get(add_url(report)).status_code == 403
    assert upload(client_for(partner), report, "a.pdf", files.pdf(), kind="other").status_code == 403
    assert upload(client_for(hub_staff), report, "a.pdf", files.pdf(), kind="other").status_code == 302
    assert Attachment.objects.get().uploaded_by == hub_staff


def test_a_photo_showing_children_is_for_funders_only_once_consent_is_recorded(client_for, partner, report):
    client = client_for(partner)
    upload(client, report, "children.jpg", files.photo(400, 300), shows_children="on")
    upload(client, report, "room.jpg", files.photo(400, 300))
    children = Attachment.objects.get(original_name="children.jpg")
    assert (children.shows_children, children.consent_recorded, children.needs_consent) == (True, False, True)
    funders = Attachment.objects.for_object(report).usable_for_funders()
    assert [a.original_name for a in funders] == ["room.jpg"]
    # What the annual report asks for: the photos of a set of reports, those it may show.
    year = Attachment.objects.for_model(MonthlyReport).filter(object_id__in=[report.pk]).photos()
    assert [a.original_name for a in year.usable_for_funders()] == ["room.jpg"]
    page = client.get(reverse("reports:edit", args=[report.pk])).content.decode()
    assert "有儿童，尚未记录家长同意" in page

    response = client.post(
        reverse("attachments:consent", args=[children.pk]), {"shows_children": "on", "consent_recorded": "on"}
    )
    assert response.status_code == 302
    assert sorted(a.original_name for a in funders.all()) == ["children.jpg", "room.jpg"]


def test_consent_without_children_in_the_photo_is_refused(client_for, partner, report):
    response = upload(client_for(partner), report, "room.jpg", files.photo(400, 300), consent_recorded="on")
    assert response.context["form"].errors["consent_recorded"] == ["只有拍到儿童的照片才需要记录同意。"]


def test_removing_a_file_deletes_it_from_storage_after_commit(
    client_for, partner, report, media_root, django_capture_on_commit_callbacks
):
    client = client_for(partner)
    upload(client, report, "a.pdf", files.pdf(), kind="other")
    attachment = Attachment.objects.get()
    assert len(stored_files(media_root)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("attachments:remove", args=[attachment.pk]))
    assert response.status_code == 302
    assert not Attachment.objects.exists() and stored_files(media_root) == []


@pytest.mark.parametrize("count", [1, 5])
def test_the_report_page_lists_the_files_in_one_query_whatever_their_number(
    client_for, partner, report, django_assert_num_queries, count
):
    client = client_for(partner)
    for number in range(count):
        upload(client, report, f"sheet-{number}.pdf", files.pdf(), kind=AttachmentKind.SIGN_IN_SHEET)
    url = reverse("reports:detail", args=[report.pk])
    # The page without its attachments box (the model not registered) is the baseline.
    with (
        overridden(MonthlyReport, can_view=lambda user, report: False),
        CaptureQueriesContext(connection) as without_box,
    ):
        assert "attachment-name" not in client.get(url).content.decode()
    with django_assert_num_queries(len(without_box) + 1):
        page = client.get(url).content.decode()
    assert page.count('class="text-break attachment-name"') == count
    assert f"sheet-{count - 1}.pdf" in page


def test_a_picture_too_large_to_decode_safely_is_refused(client_for, partner, report):
    # 10,000 x 10,000 pixels is past Pillow's decompression-bomb limit, though the PNG is tiny.
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG")
    assert len(out.getvalue()) < 100_000
    response = upload(client_for(partner), report, "huge.png", out.getvalue())
    assert response.context["form"].errors["file"] == [
        "无法读取这张照片。请重新拍摄，或另存为 JPEG 后再上传。"
    ]
    assert not Attachment.objects.exists()


def test_the_persons_file_name_keeps_no_folders_or_control_characters(client_for, partner, report):
    upload(client_for(partner), report, "../../etc/签到\x07表.pdf", files.pdf(), kind="sign_in_sheet")
    attachment = Attachment.objects.get()
    assert attachment.original_name == "签到表.pdf"
    assert attachment.file.name.startswith("attachments/") and ".." not in attachment.file.name
