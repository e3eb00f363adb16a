"""WeCom group robots against a local server that answers as WeCom does ({"errcode": 0}, 45009, slow).

Each notification of a kind a group takes is posted there once, as markdown with its link; a rate
limit or a timeout keeps it pending with a back-off, a refusal fails it where the hub sees it, and
only allowed hosts are ever called.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hubsite.core.models import Delivery, GroupRobot, Notification
from hubsite.core.notifications import Pending, notify, notify_many, register_kind
from hubsite.core.notifications.channels import RetryLater
from hubsite.core.notifications.channels.wecom import RATE_LIMITED, check_webhook_url, markdown, take_slot
from hubsite.core.notifications.hooks import GROUP_TARGETS
from hubsite.core.notifications.tasks import send_delivery, send_delivery_now, send_pending_deliveries

from .channel_server import Reply, ScriptedServer

register_kind("test.wecom", "群测试提醒")
register_kind("test.quiet", "不发群的测试提醒")
OK = Reply({"errcode": 0, "errmsg": "ok"})


@pytest.fixture
def wecom(settings):
    server = ScriptedServer(OK).start()
    settings.WECOM_WEBHOOK_HOSTS = [server.address]
    settings.WECOM_TIMEOUT = 1
    yield server
    server.stop()


@pytest.fixture
def robot(db, wecom):
    return GroupRobot.objects.create(
        name="枢纽工作群", webhook_url=f"{wecom.url}/cgi-bin/webhook/send?key=hub", kinds=["test.wecom"]
    )


def _notify(user, kind="test.wecom", step="due"):
    return notify(
        kind,
        user,
        key="reports.monthlyreport:7",
        step=step,
        subject="十月月报已退回",
        body="请补充亮点。\n谢谢",
        url="/reports/7/",
    )


def test_a_notification_of_a_kind_the_group_takes_is_posted_once_as_markdown_with_its_link(
    robot, wecom, partner, settings, outbox_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(partner)
    delivery = Delivery.objects.get(notification=notification)
    assert (delivery.channel, delivery.status, delivery.target) == ("wecom", "sent", robot.webhook_url)
    assert len(wecom.requests) == 1
    sent = wecom.requests[0]
    assert sent.path == "/cgi-bin/webhook/send?key=hub"
    assert sent.body["msgtype"] == "markdown"
    content = sent.body["markdown"]["content"]
    assert "群测试提醒" in content and "十月月报已退回" in content and "> 请补充亮点。" in content
    assert f"]({settings.SITE_URL}/reports/7/)" in content
    # Again by the task, by the sweep, and by a duplicate notify: nothing more reaches the group.
    assert send_delivery_now(delivery.pk) == ("not pending", 0)
    assert send_pending_deliveries(older_than_seconds=0) == 0
    assert _notify(partner) is None
    assert len(wecom.requests) == 1


def test_notifications_made_in_bulk_are_planned_and_posted_by_the_sweep_once_per_event(
    robot, wecom, partner, director
):
    items = [
        Pending(
            "test.wecom", person, "reports.monthlyreport:7", "due-3", "月报三天后截止", "请按时提交", "/r/"
        )
        for person in (partner, director)
    ]
    assert notify_many(items) == 2
    assert not Delivery.objects.exists()  # bulk rows have no ids yet: beat's sweep plans them
    assert send_pending_deliveries(older_than_seconds=0) == 1
    assert send_pending_deliveries(older_than_seconds=0) == 0
    assert len(wecom.requests) == 1
    assert not Notification.objects.filter(channels_planned=False).exists()


def test_kinds_the_group_does_not_take_and_inactive_robots_make_no_delivery(robot, partner):
    _notify(partner, kind="test.quiet")
    robot.active = False
    robot.save()
    _notify(partner, step="later")
    assert not Delivery.objects.exists()


def test_one_event_that_notifies_two_people_is_posted_to_the_group_once(robot, partner, director):
    _notify(partner)
    _notify(director)
    assert Notification.objects.count() == 2
    assert Delivery.objects.count() == 1


def test_the_rate_limit_reply_keeps_it_pending_with_a_back_off_and_it_is_sent_after(robot, wecom, partner):
    wecom.script.append(Reply({"errcode": RATE_LIMITED, "errmsg": "api freq out of limit"}))
    delivery = Delivery.objects.get(notification=_notify(partner))
    assert send_delivery_now(delivery.pk) == ("retry", 60)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and "45009" in delivery.last_error
    assert delivery.retry_at > timezone.now() + datetime.timedelta(seconds=55)
    assert send_pending_deliveries(older_than_seconds=0) == 0  # the sweep waits out the back-off too
    assert len(wecom.requests) == 1
    Delivery.objects.filter(pk=delivery.pk).update(retry_at=timezone.now())
    assert send_pending_deliveries(older_than_seconds=0) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert len(wecom.requests) == 2


def test_the_task_retries_with_the_back_off_the_robot_asked_for(robot, wecom, partner, monkeypatch):
    wecom.script.append(Reply({"errcode": RATE_LIMITED, "errmsg": "api freq out of limit"}))
    delivery = Delivery.objects.get(notification=_notify(partner))
    countdowns = []

    def retry(countdown):
        countdowns.append(countdown)
        return RuntimeError("retry")

    monkeypatch.setattr(send_delivery, "retry", retry)
    with pytest.raises(RuntimeError):
        send_delivery.run(delivery.pk)
    assert countdowns == [60]
    assert send_delivery.run(delivery.pk) == "sent"


def test_a_timeout_is_recorded_and_retried_with_a_growing_back_off(robot, wecom, partner):
    wecom.script.extend([Reply({"errcode": 0}, delay=2), Reply({"errcode": 0}, delay=2)])
    delivery = Delivery.objects.get(notification=_notify(partner))
    assert send_delivery_now(delivery.pk) == ("retry", 30)
    Delivery.objects.filter(pk=delivery.pk).update(retry_at=None)
    assert send_delivery_now(delivery.pk) == ("retry", 60)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and "Timeout" in delivery.last_error
    assert send_delivery_now(delivery.pk) == ("sent", 0)


def test_the_limiter_holds_back_a_robots_posts_beyond_its_minute(settings):
    settings.WECOM_RATE_LIMIT = 2
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=limit"
    noon = datetime.datetime(2026, 10, 1, 12, 0, 15, tzinfo=datetime.UTC).timestamp()
    assert [take_slot(url, noon), take_slot(url, noon + 1)] == [0, 0]
    assert take_slot(url, noon + 2) == 44  # until the next minute, and a second to spare
    assert take_slot("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=other", noon + 2) == 0
    assert take_slot(url, noon + 60) == 0


def test_a_held_back_post_is_not_sent_to_the_robot(robot, wecom, partner, settings):
    settings.WECOM_RATE_LIMIT = 0
    delivery = Delivery.objects.get(notification=_notify(partner))
    result, wait = send_delivery_now(delivery.pk)
    assert result == "retry" and 0 < wait <= 61
    assert wecom.requests == []


def test_a_refusal_fails_the_delivery_and_the_hub_sees_it_and_resends(
    robot, wecom, partner, hub_staff, client_for, outbox_eager, django_capture_on_commit_callbacks
):
    wecom.script.append(Reply({"errcode": 93000, "errmsg": "invalid webhook url"}))
    notification = _notify(partner)
    delivery = Delivery.objects.get(notification=notification)
    assert send_delivery_now(delivery.pk) == ("failed", 0)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "93000" in delivery.last_error

    client = client_for(hub_staff)
    assert 'id="failed-deliveries">1<' in client.get(reverse("home")).content.decode()
    log = client.get(reverse("notifications:log"), {"delivery_status": "failed"}).content.decode()
    assert "十月月报已退回" in log and 'name="only" value="deliveries"' in log
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("notifications:resend", args=[notification.pk]), {"only": "deliveries"}
        )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    notification.refresh_from_db()
    assert notification.email_status == "pending"  # only the group was sent again, no second e-mail
    assert len(wecom.requests) == 2


def test_a_host_outside_the_allow_list_is_refused_at_save_and_at_send(robot, wecom, partner, settings):
    for url in (
        "https://evil.example.org/cgi-bin/webhook/send?key=x",
        f"https://user:pw@{wecom.address}/x",
        "ftp://qyapi.weixin.qq.com/x",
    ):
        with pytest.raises(ValidationError) as refused:
            GroupRobot(name="坏", webhook_url=url, kinds=[]).full_clean()
        assert "webhook_url" in refused.value.message_dict
    delivery = Delivery.objects.get(notification=_notify(partner))
    settings.WECOM_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com"]
    settings.WECOM_WEBHOOK_ALLOW_HTTP = False
    assert check_webhook_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")
    with pytest.raises(ValidationError):
        GroupRobot(name="明文", webhook_url="http://qyapi.weixin.qq.com/x", kinds=[]).full_clean()
    # A row saved before the allow-list changed (or written around the form) is refused at send,
    # and no longer planned for new notifications.
    assert send_delivery_now(delivery.pk) == ("failed", 0)
    delivery.refresh_from_db()
    assert "DisallowedWebhook" in delivery.last_error
    assert wecom.requests == []
    assert not _notify(partner, step="later").deliveries.exists()


def test_the_group_targets_hook_adds_an_organisations_group_and_drops_other_hosts(robot, wecom, partner):
    own_group = f"{wecom.url}/cgi-bin/webhook/send?key=org-a"
    with GROUP_TARGETS.replaced(lambda notification: [own_group, "https://evil.example.org/hook"]):
        notification = _notify(partner, kind="test.quiet")
    assert list(notification.deliveries.values_list("target", flat=True)) == [own_group]


def test_a_long_text_is_cut_to_wecoms_limit():
    notification = Notification(kind="test.wecom", subject="长", body="很长的内容" * 2000, url="/x/")
    content = markdown(notification)
    assert len(content.encode()) <= 4096
    assert content.endswith("/x/)")


@pytest.mark.django_db(transaction=True)
def test_the_person_whose_action_caused_the_message_never_sees_an_error(
    client, hub_admin, hub_staff, prefectures, wecom, outbox_eager
):
    GroupRobot.objects.create(
        name="枢纽工作群",
        webhook_url=f"{wecom.url}/cgi-bin/webhook/send?key=hub",
        kinds=["partners.interest"],
    )
    wecom.default = Reply({"errcode": 0}, delay=2)  # WeCom does not answer in time
    response = client.post(
        reverse("coverage:interest"),
        {
            "name": "钦州童心社工",
            "prefecture": prefectures["450700"].pk,
            "contact_name": "黄女士",
            "contact_phone": "13877712345",
            "description": "社区儿童服务",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    assert Notification.objects.filter(kind="partners.interest").count() == 2
    # Two hub people notified, one post to the group: tried during the request, left for a retry.
    assert Delivery.objects.get().status == "pending"
    assert len(wecom.requests) == 1


def test_retry_later_carries_its_countdown():
    assert RetryLater("busy", 60).countdown == 60


def test_a_hub_admin_adds_a_group_in_the_admin_and_a_foreign_host_is_refused_there(
    client_for, hub_admin, hub_staff, wecom
):
    client = client_for(hub_admin)
    add = reverse("admin:hubsite_grouprobot_add")
    data = {
        "name": "枢纽工作群",
        "webhook_url": "https://evil.example.org/hook",
        "kinds": ["test.wecom"],
        "active": "on",
    }
    response = client.post(add, data)
    assert response.status_code == 200 and "只接受企业微信的 Webhook 地址" in response.content.decode()
    assert not GroupRobot.objects.exists()
    data["webhook_url"] = f"{wecom.url}/cgi-bin/webhook/send?key=hub"
    assert client.post(add, data).status_code == 302
    assert GroupRobot.objects.get().kinds == ["test.wecom"]
    assert client_for(hub_staff).get(add).status_code == 403  # the webhook key is a hub admin's
