"""Benchmarks of the partners pages and the coverage pages at bench scale (see hubsite/bench.py).

Beside server time per page, the coverage page is served by gunicorn and loaded from the loopback
interface next to a trivial view on the same server (``/healthz``), the ceiling on this machine.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from hubsite import loadtest
from partners.coverage import data_changed

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
    with loadtest.gunicorn(env, workers=2) as host:
        loadtest.requests_per_second(host, "/coverage/", seconds=1, headers={"Cookie": cookie})  # warm-up
        ceiling = loadtest.requests_per_second(host, "/healthz", seconds=seconds)
        page = loadtest.requests_per_second(host, "/coverage/", seconds=seconds, headers={"Cookie": cookie})
    share = page["rps"] / ceiling["rps"] if ceiling["rps"] else 0
    bench.out(
        f"  gunicorn (2 workers, 4 client threads, {seconds} s): /healthz {ceiling['rps']:.0f} req/s, "
        f"/coverage/ {page['rps']:.0f} req/s ({share:.0%} of the ceiling; errors {page['errors']})"
    )
