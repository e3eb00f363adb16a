"""Personas and shared fixtures for every app's tests (Healthchecks-style: one person per role).

Org A and org B are two active partners in different prefectures; `director` and `partner` work at
org A, `other` at org B. Tests about scoping use org A's objects and expect `other` to get 404.
"""

import datetime
import os

import pytest

from hubsite import services

# HUBSITE_TEST_NOW sets the clock for a run and refuses worker/browser tests without their marker.
pytest_plugins = ["tests.clock"]

PASSWORD = "demo-hub-2024"


def pytest_configure(config):
    # Plain `pytest` works on a fresh machine too: start the embedded services unless the
    # environment points elsewhere.
    for key, value in services.start().items():
        os.environ[key] = value
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request as someone who chose English leaves English
    active in the thread (as a middleware does), which must not reach the next test's direct calls."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages must not leak from one test into the next.

    Only this run's keys are deleted (the test settings give the run its own prefix), so a developer's
    `make run` sharing the same Redis keeps its cache.
    """
    yield
    _clear_run_cache()


def _clear_run_cache():
    from django.conf import settings
    from django.core.cache import cache

    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def prefectures(db):
    from partners.geodata import load_guangxi
    from partners.models import Prefecture, Province

    # Transactional tests (live server, Celery worker) flush what the migration loaded.
    load_guangxi(Province, Prefecture)
    return {p.code: p for p in Prefecture.objects.all()}


@pytest.fixture
def hub_org(db, prefectures):
    from partners.choices import OrganisationStatus
    from partners.models import Organisation

    return Organisation.objects.create(
        name="南宁市同心源社会工作服务中心",
        short_name="同心源",
        prefecture=prefectures["450100"],
        is_hub=True,
        status=OrganisationStatus.ACTIVE,
        joined_on=datetime.date(2018, 4, 1),
        project_started_on=datetime.date(2018, 4, 1),
    )


@pytest.fixture
def org_a(db, prefectures):
    from partners.choices import DevelopmentStage, OrganisationStatus
    from partners.models import Organisation

    return Organisation.objects.create(
        name="都安瑶山社会工作服务中心",
        short_name="都安瑶山",
        prefecture=prefectures["451200"],
        status=OrganisationStatus.ACTIVE,
        joined_on=datetime.date(2022, 3, 1),
        project_started_on=datetime.date(2022, 3, 1),
        stage=DevelopmentStage.STARTUP,
        contact_name="韦老师",
        contact_phone="0778-0000000",
    )


@pytest.fixture
def org_b(db, prefectures):
    from partners.choices import DevelopmentStage, OrganisationStatus
    from partners.models import Organisation

    return Organisation.objects.create(
        name="桂林现代促进会",
        short_name="桂林现代",
        prefecture=prefectures["450300"],
        status=OrganisationStatus.ACTIVE,
        joined_on=datetime.date(2022, 6, 1),
        project_started_on=datetime.date(2022, 6, 1),
        stage=DevelopmentStage.SPROUTING,
    )


def _centre(org, name, opened, **extra):
    from partners.choices import CentreStatus, SiteType
    from partners.models import Centre

    defaults = {
        "prefecture": org.prefecture,
        "site_type": SiteType.COMMUNITY,
        "opened_on": opened,
        "status": CentreStatus.OPERATING,
    }
    defaults.update(extra)
    return Centre.objects.create(organisation=org, name=name, **defaults)


@pytest.fixture
def centre_a(org_a):
    return _centre(org_a, "都安县城亲子园", datetime.date(2022, 5, 1))


@pytest.fixture
def centre_b(org_b):
    return _centre(org_b, "桂林七星亲子园", datetime.date(2022, 9, 1))


@pytest.fixture
def make_centre():
    return _centre


def _user(email, role, organisation=None, **extra):
    from partners.models import User

    return User.objects.create_user(
        email=email,
        password=PASSWORD,
        full_name=extra.pop("full_name", email.split("@")[0]),
        role=role,
        organisation=organisation,
        **extra,
    )


@pytest.fixture
def make_user(db):
    return _user


@pytest.fixture
def hub_admin(hub_org):
    return _user("hub@example.org", "hub_admin", hub_org, full_name="枢纽管理员")


@pytest.fixture
def hub_staff(hub_org):
    return _user("staff@example.org", "hub_staff", hub_org, full_name="枢纽同工")


@pytest.fixture
def director(org_a):
    return _user("director@example.org", "director", org_a, full_name="韦主任")


@pytest.fixture
def partner(org_a):
    return _user("partner@example.org", "partner_staff", org_a, full_name="蓝老师", position="teacher")


@pytest.fixture
def other(org_b):
    return _user("other@example.org", "partner_staff", org_b, full_name="李老师", position="teacher")


@pytest.fixture
def viewer(db):
    return _user("viewer@example.org", "viewer", None, full_name="观察员")


ROLES = ["anonymous", "hub_admin", "hub_staff", "director", "partner", "other", "viewer"]


@pytest.fixture
def personas(hub_admin, hub_staff, director, partner, other, viewer):
    return {
        "anonymous": None,
        "hub_admin": hub_admin,
        "hub_staff": hub_staff,
        "director": director,
        "partner": partner,
        "other": other,
        "viewer": viewer,
    }


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns the test client logged in as that user (None: anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


# --- The demo network (`seed_demo`): seeded once per session (per xdist worker), copied into each test.


@pytest.fixture(scope="session")
def _demo_snapshots():
    """This session's copy of the demo, by the date it was seeded on (see `demo`)."""
    return {}


@pytest.fixture
def demo(_demo_snapshots, db):
    """The database holds exactly the demo network; returns its people by e-mail.

    Rows that fixtures made before this one are gone (the copy replaces every table), so take people
    from the returned dict rather than from the persona fixtures. Committed in transactional tests
    (live server, worker), rolled back with the test otherwise; other tests never see it.
    """
    from django.utils import timezone

    from partners.models import User
    from tests.demo_snapshot import DemoSnapshot

    # The demo places its reports and meetings around today: a run that crosses midnight, or a test
    # whose clock is set to another day, gets the demo as seeded on its own date.
    today = timezone.localdate()
    if today not in _demo_snapshots:
        _demo_snapshots[today] = DemoSnapshot.take()
        _clear_run_cache()  # what the seed cached describes rows that were rolled back
    _demo_snapshots[today].restore()
    return {user.email: user for user in User.objects.all()}


# --- Real browser: Debian's chromium driven by Playwright (no `playwright install`: it cannot download).

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = os.path.join(os.path.dirname(__file__), "test-artifacts")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make sysdeps` (apt-get install chromium fonts-noto-cjk)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser, live_server):
    """`page_factory(user=None, width=1280)` opens a page at the live server, logged in as `user`.

    Logging in goes through the real login form, so the browser test covers allauth too.
    """
    contexts = []

    def open_page(user=None, width=1280, height=900, locale="zh-CN"):
        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base_url = live_server.url
        if user is not None:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=login]", user.email)
            page.fill("input[name=password]", PASSWORD)
            page.click("form[action$='/accounts/login/'] [type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    """`screenshot(page, name)` keeps a full-page PNG under test-artifacts/ and returns its path."""
    os.makedirs(ARTIFACTS, exist_ok=True)

    def take(page, name):
        path = os.path.join(ARTIFACTS, f"{name}.png")
        page.screenshot(path=path, full_page=True)
        return path

    return take


# --- Real Celery worker on real Redis (the test database is shared with it through transaction=True).


class CeleryWorker:
    """A real `celery worker` subprocess against the test database and the real broker, consuming
    its own queue; `.stop()`, `.kill()` (SIGKILL, as a crash) and `.start()` again let tests prove
    idempotency and retry after a killed worker."""

    process = None

    def __init__(self, queue: str, db_name: str, tmp_path):
        self.queue_name = queue
        self.db_name = db_name
        self.tmp_path = tmp_path
        self.mail_dir = str(tmp_path / "mail")

    def sent_mails(self):
        """The e-mails the worker sent (file backend: one file per connection, messages inside)."""
        import email

        directory = self.tmp_path / "mail"
        if not directory.exists():
            return []
        messages = []
        for path in sorted(directory.iterdir()):
            chunks = path.read_bytes().split(b"-" * 79 + b"\n")
            messages.extend(email.message_from_bytes(chunk) for chunk in chunks if chunk.strip())
        return messages

    @staticmethod
    def wait_until(condition, timeout=40):
        """Poll ``condition`` until it holds (True) or ``timeout`` seconds pass (False)."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.2)
        return False

    def start(self):
        import subprocess
        import sys

        env = dict(os.environ)
        env["DJANGO_SETTINGS_MODULE"] = "hubsite.settings.test"
        env["HUBSITE_TEST_DB_NAME"] = self.db_name
        env["HUBSITE_TEST_EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
        env["HUBSITE_TEST_EMAIL_DIR"] = self.mail_dir
        # What the worker publishes itself (the outbox after a task's commit, its sweep at start-up)
        # goes to the queue it consumes.
        env["CELERY_TASK_DEFAULT_QUEUE"] = self.queue_name
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "hubsite",
                "worker",
                "-l",
                "warning",
                "-c",
                "1",
                "-Q",
                self.queue_name,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{self.queue_name}@%h",
            ],
            env=env,
            cwd=os.path.dirname(__file__),
            start_new_session=True,
        )
        return self._await_ping()

    def _await_ping(self):
        import time

        from hubsite.celery import app

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            replies = app.control.ping(destination=[f"{self.queue_name}@{os.uname().nodename}"], timeout=0.5)
            if replies:
                return self
            if self.process.poll() is not None:
                raise RuntimeError("celery worker exited during start-up")
        raise RuntimeError("celery worker did not answer a ping within 30 s")

    def stop(self):
        import signal

        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)

    def kill(self):
        import signal

        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def celery_worker_process(transactional_db, settings, tmp_path):
    """Start a `CeleryWorker` on a queue of its own for the test and stop it afterwards; tasks the
    test publishes go to that queue."""
    import time

    from django.db import connection

    from hubsite.celery import app

    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    worker = CeleryWorker(queue, connection.settings_dict["NAME"], tmp_path).start()
    yield worker
    worker.stop()
    app.conf.task_default_queue = previous_queue


# --- A private Redis server, for tests that stop it (never the shared embedded one others rely on).


@pytest.fixture
def private_redis(tmp_path_factory):
    """A `redis-server` of its own on a unix socket under a temporary directory, not yet started:
    `.start()`, `.stop()` (an outage) and `.start()` again (the recovery); `.url(db)` as REDIS_URL.

    `appendonly=True` keeps its data across a stop and start, as a server restarted from its AOF does.
    """
    import subprocess
    import time

    import redis as redis_lib

    from hubsite.services import _redis_bin

    # A unix socket path must stay short (107 bytes): tmp_path under a deep test name would not fit.
    directory = tmp_path_factory.mktemp("redis", numbered=True)

    class PrivateRedis:
        socket = str(directory / "r.sock")
        process = None
        appendonly = False

        def url(self, db=0):
            return f"redis+socket://{self.socket}?db={db}"

        def client(self, db=0):
            return redis_lib.Redis(unix_socket_path=self.socket, db=db, socket_connect_timeout=1)

        def start(self):
            arguments = [_redis_bin(), "--port", "0", "--unixsocket", self.socket, "--dir", str(directory)]
            arguments += ["--save", ""]
            if self.appendonly:
                arguments += ["--appendonly", "yes", "--appendfsync", "always"]
            self.process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, start_new_session=True)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    if self.client().ping():
                        return self
                except redis_lib.exceptions.ConnectionError:
                    time.sleep(0.05)
            raise RuntimeError("the private redis-server did not answer within 10 s")

        def stop(self):
            if self.process and self.process.poll() is None:
                self.process.terminate()  # SIGTERM: redis-server exits cleanly (and flushes its AOF)
                self.process.wait(timeout=10)

    server = PrivateRedis()
    yield server
    server.stop()


@pytest.fixture
def outbox_eager(settings):
    """Outbox messages run in the test's process when published, as a worker would run them."""
    settings.OUTBOX_EAGER = True


@pytest.fixture(autouse=True)
def _outbox_not_paused():
    """A test that killed the broker must not leave the next test's publishes to the sweep."""
    from hubsite.core import outbox

    outbox._paused_until = 0.0
