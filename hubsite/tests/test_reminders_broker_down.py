"""With Redis unreachable, confirming a meeting and submitting a report still work; the reminders
are kept pending and go out when the sweep runs later."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hubsite.core.models import Notification
from hubsite.core.notifications.tasks import send_pending_notification_emails
from tests.broker import broker_down

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit runs, and tries the dead broker


def test_confirming_a_meeting_works_and_the_invitation_goes_out_later(client_for, hub_staff, partner):
    from meetings.choices import MeetingKind, MeetingStatus
    from meetings.models import Invitation, Meeting

    start = timezone.now() + datetime.timedelta(days=10)
    meeting = Meeting.objects.create(
        kind=MeetingKind.OTHER,
        title="伙伴交流会",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    Invitation.objects.create(meeting=meeting, person=partner, organisation=partner.organisation)
    client = client_for(hub_staff)
    with broker_down():
        response = client.post(reverse("meetings:meeting_status", args=[meeting.pk]), {"action": "confirm"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONFIRMED
    invitation = Notification.objects.get(kind="meetings.invitation", recipient=partner)
    assert invitation.email_status == Notification.EmailStatus.PENDING
    assert mail.outbox == []

    assert send_pending_notification_emails(older_than_seconds=0) == 1  # beat's periodic run, later
    assert mail.outbox[0].to == [partner.email]
    assert mail.outbox[0].attachments[0][0] == f"meeting-{meeting.pk}.ics"


def test_submitting_a_report_works_and_the_sweep_reminds_the_others_later(
    client_for, org_a, org_b, centre_a, centre_b, partner, other, settings
):
    from reports import reminders
    from reports.defaults import load_default_indicators
    from reports.models import Indicator, MonthlyReport
    from reports.tests.factories import make_report

    load_default_indicators(Indicator)  # transactional tests flush what the migration loaded
    settings.REPORT_REMINDER_STALE_DAYS = 10
    month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    month = month.replace(day=1)
    report = make_report(org_a, month, by=partner)
    client = client_for(partner)
    with broker_down():
        response = client.post(reverse("reports:submit", args=[report.pk]))
        assert response.status_code == 302
        report.refresh_from_db()
        assert report.status == "submitted"
        from reports import periods

        due = periods.due_date(month)
        now = timezone.make_aware(datetime.datetime.combine(due, datetime.time(8)))
        reminders.sweep(now)  # beat's sweep while Redis is still down: rows are created, not sent
    reminded = Notification.objects.get(kind="reports.due")
    assert reminded.recipient == other  # org A handed in
    assert reminded.email_status == Notification.EmailStatus.PENDING
    assert send_pending_notification_emails(older_than_seconds=0) == 1
    assert [m.to for m in mail.outbox] == [[other.email]]
    assert MonthlyReport.objects.get(pk=report.pk).first_submitted_at is not None
