import datetime

import pytest
from django.urls import reverse

from partners.choices import OrganisationStatus
from reports.choices import Cell, ReportStatus
from reports.grid import build_grid
from reports.tests.factories import make_report, submitted

TODAY = datetime.date(2024, 6, 20)  # May is not due until 5 June: already due; June has not ended


@pytest.fixture
def story(hub_staff, partner, org_a, org_b, centre_a, centre_b, make_centre, prefectures):
    make_report(org_a, datetime.date(2024, 1, 1), status=ReportStatus.APPROVED)  # no hand-in date: see below
    submitted(org_a, datetime.date(2024, 2, 1), days_after_due=-2)
    submitted(org_a, datetime.date(2024, 3, 1), days_after_due=3)
    make_report(org_a, datetime.date(2024, 4, 1))  # draft, past due
    returned = submitted(org_a, datetime.date(2024, 5, 1), days_after_due=-1)
    returned.status = ReportStatus.RETURNED
    returned.save()
    # org B: nothing at all. A paused organisation is not expected to report.
    from partners.models import Organisation

    paused = Organisation.objects.create(
        name="暂停机构", prefecture=prefectures["450100"], status=OrganisationStatus.PAUSED
    )
    make_centre(paused, "暂停亲子园", datetime.date(2020, 1, 1))
    return org_a, org_b


def test_the_grid_tells_on_time_late_missing_draft_and_returned(story):
    org_a, org_b = story
    grid = build_grid(2024, today=TODAY)
    assert [m.month for m in grid.months] == [1, 2, 3, 4, 5]
    rows = {row.organisation: [cell for _m, cell, _pk, _l in row.cells] for row in grid.rows}
    assert set(rows) == {org_a, org_b}
    assert rows[org_a][1:] == [Cell.ON_TIME, Cell.LATE, Cell.DRAFT, Cell.RETURNED]
    assert rows[org_b] == [Cell.MISSING] * 5
    may = grid.month_rates[4]
    assert (may.expected, may.reported, may.on_time) == (2, 1, 1)
    march = grid.month_rates[2]
    assert (march.reporting_rate, march.on_time_rate) == (50, 0)
    org_a_rate = next(r.rate for r in grid.rows if r.organisation == org_a)
    assert org_a_rate.expected == 5


def test_a_month_before_the_first_centre_opened_is_not_expected(org_a, make_centre):
    make_centre(org_a, "新园", datetime.date(2024, 3, 15))
    grid = build_grid(2024, today=TODAY)
    cells = [cell for _m, cell, _pk, _l in grid.rows[0].cells]
    assert cells[:2] == [Cell.NOT_EXPECTED, Cell.NOT_EXPECTED]
    assert cells[2] == Cell.MISSING


def test_the_grid_filters_by_prefecture(story, client_for, hub_staff):
    org_a, org_b = story
    html = (
        client_for(hub_staff)
        .get(reverse("reports:grid"), {"year": 2024, "prefecture": org_b.prefecture.code})
        .content.decode()
    )
    assert org_b.display_name in html and org_a.display_name not in html


def _network(make_user, make_centre, prefectures, size):
    from partners.models import Organisation

    for n in range(size):
        org = Organisation.objects.create(
            name=f"机构{size}-{n}", prefecture=prefectures["450100"], status=OrganisationStatus.ACTIVE
        )
        for c in range(2):
            make_centre(org, f"园{c}", datetime.date(2022, 1, 1))
        for month in range(1, 4):
            submitted(org, datetime.date(2024, month, 1), days_after_due=n % 3 - 1)


@pytest.mark.parametrize("size", [2, 6])
def test_the_grid_page_runs_a_fixed_number_of_queries(
    size, client_for, hub_staff, make_user, make_centre, prefectures, django_assert_num_queries
):
    _network(make_user, make_centre, prefectures, size)
    client = client_for(hub_staff)
    # session + user, prefectures, organisations, centres, reports, indicators with targets (the
    # choice of a target column; reports/tests/test_targets_pages.py counts the page with one)
    with django_assert_num_queries(7):
        response = client.get(reverse("reports:grid"), {"year": 2024})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 6])
def test_the_review_queue_runs_a_fixed_number_of_queries(
    size, client_for, hub_staff, make_user, make_centre, prefectures, django_assert_num_queries
):
    _network(make_user, make_centre, prefectures, size)
    client = client_for(hub_staff)
    # session + user, count, page, prefecture choices of the filter
    with django_assert_num_queries(5):
        response = client.get(reverse("reports:review_queue"))
    assert response.content.decode().count("/approve/") == 3 * size


def test_the_grid_shows_a_page_of_organisations_but_rates_the_whole_network(
    client_for, hub_staff, make_user, make_centre, prefectures, monkeypatch
):
    from reports.views import GridView

    monkeypatch.setattr(GridView, "paginate_by", 2)
    _network(make_user, make_centre, prefectures, 5)
    client = client_for(hub_staff)
    first = client.get(reverse("reports:grid"), {"year": 2024})
    last = client.get(reverse("reports:grid"), {"year": 2024, "page": 3})
    assert len(first.context["rows"]) == 2 and len(last.context["rows"]) == 1
    grid = first.context["grid"]
    assert len(grid.rows) == 5
    assert grid.total.expected == sum(row.rate.expected for row in grid.rows) > 0
    assert last.context["grid"].total.expected == grid.total.expected
    html = first.content.decode()
    assert "year=2024&amp;page=2" in html
    # The exports take the whole grid, whatever page is shown.
    assert "page=" not in last.context["query"]


def test_the_grid_is_read_from_the_cache_until_the_data_changes(
    client_for, hub_staff, make_user, make_centre, prefectures, django_assert_num_queries
):
    from partners.coverage import data_changed
    from partners.models import Organisation

    _network(make_user, make_centre, prefectures, 2)
    client = client_for(hub_staff)
    client.get(reverse("reports:grid"), {"year": 2024})
    # session + user, prefectures, indicators with targets: no organisations, centres or reports
    with django_assert_num_queries(4):
        response = client.get(reverse("reports:grid"), {"year": 2024})
    assert response.content.decode().count('data-cell="missing"') == 2 * 9  # April to December

    org = Organisation.objects.get(name="机构2-0")
    submitted(org, datetime.date(2024, 4, 1), days_after_due=-1)
    data_changed()  # what a saved report's signal does on commit
    html = client.get(reverse("reports:grid"), {"year": 2024}).content.decode()
    assert html.count('data-cell="missing"') == 2 * 9 - 1
