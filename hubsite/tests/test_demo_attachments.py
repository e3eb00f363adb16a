"""The demo shows attachments: materials on the activity library (a photo with the parents' consent,
one still waiting for it), a sign-in sheet and a photo on a monthly report, a receipt on a claim; each
a real picture, and seeding again adds none."""

import io

from PIL import Image

from hubsite import demo_attachments
from hubsite.core.models import Attachment, AttachmentKind
from mutualaid.models import Activity, StudyVisit
from reports.models import MonthlyReport


def test_the_demo_has_pictures_with_their_consent_flags_and_seeding_again_adds_none(demo):
    activities = Attachment.objects.for_model(Activity)
    assert set(activities.values_list("kind", flat=True)) == {AttachmentKind.PLAN, AttachmentKind.PHOTO}
    photos = activities.photos().order_by("pk")
    assert [(p.shows_children, p.consent_recorded) for p in photos] == [(True, True), (True, False)]
    assert Attachment.objects.for_model(MonthlyReport).filter(kind=AttachmentKind.SIGN_IN_SHEET).exists()
    assert Attachment.objects.for_model(MonthlyReport).photos().usable_for_funders().exists()
    assert Attachment.objects.for_model(StudyVisit).filter(kind=AttachmentKind.RECEIPT).exists()
    for attachment in Attachment.objects.all():
        with attachment.file.open("rb") as stored:
            image = Image.open(io.BytesIO(stored.read()))
        assert image.size == (480, 360) and not image.getexif()
    before = Attachment.objects.count()
    context = {}
    demo_attachments.seed(context)
    # One more than this seed's seven: the annual report story's photo (reports/demo_annual.py).
    assert Attachment.objects.count() == before == context["attachments"] + 1 == 8
