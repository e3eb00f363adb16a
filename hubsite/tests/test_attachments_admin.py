"""Hub staff find attachments in the admin: a read-only list with filters (kind, owner's type, children
and consent, organisation) and a link to the checked download view, never to a media URL."""

import datetime

from django.urls import reverse

from hubsite.core.models import Attachment, AttachmentKind
from reports.models import MonthlyReport


def _photo(report, org, name, **flags):
    return Attachment.objects.create(
        owner=report,
        organisation=org,
        kind=AttachmentKind.PHOTO,
        original_name=name,
        file=f"attachments/{name}",
        mime_type="image/jpeg",
        size=2048,
        **flags,
    )


def test_the_list_filters_photos_waiting_for_consent_and_links_to_the_checked_download(
    client_for, hub_staff, org_a, django_assert_max_num_queries
):
    report = MonthlyReport.objects.create(organisation=org_a, month=datetime.date(2024, 3, 1))
    waiting = _photo(report, org_a, "户外活动.jpg", shows_children=True)
    _photo(report, org_a, "家长会.jpg", shows_children=True, consent_recorded=True)
    client = client_for(hub_staff)
    url = reverse("admin:hubsite_attachment_changelist")
    html = client.get(url + "?shows_children__exact=1&consent_recorded__exact=0").content.decode()
    assert "户外活动.jpg" in html and "家长会.jpg" not in html
    assert reverse("attachments:download", args=[waiting.pk]) in html
    assert "/media/" not in html
    for i in range(5):
        _photo(report, org_a, f"更多{i}.jpg")
    with django_assert_max_num_queries(12):  # rows with their organisation, centre, type and uploader
        assert client.get(url).status_code == 200


def test_nothing_is_written_through_the_admin(client_for, hub_admin, org_a):
    report = MonthlyReport.objects.create(organisation=org_a, month=datetime.date(2024, 3, 1))
    photo = _photo(report, org_a, "户外活动.jpg", shows_children=True)
    client = client_for(hub_admin)
    change = reverse("admin:hubsite_attachment_change", args=[photo.pk])
    page = client.get(change).content.decode()
    assert 'name="_save"' not in page
    client.post(change, {"shows_children": "", "consent_recorded": "on", "original_name": "改名.jpg"})
    photo.refresh_from_db()
    assert (photo.original_name, photo.consent_recorded) == ("户外活动.jpg", False)
    assert client.get(reverse("admin:hubsite_attachment_add")).status_code == 403
