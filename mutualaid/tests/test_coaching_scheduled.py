"""A coaching session the hub schedules for a director tells the director at once (bell and e-mail),
also when they never joined the waiting list."""

import datetime

from django.core import mail
from django.utils import timezone

from hubsite.core.models import Notification
from hubsite.core.notifications import object_key
from mutualaid.actions import do_join_waiting_list, do_log_session
from mutualaid.choices import SessionKind


def _log(hub_staff, director, *, days_ahead, kind=SessionKind.COACHING, request_id=None):
    return do_log_session(
        by=hub_staff,
        organisation=director.organisation,
        director=director,
        kind=kind,
        held_on=timezone.localdate() + datetime.timedelta(days=days_ahead),
        coach="黄老师",
        topic="团队分工",
        request_id=request_id,
    )


def test_a_session_scheduled_ahead_tells_the_director_at_once_with_date_and_coach(
    director, partner, hub_staff, django_capture_on_commit_callbacks, outbox_eager
):
    with django_capture_on_commit_callbacks(execute=True):
        session = _log(hub_staff, director, days_ahead=10)
    (notice,) = Notification.objects.filter(kind="mutualaid.coaching")
    assert (notice.recipient, notice.object_key, notice.step) == (director, object_key(session), "scheduled")
    assert notice.subject == "个人教练已安排：团队分工"
    day = session.held_on
    assert f"{day.year}年{day.month}月{day.day}日" in notice.body and "黄老师" in notice.body
    assert notice.url == session.get_absolute_url()
    assert [message.to for message in mail.outbox] == [[director.email]]


def test_a_waiting_list_entry_answered_is_told_once_not_twice(director, hub_staff):
    entry = do_join_waiting_list(by=director, topic="团队分工")
    _log(hub_staff, director, days_ahead=10, request_id=entry.pk)
    (notice,) = Notification.objects.filter(kind="mutualaid.coaching")
    assert notice.object_key == object_key(entry)


def test_an_organisation_support_session_tells_no_director(director, hub_staff):
    do_log_session(
        by=hub_staff,
        organisation=director.organisation,
        director=None,
        kind=SessionKind.INDIVIDUAL,
        held_on=timezone.localdate() + datetime.timedelta(days=3),
        coach="黄老师",
        topic="财务制度",
    )
    assert not Notification.objects.exists()
