"""An action item written down in a meeting tells its owner at once (bell and e-mail), not only in the
next daily digest; an item nobody owns goes to the owner organisation's director."""

import datetime

from django.core import mail
from django.urls import reverse

from hubsite.core.models import Notification
from hubsite.core.notifications import object_key
from meetings.actions import do_add_action_item
from meetings.models import ActionItem


def _item(meeting, org, person=None, what="整理家长访谈记录"):
    return ActionItem(
        meeting=meeting,
        what=what,
        owner_organisation=org,
        owner_person=person,
        due_on=datetime.date(2030, 6, 1),
    )


def test_the_owner_is_told_at_once_what_by_when_and_where_it_was_agreed(
    client_for, meeting, org_a, partner, hub_staff, django_capture_on_commit_callbacks, outbox_eager
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(hub_staff).post(
            reverse("meetings:action_create", args=[meeting.pk]),
            {
                "what": "整理家长访谈记录",
                "owner_organisation": org_a.pk,
                "owner_person": partner.pk,
                "due_on": "2030-06-01",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = ActionItem.objects.get()
    (notice,) = Notification.objects.filter(kind="meetings.action_item_assigned")
    assert (notice.recipient, notice.object_key) == (partner, object_key(item))
    assert notice.subject == "您有一项跟进事项：整理家长访谈记录"
    assert "伙伴交流会" in notice.body and "2030-06-01" in notice.body
    assert notice.url == meeting.get_absolute_url()
    assert [message.to for message in mail.outbox] == [[partner.email]]


def test_an_item_nobody_owns_goes_to_the_organisations_director(meeting, org_a, director, partner, hub_staff):
    do_add_action_item(_item(meeting, org_a), by=hub_staff)
    notices = Notification.objects.filter(kind="meetings.action_item_assigned")
    assert [n.recipient for n in notices] == [director]


def test_whoever_wrote_it_down_is_not_told_about_their_own_item(meeting, org_a, director):
    do_add_action_item(_item(meeting, org_a, person=director), by=director)
    assert not Notification.objects.filter(kind="meetings.action_item_assigned").exists()


def test_saving_the_item_and_telling_the_owner_are_one_transaction(meeting, org_a, partner, monkeypatch):
    import pytest

    from meetings import reminders

    def fail(*args, **kwargs):
        raise RuntimeError("notification store down")

    monkeypatch.setattr(reminders, "notify", fail)
    with pytest.raises(RuntimeError):
        do_add_action_item(_item(meeting, org_a, person=partner))
    assert not ActionItem.objects.exists()
