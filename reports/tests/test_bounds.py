"""Bounds of the reports app: indicator validity, the regional period, report figures and the query
values of the grid and the exports."""

import datetime

import pytest
from django.urls import reverse

from reports import periods
from reports.models import GeneratedReport, Indicator


def _indicator_data(**extra):
    data = {
        "code": "far_future",
        "label_zh": "远",
        "label_en": "Far",
        "value_type": "integer",
        "scope": "centre",
        "order": 10,
        "over_months": "sum",
        "over_units": "sum",
        "valid_from": "2018-01-01",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("field", ["valid_from", "valid_until"])
@pytest.mark.parametrize("day", ["9999-01-01", "0001-01-01"])
def test_an_indicator_valid_from_or_until_a_far_date_is_refused_beside_the_field(
    hub_admin, client_for, field, day
):
    before = Indicator.objects.count()
    response = client_for(hub_admin).post(
        reverse("reports:indicator_create"), _indicator_data(**{field: day})
    )
    assert response.status_code in (200, 400)
    assert response.context["form"].errors[field][0].startswith("请输入 2000-01-01 至 ")
    assert Indicator.objects.count() == before


@pytest.mark.parametrize("bound", ["min_value", "max_value"])
def test_an_indicator_bound_beyond_a_billion_is_refused(hub_admin, client_for, bound):
    response = client_for(hub_admin).post(
        reverse("reports:indicator_create"), _indicator_data(**{bound: "99999999999"})
    )
    assert bound in response.context["form"].errors


@pytest.mark.parametrize("period", ["0001-01", "9999-12", "1999-12"])
def test_a_regional_report_for_a_period_outside_the_bounds_is_refused(hub_staff, client_for, period):
    response = client_for(hub_staff).post(
        reverse("reports:regional_list"), {"period_kind": "year", "period": period, "scope": "region"}
    )
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["period"]
    assert not GeneratedReport.objects.exists()


@pytest.mark.parametrize("query", [{"prefecture": "\x00"}, {"year": "1e400"}, {"year": "9" * 20}])
def test_grid_and_export_queries_that_do_not_parse_are_ignored(hub_staff, client_for, query):
    client = client_for(hub_staff)
    assert client.get(reverse("reports:grid"), query).status_code == 200
    assert client.get(reverse("reports:grid_export"), {**query, "format": "\x00"}).status_code == 200
    assert client.get(reverse("reports:figures"), {"indicator": "\x00"}).status_code == 200


def test_month_arithmetic_stops_at_the_calendars_end():
    assert periods.add_months(datetime.date(9999, 12, 1), 1) == datetime.date(9999, 12, 1)
    assert periods.months_between(datetime.date(9999, 11, 1), datetime.date.max) == [
        datetime.date(9999, 11, 1),
        datetime.date(9999, 12, 1),
    ]
    assert periods.due_date(datetime.date(9999, 12, 1)).year == 9999


@pytest.mark.parametrize("target", ["a b", "a\x00b", "/x\x00y", "reports:grid"])
def test_a_review_step_with_a_next_that_is_no_path_goes_back_to_the_report(
    hub_staff, org_a, client_for, target
):
    from reports.tests.factories import submitted

    report = submitted(org_a, datetime.date(2024, 2, 1))
    response = client_for(hub_staff).post(reverse("reports:approve", args=[report.pk]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
