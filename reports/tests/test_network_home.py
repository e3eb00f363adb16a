"""The viewer's home (funders, officials) shows the network in figures: the latest complete month's key
figures, the reporting rate and the coverage, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.network_home import shown_month
from reports.tests.factories import submitted

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _last_month():
    return shown_month(timezone.localdate())


@pytest.fixture
def network(org_a, org_b, centre_a, centre_b, make_centre):
    """org_a (two centres, 河池) hands in last month's report; org_b (桂林) has not."""
    make_centre(org_a, "都安第二亲子园", datetime.date(2023, 1, 1))
    month = _last_month()
    submitted(org_a, month, values={"child_visits": 7516, "families_served": 60, "classes": 8})
    return month


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_viewer_home_shows_last_months_network_figures_the_reporting_rate_and_coverage(
    client_for, viewer, network
):
    client = _english(client_for(viewer))
    page = client.get(reverse("home")).content.decode()
    assert f"The network in {network:%Y-%m}" in page
    # Two centres of 7,516 visits each, with the thousands separator and the unit in English.
    assert "15,032 visits" in page
    # Families are a stock: the two centres' families add up (60 + 60) in the month.
    assert "120 families" in page
    assert "16 sessions" in page
    assert '<div class="fs-4 fw-semibold" id="reporting-rate">50%</div>' in page
    assert "1 of 2 organisations handed in their report" in page
    assert "the missing reports are not counted" in page
    # 河池 and 桂林 of Guangxi's 14 prefectures.
    assert '<div class="fs-4 fw-semibold" id="coverage-count">2 / 14</div>' in page
    assert "3 centres operating" in page
    assert reverse("reports:figures") in page


def test_the_viewer_home_reads_in_chinese_with_chinese_units(client_for, viewer, network):
    page = client_for(viewer).get(reverse("home"), **ZH).content.decode()
    assert "15,032 人次" in page
    assert "120 户" in page
    assert "应报 2 家机构，已交 1 家" in page


def test_a_month_without_reports_says_where_figures_come_from(client_for, viewer, org_a, centre_a):
    client = _english(client_for(viewer))
    page = client.get(reverse("home")).content.decode()
    assert "No figures for this month yet" in page
    assert '<div class="fs-4 fw-semibold" id="reporting-rate">0%</div>' in page


def test_partners_and_hub_staff_do_not_get_the_viewer_box(client_for, partner, hub_staff, network):
    for user in (partner, hub_staff):
        assert 'id="network-panel"' not in client_for(user).get(reverse("home")).content.decode()


def test_the_viewer_box_has_a_fixed_query_count(
    client_for, viewer, network, org_b, make_centre, django_assert_num_queries
):
    from reports.network_home import network_panel

    network_panel()  # warm the translations
    with django_assert_num_queries(5):
        before = network_panel()
    # A bigger network: more centres and reports, the same queries.
    for i in range(3):
        make_centre(org_b, f"桂林新园{i}", datetime.date(2023, 1, 1))
    submitted(org_b, network)
    with django_assert_num_queries(5):
        after = network_panel()
    assert before["reporting"]["received"] == 1
    assert after["reporting"] == {"expected": 2, "received": 2, "rate": 100}


def test_the_viewer_box_is_computed_once_until_a_report_changes(
    client_for, viewer, network, org_b, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(viewer)

    def home():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("home")).content.decode()
        return page, len(queries)

    first, computed = home()
    again, cached = home()
    assert cached == computed - 5  # the figures (2), the reporting rate (1), the coverage (2)
    assert '<div class="fs-4 fw-semibold" id="reporting-rate">50%</div>' in first
    assert '<div class="fs-4 fw-semibold" id="reporting-rate">50%</div>' in again
    # org_b hands in its report too: once committed, the next visit counts it.
    with django_capture_on_commit_callbacks(execute=True):
        submitted(org_b, network)
    after, queries = home()
    assert '<div class="fs-4 fw-semibold" id="reporting-rate">100%</div>' in after and queries == computed


def test_the_box_shows_the_latest_month_whose_reports_are_due_not_one_still_being_handed_in(settings):
    settings.REPORT_DUE_DAY = 5
    assert shown_month(datetime.date(2026, 12, 2)) == datetime.date(2026, 10, 1)
    assert shown_month(datetime.date(2026, 12, 5)) == datetime.date(2026, 10, 1)  # due today: not yet
    assert shown_month(datetime.date(2026, 12, 6)) == datetime.date(2026, 11, 1)
    assert shown_month(datetime.date(2027, 1, 1)) == datetime.date(2026, 11, 1)
