import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hubsite.core.models import Notification, NotificationKindSetting, NotificationPreference
from hubsite.core.notifications import notify, register_kind
from hubsite.core.notifications.tasks import send_one, send_pending_notification_emails
from tests.broker import broker_down

register_kind("test.reminder", "测试提醒")
register_kind("test.required", "必需的测试提醒", required=True)


def _notify(user, step="due", kind="test.reminder"):
    return notify(
        kind, user, key="reports.monthlyreport:1", step=step, subject="月报提醒", body="请提交月报", url="/"
    )


def test_a_repeated_reminder_is_created_once_and_emailed_once(partner):
    first = _notify(partner)
    assert first is not None
    assert _notify(partner) is None
    assert Notification.objects.filter(recipient=partner).count() == 1

    assert send_one(first.pk) == "sent"
    assert send_one(first.pk) == "not pending"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["partner@example.org"]
    assert "请提交月报" in message.body
    assert "http://" in message.body  # absolute link to the page
    assert message.alternatives and "text/html" in message.alternatives[0][1]


def test_another_step_of_the_same_reminder_is_a_new_notification(partner):
    assert _notify(partner, step="due-3")
    assert _notify(partner, step="due")
    assert Notification.objects.filter(recipient=partner).count() == 2


def test_a_kind_turned_off_is_listed_but_not_emailed(partner):
    NotificationPreference.objects.create(user=partner, kind="test.reminder", email_enabled=False)
    notification = _notify(partner)
    assert notification.email_status == Notification.EmailStatus.SKIPPED
    assert send_one(notification.pk) == "not pending"
    assert mail.outbox == []


def test_a_required_kind_is_emailed_even_when_turned_off(partner):
    NotificationPreference.objects.create(user=partner, kind="test.required", email_enabled=False)
    assert _notify(partner, kind="test.required").email_status == Notification.EmailStatus.PENDING
    NotificationKindSetting.objects.create(kind="test.reminder", required=True)
    NotificationPreference.objects.create(user=partner, kind="test.reminder", email_enabled=False)
    assert _notify(partner).email_status == Notification.EmailStatus.PENDING


def test_the_sweep_sends_what_no_task_sent_and_only_once(partner, director):
    for user in (partner, director):
        _notify(user)
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    assert send_pending_notification_emails() == 2
    assert send_pending_notification_emails() == 0
    assert len(mail.outbox) == 2


def test_a_failing_mail_server_leaves_the_reminder_pending_for_a_retry(partner, settings):
    settings.EMAIL_BACKEND = "hubsite.tests.failing_mail.Backend"
    notification = _notify(partner)
    assert send_one(notification.pk) == "failed"
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert "SMTP" in notification.email_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_one(notification.pk) == "sent"


def test_people_see_only_their_own_notifications(client_for, partner, other):
    mine = _notify(partner)
    client = client_for(other)
    assert client.get(reverse("notifications:open", args=[mine.pk])).status_code == 404
    assert client.get(reverse("notifications:unread")).json() == {"unread": 0}
    client = client_for(partner)
    assert client.get(reverse("notifications:unread")).json() == {"unread": 1}
    response = client.get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302
    assert client.get(reverse("notifications:unread")).json() == {"unread": 0}


def test_the_list_runs_a_fixed_number_of_queries(client_for, partner, django_assert_num_queries):
    client = client_for(partner)
    _notify(partner, step="a")
    client.get(reverse("notifications:list"))
    with django_assert_num_queries(5):
        client.get(reverse("notifications:list"))
    for step in range(30):
        _notify(partner, step=f"s{step}")
    with django_assert_num_queries(5):
        response = client.get(reverse("notifications:list"))
    assert "月报提醒" in response.content.decode()


def test_hub_staff_see_the_log_and_resend(client_for, hub_staff, partner, django_capture_on_commit_callbacks):
    notification = _notify(partner)
    send_one(notification.pk)
    client = client_for(hub_staff)
    assert "月报提醒" in client.get(reverse("notifications:log")).content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("notifications:resend", args=[notification.pk]))
    assert len(callbacks) == 1
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert send_one(notification.pk) == "sent"
    assert len(mail.outbox) == 2


def test_preferences_cannot_turn_off_a_required_kind(client_for, partner):
    client = client_for(partner)
    client.post(reverse("notifications:preferences"), {"email": []})
    assert NotificationPreference.objects.get(user=partner, kind="test.reminder").email_enabled is False
    assert NotificationPreference.objects.get(user=partner, kind="test.required").email_enabled is True


@pytest.mark.celery_worker
def test_a_real_worker_emails_a_notification_once_even_when_enqueued_twice(celery_worker_process, partner):
    from hubsite.core.notifications.tasks import send_notification_email
    from tests.worker_queue import wait_until_idle

    notification = _notify(partner)  # transactional test: on_commit fires and enqueues once
    duplicate = send_notification_email.delay(notification.pk)
    duplicate.get(timeout=40)
    wait_until_idle(celery_worker_process)  # the first delivery has run as well, whichever ran first
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENT
    mails = celery_worker_process.sent_mails()
    assert len(mails) == 1
    assert mails[0]["To"] == "partner@example.org"


@pytest.mark.django_db(transaction=True)
def test_when_the_broker_is_down_saving_still_works_and_the_sweep_sends_later(partner):
    with broker_down():
        notification = _notify(partner)  # on_commit tries to enqueue and must not raise
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert send_pending_notification_emails(older_than_seconds=0) == 1
    assert len(mail.outbox) == 1
