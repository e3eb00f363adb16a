"""The network figures page: thousands separators, the table as a download, and a note when a month's
total is low because reports are missing."""

import csv
import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.coverage import data_changed
from reports import periods
from reports.tests.factories import submitted

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _last_month():
    return periods.add_months(periods.first_of(timezone.localdate()), -1)


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _network(org_a, org_b, make_centre):
    """org_a (two centres) hands in last month and the month before; org_b only the month before."""
    make_centre(org_a, "都安第二亲子园", datetime.date(2023, 1, 1))
    last = _last_month()
    before = periods.add_months(last, -1)
    submitted(org_a, last, values={"child_visits": 7516})
    submitted(org_a, before, values={"child_visits": 7516})
    submitted(org_b, before, values={"child_visits": 1000})
    return last, before


def test_the_figures_table_groups_thousands(
    client_for, viewer, org_a, org_b, centre_a, centre_b, make_centre
):
    _network(org_a, org_b, make_centre)
    html = client_for(viewer).get(reverse("reports:figures"), {"indicator": "child_visits"}).content.decode()
    assert "<td>15,032</td>" in html  # 河池's two centres, last month
    assert "<td>16,032</td>" in html  # the network the month before: 15,032 + 1,000
    assert "<td>30,064</td>" in html  # 河池 over the 12 months
    assert "<td>31,064</td>" in html  # the network over the 12 months


def test_a_month_short_of_reports_is_named_under_the_table(
    client_for, viewer, org_a, org_b, centre_a, centre_b, make_centre
):
    last, before = _network(org_a, org_b, make_centre)
    html = _english(client_for(viewer)).get(reverse("reports:figures"), {"indicator": "child_visits"})
    html = html.content.decode()
    note = html[html.index('id="missing-reports-note"') :]
    assert "may come from reports not handed in, not from fewer services" in note
    assert f"{last:%Y-%m}: 1 of 2 expected report missing" in note
    # The month before had both reports: its lower neighbour is not blamed on it.
    assert f"{before:%Y-%m}:" not in note
    received = html[html.index('id="reports-received"') :]
    assert 'data-missing="1">1/2</td>' in received


def test_no_note_when_every_expected_report_counts(client_for, viewer, org_a, centre_a, monkeypatch):
    # org_a's centre opened this month a year ago is not needed: a network that reported every month.
    for month in periods.months_between(periods.add_months(_last_month(), -11), _last_month()):
        submitted(org_a, month)
    html = client_for(viewer).get(reverse("reports:figures"), {"indicator": "child_visits"}).content.decode()
    assert 'id="missing-reports-note"' not in html
    assert 'id="figures-export"' in html


def test_viewers_download_the_table_they_see_as_csv(
    client_for, viewer, org_a, org_b, centre_a, centre_b, make_centre
):
    last, before = _network(org_a, org_b, make_centre)
    response = _english(client_for(viewer)).get(
        reverse("reports:figures"), {"indicator": "child_visits", "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[0] == "Prefecture" and header[-2] == f"{last:%Y-%m}"
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[org_a.prefecture.name][-2:] == ["15032", "30064"]
    assert by_name["Network"][-3:-1] == ["16032", "15032"]
    assert by_name["Reports received / expected"][-3:-1] == ["2/2", "1/2"]


def test_the_xlsx_keeps_numbers_as_numbers(
    client_for, hub_staff, org_a, org_b, centre_a, centre_b, make_centre
):
    from python_calamine import CalamineWorkbook

    _network(org_a, org_b, make_centre)
    response = client_for(hub_staff).get(
        reverse("reports:figures"), {"indicator": "child_visits", "format": "xlsx"}
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][0] == "地市"
    network = next(row for row in rows if row[0] == "全网络")
    assert network[-2] == 15032


def test_the_figures_page_has_a_fixed_query_count(
    client_for, viewer, org_a, org_b, centre_a, centre_b, make_centre, make_user
):
    from partners.choices import OrganisationStatus
    from partners.models import Organisation

    _network(org_a, org_b, make_centre)
    client = client_for(viewer)
    url = reverse("reports:figures")
    client.get(url, {"indicator": "child_visits"})

    def count():
        data_changed()  # computed, not read from the cache (test_..._read_from_the_cache_...)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"indicator": "child_visits"}).status_code == 200
        return len(queries)

    before = count()
    for i in range(4):
        org = Organisation.objects.create(
            name=f"新伙伴{i}", prefecture=org_b.prefecture, status=OrganisationStatus.ACTIVE
        )
        make_centre(org, f"新园{i}", datetime.date(2023, 1, 1))
        submitted(org, _last_month())
    assert count() == before


def test_a_prefecture_with_reports_keeps_its_charts_and_one_without_says_why(
    client_for, viewer, org_a, centre_a
):
    submitted(org_a, _last_month(), values={"child_visits": 7516})
    page = (
        client_for(viewer).get(reverse("coverage:prefecture", args=[org_a.prefecture.code])).content.decode()
    )
    figures = page[page.index('id="prefecture-figures"') :]
    assert 'id="prefecture-no-figures"' not in figures
    assert "<svg" in figures and "7,516" in figures
    page = client_for(viewer).get(reverse("coverage:prefecture", args=["450400"])).content.decode()
    assert 'id="prefecture-no-figures"' in page


def test_the_figures_are_read_from_the_cache_until_the_data_changes(
    client_for, viewer, org_a, org_b, centre_a, centre_b, make_centre, django_assert_num_queries
):
    last, _before = _network(org_a, org_b, make_centre)
    client = client_for(viewer)
    url = reverse("reports:figures")
    assert "<td>15,032</td>" in client.get(url, {"indicator": "child_visits"}).content.decode()
    # session + user, indicators, prefectures: no figures or reports
    with django_assert_num_queries(4):
        html = client.get(url, {"indicator": "child_visits"}).content.decode()
    assert "<td>15,032</td>" in html and "<td>17,032</td>" not in html

    submitted(org_b, last, values={"child_visits": 2000})
    data_changed()  # what a saved report's signal does on commit
    assert "<td>17,032</td>" in client.get(url, {"indicator": "child_visits"}).content.decode()


def test_the_reports_each_month_rests_on_follow_the_operating_and_counting_rules(
    org_a, centre_a, make_centre
):
    from partners.choices import OrganisationStatus
    from partners.models import Organisation
    from reports.choices import ReportStatus
    from reports.figures_page import reports_by_month
    from reports.tests.factories import make_report

    march, april, may = datetime.date(2024, 3, 1), datetime.date(2024, 4, 1), datetime.date(2024, 5, 1)
    # Opens in the middle of April: expected from April on.
    late = Organisation.objects.create(
        name="四月机构", prefecture=org_a.prefecture, status=OrganisationStatus.ACTIVE
    )
    make_centre(late, "四月亲子园", datetime.date(2024, 4, 15))
    # Its only centre closed on 10 April: expected in March and April, not in May.
    closing = Organisation.objects.create(
        name="关闭机构", prefecture=org_a.prefecture, status=OrganisationStatus.ACTIVE
    )
    closed = make_centre(closing, "关闭亲子园", datetime.date(2020, 1, 1))
    closed.closed_on = datetime.date(2024, 4, 10)
    closed.save()
    # A paused organisation is never expected, whatever it hands in.
    paused = Organisation.objects.create(
        name="暂停机构", prefecture=org_a.prefecture, status=OrganisationStatus.PAUSED
    )
    make_centre(paused, "暂停亲子园", datetime.date(2020, 1, 1))
    submitted(paused, april)
    submitted(org_a, march)
    submitted(org_a, april)
    make_report(org_a, may, status=ReportStatus.RETURNED)  # sent back: not counted
    submitted(closing, april)
    submitted(late, may)

    rows = reports_by_month([march, april, may])

    assert [(r["expected"], r["received"], r["missing"]) for r in rows] == [(2, 1, 1), (3, 2, 1), (2, 1, 1)]
