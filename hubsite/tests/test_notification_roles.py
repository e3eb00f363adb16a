"""A person's reminder settings list only the kinds their role can receive (``register_kind(roles=)``)."""

from django.urls import reverse

from hubsite.core.models import NotificationPreference
from hubsite.core.notifications import KINDS, kinds_for, register_kind
from hubsite.core.roles import HUB_ROLES

URL = reverse("notifications:preferences")


def _codes(client):
    page = client.get(URL).content.decode()
    return {code for code in KINDS if f'value="{code}" id="kind-{code}"' in page}


def test_partner_staff_see_their_reminders_and_not_the_hubs_or_the_directors(client_for, partner):
    codes = _codes(client_for(partner))
    # What a teacher receives: the report's reminders, meetings, the host's topic.
    assert {"reports.due", "reports.returned", "meetings.invitation", "meetings.topic"} <= codes
    # The hub's digests and the director's escalations never reach a teacher.
    assert not codes & {
        "reports.late_digest",
        "reports.resubmitted",
        "reports.late",
        "reports.targets_set",
        "meetings.minutes_overdue",
        "imports.finished",
        "training.endorsement",
        "partners.stage",
        "partners.interest",
        "mutualaid.coaching",
        "mutualaid.pairing",
    }


def test_directors_see_the_escalations_meant_for_them(client_for, director):
    codes = _codes(client_for(director))
    assert {
        "reports.late",
        "reports.targets_set",
        "training.endorsement",
        "partners.stage",
        "mutualaid.coaching",
    } <= codes
    assert "reports.due" not in codes and "reports.late_digest" not in codes


def test_hub_staff_see_the_hubs_reminders_and_not_the_teachers(client_for, hub_staff):
    codes = _codes(client_for(hub_staff))
    assert {
        "reports.late_digest",
        "reports.resubmitted",
        "meetings.minutes_overdue",
        "imports.finished",
    } <= codes
    assert "reports.due" not in codes and "meetings.topic" not in codes


def test_saving_the_settings_touches_only_the_kinds_offered(client_for, partner):
    client_for(partner).post(URL, {"email": ["reports.approved"]})
    saved = set(NotificationPreference.objects.filter(user=partner).values_list("kind", flat=True))
    assert "reports.approved" in saved
    assert saved == set(kinds_for(partner))
    assert "reports.late_digest" not in saved


def test_a_kind_registered_without_roles_reaches_everyone(partner, hub_staff, viewer):
    try:
        open_kind = register_kind("test.everyone", "Everyone")
        hub_kind = register_kind("test.hub", "Hub only", roles=HUB_ROLES)
        assert all(open_kind.reaches(user) for user in (partner, hub_staff, viewer))
        assert hub_kind.reaches(hub_staff) and not hub_kind.reaches(partner)
        assert "test.hub" not in kinds_for(viewer) and "test.everyone" in kinds_for(viewer)
    finally:
        KINDS.pop("test.everyone", None)
        KINDS.pop("test.hub", None)
