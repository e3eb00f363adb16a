"""A test message to a WeCom group, sent through the WeCom channel's own code against a local server
that answers as WeCom does: an organisation's director (or the hub) tests their group from its page,
the hub tests its robots from the admin, and each page then says whether the post was sent or why it
failed. A test posts once however often the task runs."""

import pytest
from django.urls import reverse

from hubsite.core.models import Delivery, GroupRobot, Notification
from hubsite.core.notifications.group_test import GROUP_TEST, do_send_group_test
from hubsite.core.notifications.tasks import send_delivery_now, send_pending_deliveries

from .channel_server import Reply, ScriptedServer


@pytest.fixture
def wecom(settings):
    server = ScriptedServer(Reply({"errcode": 0, "errmsg": "ok"})).start()
    settings.WECOM_WEBHOOK_HOSTS = [server.address]
    settings.WECOM_TIMEOUT = 1
    yield server
    server.stop()


@pytest.fixture
def connected(org_a, wecom):
    org_a.wecom_webhook_url = f"{wecom.url}/cgi-bin/webhook/send?key=org-a-secret"
    org_a.wecom_kinds = ["reports.returned"]
    org_a.save()
    return org_a


def test_a_director_tests_the_group_and_the_page_says_it_was_sent(
    connected,
    director,
    wecom,
    client_for,
    outbox_eager,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    client = client_for(director)
    url = reverse("partners:organisation_wecom_test", args=[connected.pk])
    # The organisation's page offers the test once a group is connected.
    assert url in client.get(connected.get_absolute_url()).content.decode()
    client.get(url)
    with django_assert_num_queries(4):
        page = client.get(url).content.decode()
    assert "尚未发送过测试消息" in page and "org-" in page and "org-a-secret" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    (sent,) = wecom.requests
    assert sent.path == "/cgi-bin/webhook/send?key=org-a-secret"
    content = sent.body["markdown"]["content"]
    assert "企业微信群测试消息" in content and connected.display_name in content
    page = client.get(url).content.decode()
    assert 'id="test-status"' in page and "已发送" in page

    # Sent once: the task again, the sweep, and a second click within the minute post nothing more.
    delivery = Delivery.objects.get()
    assert send_delivery_now(delivery.pk) == ("not pending", 0)
    assert send_pending_deliveries(older_than_seconds=0) == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(wecom.requests) == 1
    # No e-mail and nothing unread in the director's bell: the page is where they look.
    notice = Notification.objects.get(kind=GROUP_TEST.code)
    assert notice.email_status == Notification.EmailStatus.SKIPPED and notice.read_at is not None


def test_a_group_that_refuses_the_post_is_reported_failed_with_weComs_answer(
    connected, director, wecom, client_for, outbox_eager, django_capture_on_commit_callbacks
):
    wecom.script.append(Reply({"errcode": 93000, "errmsg": "invalid webhook url"}))
    client = client_for(director)
    url = reverse("partners:organisation_wecom_test", args=[connected.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    page = client.get(url).content.decode()
    assert "失败" in page and "errcode 93000: invalid webhook url" in page


def test_an_address_outside_the_allowed_hosts_is_refused_before_anything_is_queued(
    connected, director, settings, client_for
):
    settings.WECOM_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com"]
    response = client_for(director).post(reverse("partners:organisation_wecom_test", args=[connected.pk]))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Delivery.objects.exists()


def test_the_hub_tests_its_robot_from_the_admin_and_the_list_says_how_it_went(
    hub_admin, wecom, client_for, outbox_eager, django_capture_on_commit_callbacks
):
    robot = GroupRobot.objects.create(
        name="枢纽工作群", webhook_url=f"{wecom.url}/cgi-bin/webhook/send?key=hub", kinds=["reports.due"]
    )
    client = client_for(hub_admin)
    changelist = reverse("admin:hubsite_grouprobot_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "send_test_message", "_selected_action": [robot.pk]}, follow=True
        )
    assert "枢纽工作群" in response.content.decode()
    (sent,) = wecom.requests
    assert sent.path == "/cgi-bin/webhook/send?key=hub" and "枢纽工作群" in sent.body["markdown"]["content"]
    assert "已发送" in client.get(changelist).content.decode()
    # The test kind is nobody's reminder: a robot cannot be set to take it.
    assert GROUP_TEST.code not in client.get(reverse("admin:hubsite_grouprobot_add")).content.decode()


def test_the_action_returns_the_same_delivery_within_the_minute(connected, director, wecom):
    first = do_send_group_test(by=director, webhook_url=connected.wecom_webhook_url, group="甲")
    again = do_send_group_test(by=director, webhook_url=connected.wecom_webhook_url, group="甲")
    assert first.pk == again.pk and Delivery.objects.count() == 1
