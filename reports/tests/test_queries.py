"""Pages run the same number of queries whatever the number of centres, months and indicators."""

import datetime

import pytest
from django.urls import reverse

from reports.models import Indicator
from reports.tests.factories import make_report, submitted


def _grow(org, make_centre, size):
    for n in range(size):
        make_centre(org, f"新园{n}", datetime.date(2023, 1, 1))
    for n in range(size):
        Indicator.objects.create(
            code=f"extra_{n}", label_zh=f"附加{n}", label_en=f"Extra {n}", value_type="integer", order=500 + n
        )
    for month in range(1, size + 2):
        submitted(org, datetime.date(2023, month, 1))


@pytest.mark.parametrize("size", [0, 3])
def test_the_partner_form_runs_a_fixed_number_of_queries(
    size, client_for, partner, org_a, centre_a, make_centre, django_assert_num_queries
):
    _grow(org_a, make_centre, size)
    report = make_report(org_a, datetime.date(2024, 3, 1))
    client = client_for(partner)
    # session, user, report, indicators, centres, values, attachments, validation rules, and the
    # outliers' hints (the centre's past figures, centres of the month with the same figures)
    with django_assert_num_queries(10):
        response = client.get(reverse("reports:edit", args=[report.pk]))
    assert response.content.decode().count('class="card mb-3 report-section"') == size + 2


@pytest.mark.parametrize("size", [0, 3])
def test_the_report_summary_runs_a_fixed_number_of_queries(
    size, client_for, partner, org_a, centre_a, make_centre, django_assert_num_queries
):
    _grow(org_a, make_centre, size)
    report = make_report(org_a, datetime.date(2024, 3, 1))
    client = client_for(partner)
    # session, user, report, indicators, centres, values, events, and the required-figures check
    # (indicators, values, centres), attachments, and the outliers (past figures, same figures)
    with django_assert_num_queries(13):
        client.get(reverse("reports:detail", args=[report.pk]))


@pytest.mark.parametrize("size", [0, 3])
def test_my_reports_runs_a_fixed_number_of_queries(
    size, client_for, partner, org_a, centre_a, make_centre, django_assert_num_queries
):
    _grow(org_a, make_centre, size)
    client = client_for(partner)
    # session, user, organisation, reports, centre dates
    with django_assert_num_queries(5):
        client.get(reverse("reports:my_reports"))


@pytest.mark.parametrize("size", [0, 3])
def test_the_home_panels_run_a_fixed_number_of_queries(
    size, rf, partner, hub_staff, org_a, centre_a, make_centre, django_assert_num_queries
):
    from reports.home import panels

    _grow(org_a, make_centre, size)
    request = rf.get("/")
    request.user = partner
    with django_assert_num_queries(3):  # last month's report, operating centre exists, returned months
        panels(request)
    request.user = hub_staff
    # waiting count, expected/missing aggregate, own report, own centre exists, own returned months
    with django_assert_num_queries(5):
        (hub_panel, *_own) = panels(request)
    assert hub_panel["waiting"] == size + 1
