"""The report reminder sweep at bench scale: 10,000 recipients (at scale 1), in a throwaway transaction.

The extra partner staff are created inside a transaction that is rolled back at the end, so the
bench database is left as it was and no e-mail task is ever enqueued (``on_commit`` never fires).
Printed: the sweep's time and queries when it creates every reminder, and again when it runs a
second time and finds them all (the idempotent path beat takes when it fires twice).
"""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hubsite.core.bench import Result
from hubsite.core.models import Notification
from hubsite.core.roles import Role
from partners.models import User

from . import periods, reminders

RECIPIENTS = 10_000


class _Rollback(Exception):
    pass


def _timed_sweep(now) -> tuple[float, int, dict]:
    with CaptureQueriesContext(connection) as context:
        start = time.perf_counter()
        counts = reminders.sweep(now)
        seconds = time.perf_counter() - start
    return seconds, len(context.captured_queries), counts


def run(bench) -> None:
    wanted = max(50, round(RECIPIENTS * bench.scale))
    month = periods.add_months(periods.first_of(timezone.localdate()), -1)
    now = timezone.make_aware(datetime.datetime.combine(periods.due_date(month), datetime.time(8)))
    batch = getattr(settings, "REMINDER_BATCH_SIZE", 500)
    try:
        with transaction.atomic():
            orgs = list(reminders.missing_organisations(month).values_list("pk", flat=True))
            if not orgs:
                bench.out("  reminder sweep: no organisation is missing last month's report; skipped")
                return
            password = make_password(None)
            User.objects.bulk_create(
                [
                    User(
                        email=f"reminder-bench-{n}@example.org",
                        full_name=f"提醒基准{n}",
                        role=Role.PARTNER_STAFF,
                        organisation_id=orgs[n % len(orgs)],
                        password=password,
                    )
                    for n in range(wanted)
                ],
                batch_size=2000,
            )
            Notification.objects.filter(object_key__endswith=f":{month:%Y-%m}").delete()
            seconds, queries, counts = _timed_sweep(now)
            created = sum(counts.values())
            batches = -(-created // batch)
            again_seconds, again_queries, _counts = _timed_sweep(now)
            for label, secs, count, note in (
                (
                    "reminder sweep (creates all)",
                    seconds,
                    queries,
                    f"{created} reminders, {batches}+ batches",
                ),
                ("reminder sweep (run again)", again_seconds, again_queries, "all exist: nothing new"),
            ):
                bench.results[label] = Result(label, "call", 1000 * secs, 1000 * secs, count, note=note)
            bench.out(
                f"  reminder sweep: {created} reminders to {len(orgs)} organisations' staff in {seconds:.2f} s, "
                f"{queries} queries (batches of {batch}: about {queries / max(batches, 1):.1f} per batch); "
                f"second run {again_seconds:.2f} s, {again_queries} queries"
            )
            raise _Rollback
    except _Rollback:
        pass
