from tests.matrix import Case, everyone, expect, hub_only, own_org


def setup(world):
    from hubsite.core.notifications import notify

    world.notification = notify(
        "test.access", world.partner, key="partners.organisation:1", subject="提醒", body="内容", url="/"
    )
    _attachments(world)
    _export_job(world)


def _export_job(world):
    """A finished background export of the partner's (stand-in bytes in its file)."""
    from django.core.files.base import ContentFile

    from hubsite.core.exportjobs.models import ExportJob, ExportStatus

    world.export_job = job = ExportJob.objects.create(
        requested_by=world.partner,
        path="/reports/figures/export/",
        query="year=2024",
        title="Monthly figures 2024",
        format="csv",
        language="zh-hans",
        status=ExportStatus.DONE,
        progress=100,
        file_name="report-figures-2024.csv",
    )
    job.file.save("report-figures-2024.csv", ContentFile(b"\xef\xbb\xbfmonth\r\n"))


def _attachments(world):
    """A draft report of org A with a photo (and its thumbnail), and a submitted one."""
    import datetime
    import os

    from django.core.files.base import ContentFile

    from hubsite.core.attachments.storage import attachment_storage
    from hubsite.core.models import Attachment
    from reports.models import MonthlyReport

    world.attached_report = MonthlyReport.objects.create(
        organisation=world.org_a, month=datetime.date(2023, 11, 1)
    )
    world.submitted_attached_report = MonthlyReport.objects.create(
        organisation=world.org_a, month=datetime.date(2023, 10, 1), status="submitted"
    )
    folder = f"attachments/access-matrix-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    names = {}
    for field in ("file", "thumbnail"):
        name = f"{folder}/{field}.jpg"
        attachment_storage.delete(name)
        names[field] = attachment_storage.save(name, ContentFile(b"\xff\xd8\xff stand-in"))
    world.attachment = Attachment.objects.create(
        owner=world.attached_report,
        organisation=world.org_a,
        kind="photo",
        original_name="活动.jpg",
        mime_type="image/jpeg",
        size=16,
        uploaded_by=world.partner,
        **names,
    )


def _attached(w):
    return {"model": "reports.monthlyreport", "object_id": w.attached_report.pk}


def _attachment(w):
    return {"pk": w.attachment.pk}


def _job(w):
    return {"pk": w.export_job.pk}


CASES = [
    Case("notifications:list", everyone()),
    Case("notifications:unread", everyone()),
    Case("notifications:preferences", everyone()),
    # The SMS opt-in: any signed-in person, for their own number only (no object in the URL).
    Case("notifications:mobile", everyone()),
    Case("notifications:mobile_verify", everyone()),
    Case("notifications:log", hub_only()),
    # Only the recipient opens it (and is redirected to its link); everyone else gets 404.
    Case(
        "notifications:open",
        expect(hub_admin=404, director=404, partner=302, other=404, viewer=404),
        kwargs=lambda w: {"pk": w.notification.pk},
    ),
    Case("notifications:resend", hub_only(302), kwargs=lambda w: {"pk": w.notification.pk}, method="post"),
    # Attachments: org A and the hub; another organisation and viewers 404 (the owner is out of scope).
    Case("attachments:add", own_org(), kwargs=_attached),
    # A submitted report takes files from the hub only.
    Case(
        "attachments:add",
        expect(hub_admin=200, director=403, other=404, viewer=404),
        kwargs=lambda w: {"model": "reports.monthlyreport", "object_id": w.submitted_attached_report.pk},
    ),
    Case("attachments:download", own_org(), kwargs=_attachment),
    Case("attachments:thumbnail", own_org(), kwargs=_attachment),
    Case("attachments:consent", own_org(), kwargs=_attachment),
    Case("attachments:remove", own_org(), kwargs=_attachment),
    Case("attachments:remove", own_org(302), kwargs=_attachment, method="post"),
    # A background export is its requester's alone: the hub included, everyone else gets 404.
    *(
        Case(name, expect(hub_admin=404, director=404, partner=200, other=404, viewer=404), kwargs=_job)
        for name in ("exports:detail", "exports:status", "exports:download")
    ),
]
