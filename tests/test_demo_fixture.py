"""The `demo` fixture: the demo network seeded once per session, a clean copy for each test that asks,
and nothing of it for the tests that do not (they run in the same worker, before and after)."""

import datetime
import threading

import pytest
from django.utils import timezone

from partners.models import Centre, Organisation, User
from reports import periods
from reports.models import MonthlyReport


def _organisations_seen_from_another_connection():
    """What a live server's thread or a worker would see: only committed rows."""
    from django.db import connection

    counted = []

    def count():
        try:
            counted.append(Organisation.objects.count())
        finally:
            connection.close()

    thread = threading.Thread(target=count)
    thread.start()
    thread.join()
    return counted[0]


def test_a_test_without_the_demo_before_one_with_it_sees_no_organisation(db):
    assert not Organisation.objects.exists()


def test_a_test_that_asks_for_the_demo_gets_the_whole_network(demo):
    assert Organisation.objects.active().count() == 10
    assert Centre.objects.operating().count() == 16
    assert set(demo) == set(User.objects.values_list("email", flat=True))
    assert demo["partner@example.org"].organisation.name == "都安瑶山社会工作服务中心"


def test_a_change_to_the_demo_in_one_test_is_gone_in_the_next_part_one(demo):
    Centre.objects.filter(name="心圩社区服务中心亲子园").update(capacity=99)
    User.objects.filter(email="viewer@example.org").delete()


def test_a_change_to_the_demo_in_one_test_is_gone_in_the_next_part_two(demo):
    assert Centre.objects.get(name="心圩社区服务中心亲子园").capacity == 20
    assert User.objects.filter(email="viewer@example.org").exists()


def test_rows_a_test_adds_to_the_demo_get_ids_the_demo_does_not_use(demo, make_user):
    highest = User.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert make_user("new@example.org", "viewer").pk > highest


def test_the_demo_replaces_what_fixtures_made_before_it(org_a, demo):
    # org_a bears the name of a demo organisation: only the demo's own row is left.
    assert Organisation.objects.count() == 13
    assert Organisation.objects.filter(name=org_a.name).count() == 1
    assert not Organisation.objects.filter(pk=org_a.pk).exists()


@pytest.fixture
def forty_days_on(time_machine):
    time_machine.move_to(timezone.now() + datetime.timedelta(days=40), tick=True)


def test_a_test_on_another_day_gets_the_demo_as_seeded_on_that_day(forty_days_on, demo):
    # The demo's reports run up to last month: a copy seeded 40 days earlier would stop a month short.
    last_month = periods.add_months(periods.first_of(timezone.localdate()), -1)
    assert MonthlyReport.objects.filter(month=last_month).exists()
    assert not MonthlyReport.objects.filter(month__gt=last_month).exists()


def test_a_test_without_the_demo_after_one_with_it_sees_no_organisation(db):
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_in_a_transactional_test_the_demo_is_committed_for_other_connections(demo):
    assert _organisations_seen_from_another_connection() == Organisation.objects.count() == 13


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_after_it_sees_no_organisation():
    assert not Organisation.objects.exists()
    assert _organisations_seen_from_another_connection() == 0
