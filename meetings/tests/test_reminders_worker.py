"""Meeting reminders through a real Celery worker on real Redis: the invitation e-mailed (with its
.ics) when a meeting is confirmed, and the sweep's reminders sent once when the task runs twice.

The e-mails are the worker's: its file backend writes them and ``worker.sent_mails()`` reads them.
"""

import datetime

import pytest
from icalendar import Calendar

from hubsite.core.models import Notification
from meetings import actions
from meetings.choices import MeetingStatus
from meetings.models import Meeting
from meetings.tasks import send_meeting_reminders
from tests.worker_queue import results, wait_until_idle

pytestmark = pytest.mark.celery_worker


def _recipients(messages):
    return sorted(message["To"] for message in messages)


def test_confirming_a_meeting_has_the_worker_email_the_invitations_with_the_ics(
    meeting, celery_worker_process
):
    worker = celery_worker_process
    actions.do_confirm_meeting(meeting)  # the e-mail task is enqueued when the confirmation commits
    assert worker.wait_until(lambda: len(worker.sent_mails()) >= 2)
    wait_until_idle(worker)
    messages = worker.sent_mails()
    assert _recipients(messages) == ["other@example.org", "partner@example.org"]
    for message in messages:
        (calendar_part,) = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
        event = Calendar.from_ical(calendar_part.get_payload(decode=True)).walk("VEVENT")[0]
        assert str(event["SUMMARY"]) == "伙伴交流会"
        assert event.decoded("DTSTART") == meeting.starts_at


def test_the_meeting_sweep_enqueued_twice_sends_each_reminder_once(meeting, celery_worker_process):
    worker = celery_worker_process
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CONFIRMED)
    three_days_before = (meeting.starts_at - datetime.timedelta(days=3, hours=2)).isoformat()
    sweeps = [send_meeting_reminders.delay(now=three_days_before) for _ in range(2)]
    # Each of the two invitees who have not declined: the invitation the sweep catches up on, and
    # the reminder three days before. One worker process runs the sweeps in turn: the second finds
    # all four there.
    assert [sum(counts.values()) for counts in results(sweeps)] == [4, 0]
    wait_until_idle(worker)  # the e-mail tasks both sweeps enqueued have run too
    assert _recipients(worker.sent_mails()) == ["other@example.org"] * 2 + ["partner@example.org"] * 2
    assert sorted(Notification.objects.values_list("kind", "step")) == [
        ("meetings.invitation", "invitation"),
        ("meetings.invitation", "invitation"),
        ("meetings.reminder", "before-3"),
        ("meetings.reminder", "before-3"),
    ]
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}
