"""Benchmarks of the partners pages and the coverage pages at bench scale (see hubsite/core/bench.py)
and the network itself: 1,000 organisations, 1,600 centres in the 14 prefectures, their people..

Beside server time per page, the coverage page is served by gunicorn and loaded from the loopback
interface next to a trivial view on the same server (``/healthz``), the ceiling on this machine.
"""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from hubsite.core import loadtest
from hubsite.core.roles import Role
from partners.choices import CentreStatus, OrganisationStatus, SiteType
from partners.coverage import data_changed
from partners.models import Centre, Organisation, Prefecture, User

COVERAGE_SQL = """
SELECT p.code,
       COUNT(DISTINCT c.id) FILTER (WHERE c.opened_on <= %(day)s AND (c.closed_on IS NULL OR c.closed_on > %(day)s)
                                   AND c.status <> 'planned'),
       COUNT(DISTINCT c.organisation_id) FILTER (WHERE c.opened_on <= %(day)s
                                   AND (c.closed_on IS NULL OR c.closed_on > %(day)s) AND c.status <> 'planned')
FROM partners_prefecture p LEFT JOIN partners_centre c ON c.prefecture_id = p.id
GROUP BY p.code ORDER BY p.code
"""

PREFECTURE_SQL = """
SELECT c.id, c.name, o.name FROM partners_centre c JOIN partners_organisation o ON o.id = c.organisation_id
JOIN partners_prefecture p ON p.id = c.prefecture_id
WHERE p.code = %(code)s AND c.opened_on <= %(day)s AND (c.closed_on IS NULL OR c.closed_on > %(day)s)
  AND c.status <> 'planned'
ORDER BY o.name, c.name
"""

DIRECTORY_SQL = """
SELECT o.id, o.name, COUNT(c.id) FILTER (WHERE c.status = 'operating')
FROM partners_organisation o LEFT JOIN partners_centre c ON c.organisation_id = o.id
GROUP BY o.id ORDER BY o.name LIMIT 25
"""


ORG_PREFIX = "基准机构"
YEARS = 7
PEOPLE_PER_ORG = 2


def build(bench) -> None:
    """The network every other app's bench data hangs on: organisations, centres, people."""
    existing = Organisation.objects.filter(name__startswith=ORG_PREFIX).count()
    if existing == 0:
        rng = random.Random(2024)  # noqa: S311 - synthetic data
        today = timezone.localdate()
        orgs = _create_organisations(bench.n_orgs, rng, today)
        _create_centres(bench.n_centres, orgs, rng, today)
        _create_people(orgs)
    elif existing != bench.n_orgs:
        raise RuntimeError(
            f"the bench database holds {existing} organisations, not {bench.n_orgs}: drop it first"
        )
    bench.orgs = list(Organisation.objects.filter(name__startswith=ORG_PREFIX).order_by("name"))
    bench.users = {
        "hub": User.objects.get(email="bench-staff@example.org"),
        "partner": User.objects.get(email="bench-partner@example.org"),
        "viewer": User.objects.get(email="bench-viewer@example.org"),
    }


def _create_organisations(n_orgs: int, rng: random.Random, today: datetime.date) -> list[Organisation]:
    """The hub first, then partners joined over five years; every 25th is paused."""
    prefectures = list(Prefecture.objects.order_by("code"))
    start = datetime.date(today.year - YEARS, today.month, 1)
    orgs = []
    for n in range(n_orgs):
        joined = start + datetime.timedelta(days=rng.randint(0, 365 * 5)) if n else start
        orgs.append(
            Organisation(
                name=f"{ORG_PREFIX}{n:04d}",
                short_name=f"基准{n:04d}",
                prefecture=prefectures[n % len(prefectures)],
                is_hub=n == 0,
                status=OrganisationStatus.ACTIVE if n % 25 else OrganisationStatus.PAUSED,
                joined_on=joined,
                project_started_on=joined,
            )
        )
    Organisation.objects.bulk_create(orgs, batch_size=1000)
    return orgs


def _create_centres(n_centres: int, orgs: list, rng: random.Random, today: datetime.date) -> None:
    """One centre per organisation, then second sites; some closed, none opened in the future."""
    centres = []
    for n in range(n_centres):
        org = orgs[n % len(orgs)]
        second = n >= len(orgs)
        opened = org.joined_on + datetime.timedelta(
            days=rng.randint(30, 700) if second else rng.randint(0, 60)
        )
        closed = opened + datetime.timedelta(days=rng.randint(365, 900)) if n % 40 == 7 else None
        if opened >= today:
            opened = today - datetime.timedelta(days=40)
        if closed and closed >= today:
            closed = None
        centres.append(
            Centre(
                organisation=org,
                name=f"{org.short_name}亲子园{n}",
                prefecture=org.prefecture,
                site_type=rng.choice(list(SiteType.values)),
                opened_on=opened,
                closed_on=closed,
                status=CentreStatus.CLOSED if closed else CentreStatus.OPERATING,
                capacity=rng.randint(20, 80),
            )
        )
    Centre.objects.bulk_create(centres, batch_size=2000)


def _create_people(orgs: list) -> None:
    """The three bench logins, and a director and a teacher for every partner."""
    password = make_password("bench-password-2024")
    people = [
        User(
            email="bench-staff@example.org",
            full_name="基准枢纽同工",
            role=Role.HUB_STAFF,
            organisation=orgs[0],
            password=password,
        ),
        User(
            email="bench-partner@example.org",
            full_name="基准伙伴老师",
            role=Role.PARTNER_STAFF,
            organisation=orgs[1],
            password=password,
        ),
        User(email="bench-viewer@example.org", full_name="基准观察员", role=Role.VIEWER, password=password),
    ]
    for n, org in enumerate(orgs[1:], start=1):
        for k in range(PEOPLE_PER_ORG):
            role = Role.DIRECTOR if k == 0 else Role.PARTNER_STAFF
            people.append(
                User(
                    email=f"bench-{n:04d}-{k}@example.org",
                    full_name=f"基准{n:04d}-{k}",
                    role=role,
                    organisation=org,
                    password=password,
                )
            )
    User.objects.bulk_create(people, batch_size=2000)


def _database_url() -> str:
    db = connection.settings_dict
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host", "")
    port = db.get("PORT") or ""
    if host.startswith("/"):
        return f"postgres://{db['USER']}@/{db['NAME']}?host={host}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host or '127.0.0.1'}:{port or 5432}/{db['NAME']}"


def run(bench) -> None:
    today = timezone.localdate()
    hub, viewer = bench.users["hub"], bench.users["viewer"]

    bench.view("directory (25 of all orgs)", "/partners/", hub)
    bench.sql("directory SQL", DIRECTORY_SQL)
    bench.ratio("directory (25 of all orgs)", "directory SQL")
    bench.view("centre list (25 of all)", "/partners/centres/", hub)

    bench.view("coverage page", "/coverage/", viewer)
    bench.sql("coverage SQL", COVERAGE_SQL, {"day": today})
    bench.ratio("coverage page", "coverage SQL")

    bench.view("prefecture page (Nanning)", "/coverage/prefectures/450100/", viewer)
    bench.sql("prefecture SQL", PREFECTURE_SQL, {"code": "450100", "day": today})
    bench.ratio("prefecture page (Nanning)", "prefecture SQL")

    # Coverage is cached until the data changes: time each page as the first visitor after a change too.
    bench.view("coverage page, first after a change", "/coverage/", viewer, repeat=10, before=data_changed)
    bench.view("public page, first after a change", "/coverage/public/", None, repeat=10, before=data_changed)
    bench.view("public page, cached", "/coverage/public/", None)

    bench.view("hub dashboard (home)", "/", hub)
    bench.view("partner home", "/", bench.users["partner"])

    _load(bench, viewer)


def _load(bench, viewer) -> None:
    """Requests per second for the coverage page under gunicorn, beside /healthz as the ceiling."""
    if not bench.wants("gunicorn"):
        return
    client = Client()
    client.force_login(viewer)  # the session row is in the bench database, which gunicorn shares
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    env = {
        "DJANGO_SETTINGS_MODULE": "hubsite.settings.local",
        "DEBUG": "0",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": cache.key_prefix,
    }
    seconds = 8 if bench.scale >= 0.5 else 2
    # As a browser asks: compressed. The goal (issue #19) is half the ceiling of the same server.
    browser = {"Cookie": cookie, "Accept-Encoding": "gzip, deflate"}
    with loadtest.gunicorn(env, workers=2) as host:
        for path in ("/coverage/", "/coverage/public/"):
            loadtest.requests_per_second(host, path, seconds=1, headers=browser)  # warm-up
        ceiling = loadtest.requests_per_second(host, "/healthz", seconds=seconds)
        page = loadtest.requests_per_second(host, "/coverage/", seconds=seconds, headers=browser)
        public = loadtest.requests_per_second(
            host, "/coverage/public/", seconds=seconds, headers={"Accept-Encoding": "gzip, deflate"}
        )
    for label, measured in (("/coverage/", page), ("/coverage/public/", public)):
        share = measured["rps"] / ceiling["rps"] if ceiling["rps"] else 0
        verdict = "PASS" if share >= 0.5 and not measured["errors"] else "FAIL"
        bench.out(
            f"  gunicorn (2 workers, 4 client threads, {seconds} s): /healthz {ceiling['rps']:.0f} req/s, "
            f"{label} {measured['rps']:.0f} req/s ({share:.0%} of the ceiling, goal 50%: {verdict}; "
            f"errors {measured['errors']})"
        )
