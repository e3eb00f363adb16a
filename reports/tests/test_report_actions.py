"""The review steps tell the people who wait for them at once, in the step's own transaction."""

import pytest
from django.core import mail
from django.urls import reverse

from hubsite.core.models import Notification, OutboxMessage
from reports import actions
from reports.actions import do_approve_report, do_reopen_report, do_return_report, do_submit_report
from reports.choices import ReportStatus
from reports.models import MonthlyReport, ReportError, ReportEvent
from reports.tests.factories import make_report

SEND_EMAIL = "hubsite.notifications.tasks.send_notification_email"


@pytest.fixture
def waiting(org_a, centre_a, month, partner):
    """March 2024's report of org A, handed in by its partner staff member."""
    report = make_report(org_a, month)
    do_submit_report(report, by=partner)
    return report


def told(kind):
    return {n.recipient.email: n for n in Notification.objects.filter(kind=kind).select_related("recipient")}


def test_a_return_tells_the_submitter_and_the_organisations_partner_people_with_the_comment(
    waiting, partner, director, other, hub_staff, hub_admin
):
    event = do_return_report(waiting, by=hub_staff, comment="请补充家访次数")
    notices = told("reports.returned")
    assert sorted(notices) == ["director@example.org", "partner@example.org"]
    notice = notices["partner@example.org"]
    assert "请补充家访次数" in notice.body
    assert "都安瑶山社会工作服务中心" in notice.body and "2024-03" in notice.subject
    assert "退回修改：请补充家访次数" in notice.subject  # each return of one report reads differently
    assert notice.url == reverse("reports:edit", args=[waiting.pk])
    assert (notice.object_key, notice.step) == (f"reports.monthlyreport:{waiting.pk}", f"notice:{event.pk}")


def test_an_approval_tells_the_same_people(waiting, partner, director, other, hub_staff):
    do_approve_report(waiting, by=hub_staff)
    notices = told("reports.approved")
    assert sorted(notices) == ["director@example.org", "partner@example.org"]
    assert "已通过" in notices["director@example.org"].subject
    assert notices["director@example.org"].url == reverse("reports:detail", args=[waiting.pk])


def test_a_reopened_report_tells_them_the_reason(waiting, partner, hub_staff, hub_admin):
    do_approve_report(waiting, by=hub_staff)
    do_reopen_report(waiting, by=hub_admin, reason="金额填错")
    notice = Notification.objects.get(kind="reports.returned", recipient=partner)
    assert "重新打开" in notice.subject and "金额填错" in notice.body


def test_a_submitter_from_the_hub_is_told_and_inactive_people_are_not(
    org_a, centre_a, month, partner, hub_staff, hub_admin, make_user
):
    make_user("left@example.org", "partner_staff", org_a, is_active=False)
    report = make_report(org_a, month)
    do_submit_report(report, by=hub_staff)  # typed in on the organisation's behalf
    do_return_report(report, by=hub_admin, comment="请核对")
    assert sorted(told("reports.returned")) == ["partner@example.org", "staff@example.org"]


def test_a_resubmission_tells_the_hub_person_who_returned_it(waiting, partner, hub_staff, hub_admin):
    do_return_report(waiting, by=hub_staff, comment="请补充家访次数")
    do_submit_report(waiting, by=partner)
    notice = Notification.objects.get(kind="reports.resubmitted")
    assert notice.recipient == hub_staff
    assert "重新提交" in notice.subject and "2024-03" in notice.subject
    assert "第 2 次提交" in notice.subject


def test_a_first_submission_tells_nobody(waiting, hub_staff, hub_admin):
    assert not Notification.objects.exists()


def test_the_emails_wait_in_the_outbox_for_the_commit(waiting, partner, director, hub_staff):
    do_return_report(waiting, by=hub_staff, comment="请补充家访次数")
    queued = sorted(m.args[0] for m in OutboxMessage.objects.filter(task=SEND_EMAIL))
    assert queued == sorted(Notification.objects.values_list("pk", flat=True))
    assert len(queued) == 2


def test_returning_on_the_page_mails_the_partner_at_once(
    client_for, waiting, partner, hub_staff, django_capture_on_commit_callbacks, outbox_eager
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(hub_staff).post(
            reverse("reports:return", args=[waiting.pk]), {"comment": "请补充家访次数"}
        )
    assert response.status_code == 302
    message = next(m for m in mail.outbox if m.to == [partner.email])
    assert "退回修改" in message.subject
    assert "请补充家访次数" in message.body


def test_a_failing_notification_leaves_nothing_behind(waiting, partner, director, hub_staff, monkeypatch):
    real_notify = actions.notify
    calls = []

    def notify_then_fail(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("mail queue full")
        return real_notify(*args, **kwargs)

    monkeypatch.setattr(actions, "notify", notify_then_fail)
    with pytest.raises(RuntimeError):
        do_return_report(waiting, by=hub_staff, comment="请补充家访次数")
    assert len(calls) == 2  # the first notification was written, then rolled back with the step
    assert MonthlyReport.objects.get(pk=waiting.pk).status == ReportStatus.SUBMITTED
    assert not ReportEvent.objects.filter(action="returned").exists()
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.filter(task=SEND_EMAIL).exists()


def test_a_refused_step_tells_nobody(org_a, centre_a, month, partner, hub_staff):
    draft = make_report(org_a, month)
    with pytest.raises(ReportError):
        do_approve_report(draft, by=hub_staff)
    assert not Notification.objects.exists()


def test_the_preferences_page_lists_the_new_kinds(client_for, partner):
    html = client_for(partner).get(reverse("notifications:preferences")).content.decode()
    assert 'value="reports.approved"' in html
    assert 'value="reports.returned"' in html
    # Only the hub hears that a returned report came back: partner staff are never offered it.
    assert 'value="reports.resubmitted"' not in html
