"""The bulk API behind the reminder sweeps: one row per natural key, preferences honoured, a fixed
number of queries per batch, and files attached to the e-mails of a registered kind."""

from django.core import mail

from hubsite.core.models import Notification, NotificationPreference
from hubsite.core.notifications import Pending, notify, notify_many, register_kind
from hubsite.core.notifications.mail import ATTACHMENTS, register_attachment
from hubsite.core.notifications.tasks import send_one

register_kind("test.bulk", "批量测试提醒")
register_kind("test.bulk_required", "必需的批量测试提醒", required=True)


def _items(people, kind="test.bulk", step="due"):
    return [
        Pending(kind, person, "reports.monthlyreport:1", step, "月报提醒", "请提交月报", "/")
        for person in people
    ]


def test_it_creates_each_notification_once_and_counts_only_new_ones(partner, director, other):
    assert notify_many(_items([partner, director])) == 2
    assert notify_many(_items([partner, director, other])) == 1
    assert notify_many(_items([partner, partner])) == 0
    assert Notification.objects.count() == 3


def test_it_shares_the_natural_key_with_notify(partner):
    notify("test.bulk", partner, key="reports.monthlyreport:1", step="due", subject="s", body="b")
    assert notify_many(_items([partner])) == 0


def test_turned_off_kinds_are_listed_but_not_emailed_unless_required(partner, director):
    NotificationPreference.objects.create(user=partner, kind="test.bulk", email_enabled=False)
    NotificationPreference.objects.create(user=partner, kind="test.bulk_required", email_enabled=False)
    notify_many(_items([partner, director]) + _items([partner], kind="test.bulk_required"))
    statuses = {
        (kind, email): status
        for kind, email, status in Notification.objects.values_list(
            "kind", "recipient__email", "email_status"
        )
    }
    assert statuses == {
        ("test.bulk", "partner@example.org"): "skipped",
        ("test.bulk", "director@example.org"): "pending",
        ("test.bulk_required", "partner@example.org"): "pending",
    }


def test_an_inactive_person_is_not_emailed(partner):
    partner.is_active = False
    partner.save()
    notify_many(_items([partner]))
    assert Notification.objects.get().email_status == "skipped"


def test_queries_grow_by_a_fixed_number_per_batch(make_user, org_a, django_assert_num_queries):
    people = [make_user(f"p{n}@example.org", "partner_staff", org_a) for n in range(8)]
    # existing keys, required kinds (1 + settings), turned-off kinds, INSERT: 4 per batch of new rows
    with django_assert_num_queries(2 * 4):
        notify_many(_items(people[:4]), batch_size=2)
    with django_assert_num_queries(4 * 4):
        notify_many(_items(people, step="again"), batch_size=2)
    with django_assert_num_queries(4 * 1):  # all exist: only the lookup per batch
        notify_many(_items(people, step="again"), batch_size=2)


def test_a_registered_builder_attaches_a_file_to_that_kind_of_email(partner):
    register_attachment("test.bulk", lambda n: ("note.txt", f"about {n.object_key}".encode(), "text/plain"))
    try:
        notify_many(_items([partner]))
        assert send_one(Notification.objects.get().pk) == "sent"
    finally:
        ATTACHMENTS.pop("test.bulk")
    assert mail.outbox[0].attachments == [("note.txt", "about reports.monthlyreport:1", "text/plain")]
