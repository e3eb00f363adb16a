"""The report sweep runs a fixed number of queries per batch of recipients, whatever their number."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hubsite.core.models import Notification
from reports import reminders

BATCH = 5
# One page of recipients; existing keys, required kinds, turned-off kinds, one INSERT.
QUERIES_PER_NEW_BATCH = 5
# Run again: one page of recipients and the existing keys, nothing to insert.
QUERIES_PER_REPEATED_BATCH = 2
DUE = timezone.make_aware(datetime.datetime(2024, 4, 5, 8))


def _queries() -> int:
    with CaptureQueriesContext(connection) as context:
        reminders.sweep(DUE, batch_size=BATCH)
    return len(context.captured_queries)


def _staff(make_user, org, count, start=0):
    for n in range(start, start + count):
        make_user(f"staff{n}@example.org", "partner_staff", org)


def _run_twice(settings):
    Notification.objects.all().delete()
    settings.REPORT_REMINDER_STALE_DAYS = 10  # only March's "due" step is live on 04-05
    return _queries(), _queries()


def test_the_sweep_runs_a_fixed_number_of_queries_per_batch(org_a, centre_a, make_user, settings):
    _staff(make_user, org_a, 2 * BATCH)
    two_first, two_again = _run_twice(settings)
    assert Notification.objects.count() == 2 * BATCH

    _staff(make_user, org_a, 2 * BATCH, start=2 * BATCH)
    four_first, four_again = _run_twice(settings)
    assert Notification.objects.count() == 4 * BATCH

    assert four_first - two_first == 2 * QUERIES_PER_NEW_BATCH
    assert four_again - two_again == 2 * QUERIES_PER_REPEATED_BATCH


def test_equal_batch_counts_run_identical_query_counts(org_a, centre_a, make_user, settings):
    _staff(make_user, org_a, BATCH + 1)
    six = _run_twice(settings)
    _staff(make_user, org_a, BATCH - 2, start=100)
    nine = _run_twice(settings)
    assert six == nine  # 6 and 9 recipients are two batches each
