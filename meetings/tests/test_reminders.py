"""Meeting reminders driven by the sweep's ``now``: invitation on confirm (.ics attached), before the
meeting, the host's topic, overdue minutes, and the daily action-item digest."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from hubsite.core.models import Notification
from hubsite.core.notifications.tasks import send_pending_notification_emails
from meetings import actions, reminders
from meetings.choices import ActionStatus, MeetingKind, MeetingStatus
from meetings.models import ActionItem, Invitation, Meeting, Minutes, TopicProposal


def at(day: str, hour: int = 8) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


def steps(kind, user=None):
    rows = Notification.objects.filter(kind=kind)
    if user is not None:
        rows = rows.filter(recipient=user)
    return sorted(rows.values_list("recipient__email", "step"))


def confirmed(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CONFIRMED)
    meeting.refresh_from_db()
    return meeting


def test_confirming_a_meeting_invites_those_who_have_not_declined_with_the_ics_attached(
    meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.do_confirm_meeting(meeting)
    assert len(callbacks) == 1  # one e-mail task for the whole meeting, after commit
    assert steps("meetings.invitation") == [
        ("other@example.org", "invitation"),
        ("partner@example.org", "invitation"),
    ]
    assert send_pending_notification_emails(older_than_seconds=0) == 2
    message = next(m for m in mail.outbox if m.to == ["partner@example.org"])
    assert "邀请" in message.subject and "伙伴交流会" in message.subject
    assert f"/meetings/{meeting.pk}/" in message.body
    (filename, content, mimetype) = message.attachments[0]
    assert filename == f"meeting-{meeting.pk}.ics" and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "伙伴交流会"
    assert event.decoded("DTSTART") == meeting.starts_at
    assert str(event["STATUS"]) == "CONFIRMED"


def test_a_meeting_that_cannot_be_confirmed_invites_nobody(meeting):
    confirmed(meeting)
    with pytest.raises(ValidationError):
        actions.do_confirm_meeting(meeting)
    assert Notification.objects.count() == 0


def test_the_sweep_never_invites_twice_but_invites_people_added_after_confirmation(meeting, make_user, org_a):
    actions.do_confirm_meeting(meeting)
    reminders.sweep(at("2030-05-01"))
    assert Notification.objects.filter(kind="meetings.invitation").count() == 2
    late = make_user("late@example.org", "partner_staff", org_a)
    Invitation.objects.create(meeting=meeting, person=late, organisation=org_a)
    reminders.sweep(at("2030-05-02"))
    assert steps("meetings.invitation", late) == [("late@example.org", "invitation")]
    assert Notification.objects.filter(kind="meetings.invitation").count() == 3


def test_reminders_go_three_days_and_one_day_before_to_invitees_who_have_not_declined(meeting):
    confirmed(meeting)
    reminders.sweep(at("2030-05-16"))
    assert steps("meetings.reminder") == []
    reminders.sweep(at("2030-05-17"))
    reminders.sweep(at("2030-05-17", 20))
    assert steps("meetings.reminder") == [
        ("other@example.org", "before-3"),
        ("partner@example.org", "before-3"),
    ]
    reminders.sweep(at("2030-05-19"))
    reminders.sweep(at("2030-05-20", 9))  # the day itself, before the start: nothing new
    assert steps("meetings.reminder") == [
        ("other@example.org", "before-1"),
        ("other@example.org", "before-3"),
        ("partner@example.org", "before-1"),
        ("partner@example.org", "before-3"),
    ]
    reminders.sweep(at("2030-05-20", 11))
    assert Notification.objects.filter(kind="meetings.reminder").count() == 4


def test_a_missed_beat_sends_the_one_day_reminder_but_not_the_stale_three_day_one(meeting):
    confirmed(meeting)
    reminders.sweep(at("2030-05-19", 18))
    assert steps("meetings.reminder") == [
        ("other@example.org", "before-1"),
        ("partner@example.org", "before-1"),
    ]


def test_a_planned_or_cancelled_meeting_sends_no_reminder(meeting):
    reminders.sweep(at("2030-05-19"))
    assert Notification.objects.count() == 0
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED, cancel_reason="暴雨")
    reminders.sweep(at("2030-05-19"))
    assert Notification.objects.count() == 0


@pytest.fixture
def topic_meeting(org_a):
    return Meeting.objects.create(
        kind=MeetingKind.MONTHLY_TOPIC,
        title="五月主题会",
        starts_at=at("2030-05-20", 14),
        ends_at=at("2030-05-20", 16),
        host=org_a,
        topic_due_on=datetime.date(2030, 5, 10),
    )


def test_the_monthly_topic_host_is_reminded_ten_days_before_when_no_topic_is_proposed(
    topic_meeting, partner, director, other
):
    reminders.sweep(at("2030-05-09"))
    assert steps("meetings.topic") == []
    reminders.sweep(at("2030-05-10"))
    reminders.sweep(at("2030-05-11"))
    assert steps("meetings.topic") == [
        ("director@example.org", "topic"),
        ("partner@example.org", "topic"),
    ]
    notification = Notification.objects.filter(kind="meetings.topic").first()
    assert notification.url == f"/meetings/{topic_meeting.pk}/topic/"
    assert "2030-05-10" in notification.body


def test_a_host_that_already_proposed_is_not_reminded(topic_meeting, partner):
    TopicProposal.objects.create(
        meeting=topic_meeting,
        title="绘本共读",
        problem="…",
        why_it_matters="…",
        deadline=datetime.date(2030, 5, 10),
    )
    reminders.sweep(at("2030-05-12"))
    assert steps("meetings.topic") == []


def test_minutes_overdue_seven_days_after_a_held_meeting_go_to_the_hub_person_who_created_it(
    meeting, hub_staff, hub_admin
):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    reminders.sweep(at("2030-05-27", 11))
    assert steps("meetings.minutes_overdue") == []
    reminders.sweep(at("2030-05-27", 13))
    reminders.sweep(at("2030-05-28"))
    assert steps("meetings.minutes_overdue") == [("staff@example.org", "minutes-overdue")]
    assert Notification.objects.get(kind="meetings.minutes_overdue").url == f"/meetings/{meeting.pk}/minutes/"


def test_minutes_of_a_meeting_without_a_hub_creator_are_chased_from_every_hub_person(
    meeting, hub_staff, hub_admin
):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD, created_by=None)
    reminders.sweep(at("2030-05-28"))
    assert steps("meetings.minutes_overdue") == [
        ("hub@example.org", "minutes-overdue"),
        ("staff@example.org", "minutes-overdue"),
    ]


def test_recorded_minutes_stop_the_reminder_and_old_meetings_are_stale(meeting, hub_staff, settings):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    settings.MEETING_REMINDER_STALE_DAYS = 5
    reminders.sweep(at("2030-06-05"))  # 16 days after: beyond 7 + 5
    assert steps("meetings.minutes_overdue") == []
    Minutes.objects.create(meeting=meeting, text="纪要", recorded_by=hub_staff)
    reminders.sweep(at("2030-05-28"))
    assert steps("meetings.minutes_overdue") == []


def test_action_items_due_in_three_days_and_overdue_make_one_digest_per_person_per_day(
    meeting, org_a, partner, director, other
):
    def item(what, due, **extra):
        return ActionItem.objects.create(
            meeting=meeting,
            what=what,
            owner_organisation=org_a,
            due_on=datetime.date.fromisoformat(due),
            **extra,
        )

    item("交月度照片", "2030-06-03", owner_person=partner)  # due in 3 days
    item("整理借阅登记", "2030-05-25", owner_person=partner)  # overdue
    item("下个月的事", "2030-06-10", owner_person=partner)  # not yet
    item("已完成的事", "2030-05-25", owner_person=partner, status=ActionStatus.DONE)
    item("机构层面的跟进", "2030-06-01")  # no owner person: the director

    reminders.sweep(at("2030-05-31"))
    reminders.sweep(at("2030-05-31", 18))
    digests = Notification.objects.filter(kind="meetings.action_items")
    assert sorted(digests.values_list("recipient__email", "object_key")) == [
        ("director@example.org", "meetings.actionitems:2030-05-31"),
        ("partner@example.org", "meetings.actionitems:2030-05-31"),
    ]
    body = digests.get(recipient=partner).body
    assert "交月度照片" in body and "整理借阅登记" in body
    assert "下个月的事" not in body and "已完成的事" not in body
    assert body.index("整理借阅登记") < body.index("交月度照片")  # overdue first
    assert digests.get(recipient=director).body.count("- ") == 1
    assert digests.get(recipient=partner).url == "/meetings/actions/"

    reminders.sweep(at("2030-06-01"))
    assert Notification.objects.filter(kind="meetings.action_items", recipient=partner).count() == 2
