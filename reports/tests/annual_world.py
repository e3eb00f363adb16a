"""The world of the annual report tests: a year of reports, the region's text, stories with and without
consent, photos with and without the parents' consent (shared by the PDF and web edition tests)."""

from __future__ import annotations

import datetime
import io

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from hubsite.core.attachments.models import Attachment, AttachmentKind
from reports.choices import ReportStatus
from reports.models import AnnualNarrative, AnnualStory
from reports.tests.factories import make_report

YEAR = 2024
START = datetime.date(YEAR, 1, 1)


def jpeg(colour=(40, 120, 90), size=(320, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def attach(owner, organisation, name, *, kind=AttachmentKind.PHOTO, shows_children=False, consent=False):
    data = jpeg()
    return Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(type(owner)),
        object_id=owner.pk,
        organisation=organisation,
        kind=kind,
        original_name=name,
        file=ContentFile(data, name=name),
        mime_type="image/jpeg",
        size=len(data),
        width=320,
        height=200,
        shows_children=shows_children,
        consent_recorded=consent,
    )


def reports(org_a, org_b):
    for month in range(1, 13):
        make_report(
            org_a,
            datetime.date(YEAR, month, 1),
            status=ReportStatus.APPROVED,
            values={"child_visits": 100, "volunteer_hours": 2.5, "book_loans": 10},
        )
    make_report(
        org_a, datetime.date(YEAR - 1, 6, 1), status=ReportStatus.APPROVED, values={"child_visits": 400}
    )
    make_report(org_b, datetime.date(YEAR, 6, 1), status=ReportStatus.SUBMITTED, values={"child_visits": 7})


def build(org_a, org_b, hub_org, *, organisation=None, with_reports=True):
    """A year of approved reports for org_a (and one for org_b, and last year's for the comparison), a
    narrative (the region's, or ``organisation``'s) with a logo, two stories: one consented with a
    consented photo, one not consented, and a story whose photo shows children without consent."""
    if with_reports:
        reports(org_a, org_b)
    owner_org = organisation or hub_org
    narrative = AnnualNarrative.objects.create(
        organisation=organisation,
        period_kind="year",
        period_start=START,
        foreword="这一年，我们陪伴了更多家庭。",
        highlights="新开亲子园两家。",
        challenges="稳定的资金仍是挑战。",
        next_plan="明年继续扩大阅读推广。",
        thanks="感谢所有资助方。",
        funders="壹基金\n南宁市民政局",
        contact="电话 0771-0000000",
    )
    attach(narrative, owner_org, "logo.jpg", kind=AttachmentKind.LOGO)
    attach(narrative, owner_org, "cover.jpg")
    consented_photo = attach(narrative, org_a, "garden.jpg", shows_children=True, consent=True)
    unconsented_photo = attach(narrative, org_a, "faces.jpg", shows_children=True, consent=False)
    now = timezone.now()
    AnnualStory.objects.create(
        narrative=narrative,
        position=1,
        title="绘本里的小菜园",
        body="孩子们和家长一起种下了第一棵番茄。",
        organisation=org_a,
        photo=consented_photo,
        consented_at=now,
    )
    AnnualStory.objects.create(
        narrative=narrative,
        position=2,
        title="外婆的第一次分享",
        body="外婆讲述了自己的育儿经验。",
        organisation=org_a,
        photo=unconsented_photo,
        consented_at=now,
    )
    AnnualStory.objects.create(
        narrative=narrative,
        position=3,
        title="尚未同意的故事",
        body="这个故事还没有得到机构同意。",
        organisation=org_b,
    )
    return narrative
