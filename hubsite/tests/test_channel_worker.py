"""A real Celery worker posts a notification to a WeCom group (local server) once, through the
outbox, backing off when the robot answers 45009, even when the task is enqueued twice."""

import pytest

from hubsite.core.models import Delivery, GroupRobot
from hubsite.core.notifications import notify, register_kind

from .channel_server import Reply, ScriptedServer

register_kind("test.worker_wecom", "群测试提醒（后台）")


@pytest.fixture
def wecom_for_worker(monkeypatch, settings):
    """Started before the worker, whose settings come from the environment."""
    server = ScriptedServer(Reply({"errcode": 0, "errmsg": "ok"})).start()
    for name, value in (("WECOM_WEBHOOK_HOSTS", server.address), ("WECOM_BACKOFF", "1")):
        monkeypatch.setenv(name, value)
    settings.WECOM_WEBHOOK_HOSTS = [server.address]
    yield server
    server.stop()


@pytest.mark.celery_worker
def test_a_real_worker_posts_once_after_a_rate_limit_even_when_enqueued_twice(
    wecom_for_worker, celery_worker_process, partner
):
    from hubsite.core.notifications.tasks import send_delivery
    from tests.worker_queue import wait_until_idle

    wecom = wecom_for_worker
    wecom.script.append(Reply({"errcode": 45009, "errmsg": "api freq out of limit"}))
    GroupRobot.objects.create(
        name="枢纽工作群", webhook_url=f"{wecom.url}/cgi-bin/webhook/send?key=w", kinds=["test.worker_wecom"]
    )
    notification = notify(
        "test.worker_wecom",
        partner,
        key="reports.monthlyreport:9",
        subject="十月月报已退回",
        body="请补充",
        url="/",
    )  # transactional test: committed, so the outbox publishes the delivery's task to the worker
    delivery = Delivery.objects.get(notification=notification)
    send_delivery.delay(delivery.pk)  # a duplicate, as a redelivered message would be
    assert celery_worker_process.wait_until(
        lambda: Delivery.objects.filter(pk=delivery.pk, status="sent").exists(), timeout=40
    ), Delivery.objects.get(pk=delivery.pk).last_error
    wait_until_idle(celery_worker_process)
    delivery.refresh_from_db()
    assert delivery.attempts == 2  # the 45009, then the post that went through
    bodies = [request.body for request in wecom.requests]
    assert len(bodies) == 2 and bodies[0] == bodies[1]  # one refused by the limit, one delivered
    assert "十月月报已退回" in bodies[1]["markdown"]["content"]


@pytest.mark.celery_worker
def test_a_worker_killed_while_posting_loses_nothing_and_the_restart_sends_it(
    wecom_for_worker, celery_worker_process, partner, monkeypatch
):
    """SIGKILL while WeCom has not answered yet: the delivery's transaction dies with the worker, so
    the row is still pending and the redelivered task posts it. WeCom takes no idempotency key, so a
    post that reached it just before the crash shows twice in the group: at least once in that
    window, exactly once everywhere else (README: Channels)."""
    from reports.tests.test_regional_worker import _redeliver_unacked

    wecom = wecom_for_worker
    worker = celery_worker_process
    worker.stop()
    monkeypatch.setenv("WECOM_TIMEOUT", "30")
    worker.start()
    wecom.script.append(Reply({"errcode": 0, "errmsg": "ok"}, delay=20))
    GroupRobot.objects.create(
        name="枢纽工作群", webhook_url=f"{wecom.url}/cgi-bin/webhook/send?key=k", kinds=["test.worker_wecom"]
    )
    notification = notify(
        "test.worker_wecom",
        partner,
        key="reports.monthlyreport:9",
        subject="十月月报已退回",
        body="请补充",
        url="/",
    )
    delivery = Delivery.objects.get(notification=notification)
    assert worker.wait_until(lambda: len(wecom.requests) == 1, timeout=40)
    worker.kill()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)  # rolled back with the dead connection

    assert _redeliver_unacked(worker.queue_name) == 1
    worker.start()
    assert worker.wait_until(
        lambda: Delivery.objects.filter(pk=delivery.pk, status="sent").exists(), timeout=40
    )
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert len(wecom.requests) == 2
