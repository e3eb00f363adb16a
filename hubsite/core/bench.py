"""The benchmark framework behind ``make bench``: a network 100 times the demo, and timings on it.

``manage.py bench`` switches to a separate database ``<dbname>_bench`` on the same server (created and
migrated on first use, reused afterwards), builds the network there once (1,000 organisations,
1,600 centres in the 14 prefectures, people) and lets each app add its own data and measurements
through its ``<app>/bench.py`` (the partners app's ``build`` makes the network itself):

    def build(bench): ...   # optional: add the app's data at bench scale; must be idempotent
    def run(bench): ...     # measure with the API below

The ``bench`` object:

    bench.scale                      1.0 = 1,000 organisations; tests use 0.01
    bench.orgs                       list of the bench organisations (the hub first)
    bench.users                      {"hub": hub staff, "partner": partner staff of bench.orgs[1],
                                      "viewer": viewer}
    bench.view(label, url, user, repeat=20, before=None, goal_ms=None)
                                     GET through Django's test client (force_login), prints median
                                     and p95 server time, the query count of the last request and
                                     its size gzip-compressed; ``before()`` runs untimed before each
                                     request. Judged against the goals below.
    bench.sql(label, sql, params=None, repeat=20)
                                     the equivalent raw SQL (parameterised), fetched in full
    bench.ratio(view_label, sql_label)   median page / median SQL, shown in the table
    bench.time(label, fn, repeat=5)  any callable
    bench.print_table()              the summary (the command calls it at the end)
    bench.wants(label)               False when ``--only`` leaves this measure out: guard any costly
                                     work outside view/sql/time with it (they skip by themselves)

Goals (issue #19), printed as PASS/FAIL beside each measure: a page's p95 under ``PAGE_GOAL_MS``; the
first visit after a change (a ``before`` that renews the data) under ``FIRST_VISIT_GOAL_MS``; any
request under ``REQUEST_GOAL_MS`` (exports pass ``goal_ms=REQUEST_GOAL_MS``); a page under
``PAGE_SIZE_GOAL_KIB`` transferred (gzip). Measures of code that no request waits for (a sweep, a
worker task) have no goal unless the app names one.
"""

from __future__ import annotations

import gzip
import statistics
import time
from dataclasses import dataclass

from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

BASE_ORGS = 1000
BASE_CENTRES = 1600

PAGE_GOAL_MS = 150
FIRST_VISIT_GOAL_MS = 500
REQUEST_GOAL_MS = 3000
PAGE_SIZE_GOAL_KIB = 150


@dataclass
class Result:
    label: str
    kind: str
    median_ms: float
    p95_ms: float
    queries: int | None = None
    ratio_to: str = ""
    ratio: float | None = None
    note: str = ""
    goal_ms: float | None = None
    size_kib: float | None = None

    @property
    def verdict(self) -> str:
        """PASS/FAIL against the p95 goal (and, for pages, the size goal); blank without a goal."""
        if self.goal_ms is None:
            return ""
        slow = self.p95_ms > self.goal_ms
        heavy = self.size_kib is not None and self.size_kib > PAGE_SIZE_GOAL_KIB
        return "FAIL" if slow or heavy else "PASS"


def _host() -> str:
    from django.conf import settings

    hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h]
    return hosts[0].lstrip(".") if hosts else "localhost"


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Bench:
    def __init__(self, scale: float = 1.0, out=print, repeat: int | None = None, only=()):
        self.scale = scale
        self.only = [word.lower() for word in only]
        self.out = out
        self.repeat_override = repeat
        self.results: dict[str, Result] = {}
        self.orgs: list = []
        self.users: dict = {}
        self.build_seconds: dict[str, float] = {}

    # --- sizes
    @property
    def n_orgs(self) -> int:
        return max(3, round(BASE_ORGS * self.scale))

    @property
    def n_centres(self) -> int:
        return max(self.n_orgs, round(BASE_CENTRES * self.scale))

    def wants(self, label: str) -> bool:
        """Whether ``--only`` (words, any of which may appear in the label) keeps this measure."""
        return not self.only or any(word in label.lower() for word in self.only)

    def _repeat(self, repeat: int) -> int:
        return self.repeat_override or repeat

    # --- measurements
    def view(
        self, label: str, url: str, user, repeat: int = 20, expect: int = 200, before=None, goal_ms=None
    ) -> Result | None:
        if not self.wants(label):
            return None
        client = Client(HTTP_HOST=_host())
        if user is not None:
            client.force_login(user)
        response = client.get(url)  # warm-up: templates, translations, plan cache
        if response.status_code != expect:
            raise RuntimeError(f"{label}: {url} answered {response.status_code}")
        samples, queries = [], None
        for _ in range(self._repeat(repeat)):
            if before is not None:
                before()  # e.g. renew a cache's data version: time the first visit after a change
            with CaptureQueriesContext(connection) as context:
                start = time.perf_counter()
                response = client.get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                samples.append(time.perf_counter() - start)
            queries = len(context.captured_queries)
        body = response.content if not response.streaming else b""
        compressed = len(gzip.compress(body)) / 1024
        if goal_ms is None:
            goal_ms = FIRST_VISIT_GOAL_MS if before is not None else PAGE_GOAL_MS
        result = Result(
            label,
            "page",
            1000 * statistics.median(samples),
            1000 * _p95(samples),
            queries,
            note=f"{len(body) // 1024} KiB, {compressed:.0f} KiB gzip",
            goal_ms=goal_ms,
            size_kib=compressed if not response.streaming else None,
        )
        self.results[label] = result
        self.out(
            f"  {label}: median {result.median_ms:.1f} ms, p95 {result.p95_ms:.1f} ms, {queries} queries"
        )
        return result

    def sql(self, label: str, sql: str, params=None, repeat: int = 20) -> Result | None:
        if not self.wants(label):
            return None
        samples, rows = [], 0
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
            for _ in range(self._repeat(repeat)):
                start = time.perf_counter()
                cursor.execute(sql, params)
                rows = len(cursor.fetchall())
                samples.append(time.perf_counter() - start)
        result = Result(
            label, "sql", 1000 * statistics.median(samples), 1000 * _p95(samples), 1, note=f"{rows} rows"
        )
        self.results[label] = result
        self.out(f"  {label}: median {result.median_ms:.1f} ms, p95 {result.p95_ms:.1f} ms ({rows} rows)")
        return result

    def time(self, label: str, fn, repeat: int = 5, goal_ms=None) -> Result | None:
        if not self.wants(label):
            return None
        samples = []
        for _ in range(self._repeat(repeat)):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        result = Result(
            label, "call", 1000 * statistics.median(samples), 1000 * _p95(samples), goal_ms=goal_ms
        )
        self.results[label] = result
        self.out(f"  {label}: median {result.median_ms:.1f} ms, p95 {result.p95_ms:.1f} ms")
        return result

    def ratio(self, view_label: str, sql_label: str) -> float | None:
        if view_label not in self.results or sql_label not in self.results:
            return None
        page, sql = self.results[view_label], self.results[sql_label]
        page.ratio_to = sql_label
        page.ratio = page.median_ms / sql.median_ms if sql.median_ms else None
        return page.ratio

    def print_table(self) -> None:
        header = (
            f"{'measure':<44} {'kind':<5} {'median ms':>10} {'p95 ms':>10} {'queries':>8} {'page/SQL':>9}"
            f" {'goal ms':>8} {'':>5}  note"
        )
        self.out("")
        self.out(header)
        self.out("-" * len(header))
        for r in self.results.values():
            ratio = f"{r.ratio:.1f}x" if r.ratio else ""
            queries = "" if r.queries is None else str(r.queries)
            goal = "" if r.goal_ms is None else f"{r.goal_ms:g}"
            self.out(
                f"{r.label:<44} {r.kind:<5} {r.median_ms:>10.1f} {r.p95_ms:>10.1f} {queries:>8} {ratio:>9}"
                f" {goal:>8} {r.verdict:>5}  {r.note}"
            )
        judged = [r for r in self.results.values() if r.verdict]
        failed = [r.label for r in judged if r.verdict == "FAIL"]
        self.out(f"\nGoals: {len(judged) - len(failed)} of {len(judged)} measures pass.")
        if failed:
            self.out("Failing: " + "; ".join(failed))

    # --- building
    def timed_build(self, label: str, fn) -> None:
        start = time.perf_counter()
        fn(self)
        self.build_seconds[label] = time.perf_counter() - start
        self.out(f"  built {label} in {self.build_seconds[label]:.1f} s")


# ---------------------------------------------------------------------------------------------
# The database


def bench_database_name(base: str, scale: float) -> str:
    suffix = "" if scale == 1 else "_" + f"{scale:g}".replace(".", "_")
    return f"{base}_bench{suffix}"


def use_database(name: str, *, create: bool = True) -> bool:
    """Point the default connection at ``name`` (created when missing). Returns True if created."""
    from psycopg2 import sql

    created = False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            if not create:
                raise RuntimeError(f"database {name} does not exist")
            cursor.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)).as_string(cursor.cursor)
            )
            created = True
    connections.close_all()
    connections.settings["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name
    return created


def drop_database(name: str, previous: str) -> None:
    from psycopg2 import sql

    connections.close_all()
    connections.settings["default"]["NAME"] = previous
    connections["default"].settings_dict["NAME"] = previous
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)).as_string(cursor.cursor)
        )
