"""An organisation's own WeCom group hears of its people's notifications of the kinds it chose, once
per event even when the event notifies several of them (author and director), next to the bell and
the e-mail; tried against a local server that answers as WeCom does."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from hubsite.core.models import Delivery, GroupRobot, Notification
from hubsite.core.notifications.tasks import send_pending_deliveries
from reports.actions import do_return_report, do_submit_report
from reports.defaults import load_default_indicators
from reports.models import Indicator
from reports.tests.factories import make_report

from .channel_server import Reply, ScriptedServer

MONTH = datetime.date(2024, 3, 1)
COMMENT = "请补充本月亮点的具体内容。"


@pytest.fixture
def wecom(settings):
    server = ScriptedServer(Reply({"errcode": 0, "errmsg": "ok"})).start()
    settings.WECOM_WEBHOOK_HOSTS = [server.address]
    settings.WECOM_TIMEOUT = 1
    yield server
    server.stop()


@pytest.fixture
def handed_in(db, org_a, centre_a, partner, director):
    load_default_indicators(Indicator)
    report = make_report(org_a, MONTH)
    do_submit_report(report, by=partner)
    return report


def _connect(org, server, kinds=("reports.returned",)):
    org.wecom_webhook_url = f"{server.url}/cgi-bin/webhook/send?key=org-a"
    org.wecom_kinds = list(kinds)
    org.save()
    return org.wecom_webhook_url


def test_a_returned_report_reaches_the_authors_bell_email_and_the_groups_chat_once(
    client_for,
    handed_in,
    org_a,
    partner,
    director,
    hub_staff,
    wecom,
    outbox_eager,
    django_capture_on_commit_callbacks,
):
    group = _connect(org_a, wecom)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(hub_staff).post(
            reverse("reports:return", args=[handed_in.pk]), {"comment": COMMENT}
        )
    assert response.status_code == 302
    # The bell: the author and the director each have their notice.
    notices = Notification.objects.filter(kind="reports.returned")
    assert sorted(notices.values_list("recipient__email", flat=True)) == [
        "director@example.org",
        "partner@example.org",
    ]
    bell = client_for(partner).get(reverse("notifications:list")).content.decode()
    assert "2024-03" in bell and "退回修改" in bell
    # The e-mail, with the hub's comment.
    (to_author,) = [message for message in mail.outbox if message.to == [partner.email]]
    assert COMMENT in to_author.body
    # The group: one post for the event, with the comment and the link to fix it.
    assert len(wecom.requests) == 1
    content = wecom.requests[0].body["markdown"]["content"]
    assert COMMENT in content and "2024-03" in content
    assert reverse("reports:edit", args=[handed_in.pk]) in content
    (delivery,) = Delivery.objects.filter(channel="wecom")
    assert (delivery.target, delivery.status) == (group, "sent")
    # The sweep that catches what no task sent finds nothing more to post.
    assert send_pending_deliveries(older_than_seconds=0) == 0
    assert len(wecom.requests) == 1


def test_kinds_the_group_did_not_choose_stay_out_of_it(
    handed_in, org_a, hub_staff, wecom, outbox_eager, django_capture_on_commit_callbacks
):
    _connect(org_a, wecom, kinds=["reports.approved"])
    with django_capture_on_commit_callbacks(execute=True):
        do_return_report(handed_in, by=hub_staff, comment=COMMENT)
    assert Notification.objects.filter(kind="reports.returned").count() == 2
    assert not Delivery.objects.exists() and wecom.requests == []


def test_the_hubs_robot_and_the_organisations_group_each_get_the_event_once(
    handed_in, org_a, org_b, hub_staff, wecom, outbox_eager, django_capture_on_commit_callbacks
):
    group = _connect(org_a, wecom)
    hub_robot = GroupRobot.objects.create(
        name="枢纽工作群", webhook_url=f"{wecom.url}/cgi-bin/webhook/send?key=hub", kinds=["reports.returned"]
    )
    # Another organisation's group never hears of org A's report.
    org_b.wecom_webhook_url, org_b.wecom_kinds = (
        f"{wecom.url}/cgi-bin/webhook/send?key=org-b",
        ["reports.returned"],
    )
    org_b.save()
    with django_capture_on_commit_callbacks(execute=True):
        do_return_report(handed_in, by=hub_staff, comment=COMMENT)
    assert sorted(request.path for request in wecom.requests) == [
        "/cgi-bin/webhook/send?key=hub",
        "/cgi-bin/webhook/send?key=org-a",
    ]
    assert sorted(Delivery.objects.values_list("target", flat=True)) == sorted([hub_robot.webhook_url, group])


def test_a_group_address_changed_to_another_host_behind_the_forms_back_is_not_called(
    handed_in, org_a, hub_staff, wecom, outbox_eager, django_capture_on_commit_callbacks
):
    org_a.wecom_webhook_url, org_a.wecom_kinds = "https://evil.example.org/hook", ["reports.returned"]
    org_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        do_return_report(handed_in, by=hub_staff, comment=COMMENT)
    assert Notification.objects.filter(kind="reports.returned").count() == 2
    assert not Delivery.objects.exists() and wecom.requests == []


@pytest.fixture
def wecom_for_worker(monkeypatch, settings):
    """Started before the worker, whose settings come from the environment."""
    server = ScriptedServer(Reply({"errcode": 0, "errmsg": "ok"})).start()
    monkeypatch.setenv("WECOM_WEBHOOK_HOSTS", server.address)
    settings.WECOM_WEBHOOK_HOSTS = [server.address]
    yield server
    server.stop()


@pytest.mark.celery_worker
def test_a_real_worker_delivers_bell_email_and_one_group_post_in_one_cycle(
    wecom_for_worker, celery_worker_process, org_a, centre_a, partner, director, hub_staff
):
    from tests.worker_queue import wait_until_idle

    worker = celery_worker_process
    load_default_indicators(Indicator)
    report = make_report(org_a, MONTH)
    do_submit_report(report, by=partner)
    _connect(org_a, wecom_for_worker)
    do_return_report(report, by=hub_staff, comment=COMMENT)  # committed: the outbox publishes the tasks
    assert worker.wait_until(
        lambda: len(wecom_for_worker.requests) == 1 and len(worker.sent_mails()) == 2, timeout=40
    )
    wait_until_idle(worker)
    assert sorted(message["To"] for message in worker.sent_mails()) == [
        "director@example.org",
        "partner@example.org",
    ]
    assert len(wecom_for_worker.requests) == 1
    assert COMMENT in wecom_for_worker.requests[0].body["markdown"]["content"]
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}
    assert list(Delivery.objects.values_list("status", flat=True)) == ["sent"]
