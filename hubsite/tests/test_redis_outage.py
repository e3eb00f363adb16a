"""Redis dies under a running site: no 5xx, nothing slow, and every piece of work runs once it is back.

Real processes end to end: a private `redis-server` (never the shared one), the web app under
gunicorn and a Celery worker, both on the test database and the private Redis. The test talks HTTP
to the web app while Redis is stopped (login with the right password, a monthly report saved,
submitted and returned, coverage and public pages, the interest form, an invitation, a regional
report request, the home pages), starts Redis again, has the outbox swept as beat would, and waits
until everything queued ran: the report generated once, one e-mail per notification and invitation.

`HUBSITE_OUTAGE_SECONDS=60` repeats the rounds of actions for that long (the issue's measurement, run
by hand, not in the suite); the numbers land in test-artifacts/redis-outage.json.
"""

import datetime
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import ARTIFACTS, PASSWORD
from tests.polling import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent
SLOW = 3.0  # no request may wait longer than this on a dead Redis


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie-keeping HTTP client that records every answer's status and time."""

    def __init__(self, base, log):
        self.base = base
        self.log = log
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects()
        )

    def _csrf(self):
        for cookie in self.cookies:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""

    def request(self, method, path, data=None):
        body = None
        headers = {}
        if method == "POST":
            data = {**(data or {}), "csrfmiddlewaretoken": self._csrf()}
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, content = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, content = error.code, error.read()
        elapsed = time.monotonic() - started
        self.log.append((method, path, status, round(elapsed, 3)))
        return status, content.decode("utf-8", "replace")

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data=None):
        if not self._csrf():
            self.get("/accounts/login/")
        return self.request("POST", path, data)

    def login(self, email):
        self.get("/accounts/login/")
        return self.post("/accounts/login/", {"login": email, "password": PASSWORD})


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def site(private_redis, tmp_path, transactional_db):
    """gunicorn and a Celery worker on the test database and the private Redis."""
    from celery import Celery
    from django.db import connection

    private_redis.start()
    queue = f"outage-{os.getpid()}-{time.monotonic_ns()}"
    port = _free_port()
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="hubsite.settings.test",
        HUBSITE_TEST_DB_NAME=connection.settings_dict["NAME"],
        REDIS_URL=private_redis.url(),
        CELERY_TASK_DEFAULT_QUEUE=queue,
        HUBSITE_TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        HUBSITE_TEST_EMAIL_DIR=str(tmp_path / "mail"),
        MEDIA_ROOT=str(tmp_path / "media"),
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    logs = tmp_path / "logs"
    logs.mkdir()
    processes = []

    def spawn(name, arguments):
        output = open(logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            arguments, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        processes.append((process, output))
        return process

    bin_dir = Path(sys.executable).parent
    web = spawn(
        "web",
        [str(bin_dir / "gunicorn"), "hubsite.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "60"],
    )
    node = f"{queue}@{os.uname().nodename}"
    spawn(
        "worker",
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "hubsite",
            "worker",
            "-l",
            "info",
            "-c",
            "1",
            "-Q",
            queue,
            "-n",
            node,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
    )

    def probe():
        # A connection of its own each time, outside kombu's pools: those opened before the outage
        # are dead after it. Not the current app: shared tasks in later tests must keep the real one.
        app = Celery("probe", broker=private_redis.url(0), set_as_current=False)
        app.conf.broker_connection_timeout = 1
        return app, app.connection_for_write()

    def ping():
        app, connection = probe()
        with connection:
            return app.control.ping(destination=[node], timeout=0.5, connection=connection)

    def web_answers():
        if web.poll() is not None:
            raise AssertionError((logs / "web.log").read_text())
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as answer:
                return answer.status == 200
        except OSError:
            return False

    wait_for(web_answers, 30, "gunicorn")
    wait_for(ping, 30, "the worker")

    class Site:
        base = f"http://127.0.0.1:{port}"
        redis = private_redis
        mail_dir = tmp_path / "mail"
        log_dir = logs

        @staticmethod
        def sweep():
            """What beat sends every minute."""
            app, connection = probe()
            with connection:
                app.send_task("hubsite.outbox.sweep", queue=queue, ignore_result=True, connection=connection)

        @staticmethod
        def idle():
            """Nothing waiting in the queue, taken but unacknowledged, or running in the worker."""
            client = private_redis.client(db=0)
            if client.llen(queue) or client.hlen("unacked"):
                return False
            app, connection = probe()
            with connection:
                inspect = app.control.inspect(destination=[node], timeout=1.0, connection=connection)
                for state in (inspect.active(), inspect.reserved(), inspect.scheduled()):
                    if not state or state.get(node):
                        return False
            return True

        @staticmethod
        def mails():
            import email

            messages = []
            if not Site.mail_dir.exists():
                return messages
            for path in sorted(Site.mail_dir.iterdir()):
                chunks = path.read_bytes().split(b"-" * 79 + b"\n")
                messages.extend(email.message_from_bytes(chunk) for chunk in chunks if chunk.strip())
            return messages

    yield Site
    for process, output in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        output.close()


@pytest.fixture
def network(hub_staff, hub_admin, partner, org_a, centre_a):
    from reports.choices import ReportStatus
    from reports.defaults import load_default_indicators
    from reports.models import Indicator, MonthlyReport
    from reports.tests.factories import make_report

    load_default_indicators(Indicator)  # transactional tests flush what the data migration loaded
    # Fixed months (the tests pass on any date): one approved in the quarter the regional report covers.
    make_report(org_a, datetime.date(2024, 2, 1), status=ReportStatus.APPROVED)
    return MonthlyReport.start(org_a, datetime.date(2024, 3, 1), by=partner)


def _round(site, number, report, log):
    """One round of what people do; returns what it asked for, to check after the outage."""
    from partners.models import Prefecture
    from reports.tests.factories import form_data

    asked = {"interest": [], "invitation": [], "regional": []}
    partner = Browser(site.base, log)
    status, _ = partner.login("partner@example.org")
    assert status == 302, "the right password must log in while Redis is down"
    staff = Browser(site.base, log)
    assert staff.login("staff@example.org")[0] == 302

    report.refresh_from_db()
    data = form_data(report)
    assert partner.post(f"/reports/{report.pk}/edit/", {**data, "save": "1"})[0] == 302
    report.refresh_from_db()
    assert partner.post(f"/reports/{report.pk}/edit/", {**form_data(report), "review": "1"})[0] == 302
    assert partner.post(f"/reports/{report.pk}/submit/")[0] == 302
    report.refresh_from_db()
    assert report.status in ("submitted", "resubmitted")  # the second round hands it in again
    assert staff.post(f"/reports/{report.pk}/return/", {"comment": f"请补充（第 {number} 轮）"})[0] == 302
    report.refresh_from_db()
    assert report.status == "returned"

    staff.get("/coverage/")
    staff.get("/")
    partner.get("/")
    visitor = Browser(site.base, log)
    visitor.get("/coverage/public/")
    name = f"停电测试机构{number}"
    status, _ = visitor.post(
        "/coverage/public/interest/",
        {
            "name": name,
            "prefecture": Prefecture.objects.get(code="450700").pk,
            "contact_name": "黄女士",
            "contact_phone": "13877712345",
            "description": "社区儿童服务",
            "consent": "on",
        },
    )
    assert status == 302
    asked["interest"].append(name)

    address = f"outage{number}@example.org"
    status, _ = staff.post(
        "/partners/people/invite/",
        {"email": address, "full_name": f"新老师{number}", "role": "viewer"},
    )
    assert status == 302
    asked["invitation"].append(address)

    month = datetime.date(2001 + number // 12, number % 12 + 1, 1)  # a new job each round, long past
    status, page = staff.post(
        "/reports/regional/", {"period_kind": "month", "period": month.strftime("%Y-%m"), "scope": "region"}
    )
    assert status == 302, re.findall(r'class="invalid-feedback[^"]*"[^>]*>([^<]*)', page) or page[-3000:]
    asked["regional"].append(month)
    return asked


def test_a_redis_outage_costs_no_error_and_no_work(site, network, hub_staff, hub_admin):
    from hubsite.core.models import Notification, OutboxMessage
    from partners.models import Organisation, User
    from reports.models import GeneratedReport

    outage_seconds = float(os.environ.get("HUBSITE_OUTAGE_SECONDS", "0"))
    log: list[tuple] = []
    asked = {"interest": [], "invitation": [], "regional": []}

    site.redis.stop()
    stopped_at = time.monotonic()
    rounds = 0
    while True:
        for key, values in _round(site, rounds, network, log).items():
            asked[key].extend(values)
        rounds += 1
        if time.monotonic() - stopped_at >= outage_seconds:
            break
    outage = time.monotonic() - stopped_at
    errors = [entry for entry in log if entry[2] >= 500]
    slow = [entry for entry in log if entry[3] >= SLOW]
    assert errors == []
    assert slow == []
    # The writes committed, and their work waits in the outbox: nothing reached the dead broker.
    assert Organisation.objects.filter(name__in=asked["interest"]).count() == len(asked["interest"])
    assert User.objects.filter(email__in=asked["invitation"]).count() == len(asked["invitation"])
    reports = GeneratedReport.objects.filter(period_kind="month", period_start__in=asked["regional"])
    assert reports.count() == len(asked["regional"])
    assert set(reports.values_list("status", flat=True)) == {"queued"}
    assert not OutboxMessage.objects.filter(sent_at__isnull=False).exists()

    site.redis.start()
    site.sweep()  # beat's next tick

    def all_done():
        return (
            not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
            and not OutboxMessage.objects.filter(once=True, done_at__isnull=True).exists()
            and not reports.exclude(status__in=["done", "failed"]).exists()
            and not Notification.objects.filter(email_status="pending").exists()
        )

    wait_for(all_done, 60 + 3 * len(asked["regional"]), "the queued work")
    wait_for(site.idle, 30, "an idle worker")
    wait_for(site.idle, 5, "an idle worker, twice in a row")

    # Exactly once: every report generated by one run, every e-mail sent once.
    assert set(reports.values_list("status", "attempts")) == {("done", 1)}
    mails = site.mails()
    by_recipient_and_subject: dict[tuple, int] = {}
    for message in mails:
        key = (message["To"], message["Subject"])
        by_recipient_and_subject[key] = by_recipient_and_subject.get(key, 0) + 1
    assert [key for key, count in by_recipient_and_subject.items() if count > 1] == []
    for address in asked["invitation"]:
        assert sum(1 for to, _subject in by_recipient_and_subject if to == address) == 1
    interest = Notification.objects.filter(kind="partners.interest")
    ready = Notification.objects.filter(kind="reports.regional_ready", recipient=hub_staff)
    assert interest.filter(recipient=hub_staff).count() == len(asked["interest"])
    assert ready.count() == len(asked["regional"])
    sent = Notification.objects.filter(email_status="sent")
    assert sent.count() == Notification.objects.exclude(email_status="skipped").count()
    notification_mails = sum(1 for m in mails if m["To"] not in asked["invitation"])
    assert notification_mails == sent.count()

    os.makedirs(ARTIFACTS, exist_ok=True)
    summary = {
        "outage_seconds": round(outage, 1),
        "rounds": rounds,
        "requests": len(log),
        "requests_5xx": len(errors),
        "slowest_request_seconds": max(entry[3] for entry in log),
        "regional_reports_queued": len(asked["regional"]),
        "regional_reports_done_once": reports.filter(status="done", attempts=1).count(),
        "interest_forms": len(asked["interest"]),
        "invitations": len(asked["invitation"]),
        "emails_sent": len(mails),
        "notifications_emailed": sent.count(),
        "work_lost": len(asked["regional"])
        - reports.filter(status="done").count()
        + len(asked["invitation"])
        - sum(1 for m in mails if m["To"] in asked["invitation"]),
    }
    Path(ARTIFACTS, "redis-outage.json").write_text(json.dumps(summary, indent=2))
    assert summary["work_lost"] == 0
