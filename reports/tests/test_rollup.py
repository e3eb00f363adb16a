"""How figures add up: a stock is rolled up over months as its indicator says (never summed), a flow
still sums, a figure not additive over centres gets no total, on every page that totals figures."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models.functions import ExtractYear
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.coverage import data_changed
from reports import coverage, periods
from reports.choices import OverMonths, OverUnits, ReportStatus
from reports.models import Indicator, MonthlyReport, ReportValue
from reports.regional import content
from reports.regional.choices import PeriodKind
from reports.rollup import UnitMonths, rolled_up, rollup
from reports.tests.factories import make_report

TODAY = datetime.date(2025, 2, 20)
# One centre's families served in January, February and March 2024: a sum of 70 family-months.
FAMILIES = {1: 10, 2: 40, 3: 20}


def _report(org, month, **values):
    return make_report(org, month, status=ReportStatus.APPROVED, values=values)


def _families_by_month(org):
    for month, families in FAMILIES.items():
        _report(org, datetime.date(2024, month, 1), families_served=families, child_visits=100)


def _set(code, **how):
    Indicator.objects.filter(code=code).update(**how)


@pytest.mark.parametrize(
    ("over_months", "expected"),
    [
        (OverMonths.AVERAGE, Decimal("23.33")),
        (OverMonths.MAX, Decimal(40)),
        (OverMonths.LATEST, Decimal(20)),
        (OverMonths.SUM, Decimal(70)),
    ],
)
def test_a_stocks_yearly_total_is_its_roll_up_not_the_sum(org_a, centre_a, over_months, expected):
    _set("families_served", over_months=over_months)
    _families_by_month(org_a)

    ((year, total),) = coverage.totals_by_year("families_served", 2024, 2024)

    assert year == 2024
    assert Decimal(total).quantize(Decimal("0.01")) == expected


def test_families_served_add_up_as_the_average_month_by_default(org_a, centre_a):
    families = Indicator.objects.get(code="families_served")
    _families_by_month(org_a)

    assert families.over_months == OverMonths.AVERAGE
    assert coverage.totals_by_year("families_served", 2024, 2024) == [(2024, pytest.approx(70 / 3))]
    assert coverage.totals_by_prefecture(
        "families_served", datetime.date(2024, 1, 1), datetime.date(2024, 12, 1)
    ) == {org_a.prefecture.code: pytest.approx(70 / 3)}


def test_a_flow_still_sums_over_the_months(org_a, centre_a):
    _families_by_month(org_a)

    assert coverage.totals_by_year("child_visits", 2024, 2024) == [(2024, 300.0)]


def test_a_stock_rolls_up_centre_by_centre_then_adds_the_centres(org_a, centre_a, org_b, centre_b):
    # centre_a reports three months of 10 families; centre_b only January, with 30.
    for month in (1, 2, 3):
        _report(org_a, datetime.date(2024, month, 1), families_served=10)
    _report(org_b, datetime.date(2024, 1, 1), families_served=30)

    c = content.gather(PeriodKind.QUARTER, datetime.date(2024, 1, 1), today=TODAY)

    families = next(i for i in c.indicators if i.code == "families_served")
    # Each centre's average month (10 and 30), added up: not (40 + 10 + 10) / 3 and not 60.
    assert c.totals[families.pk].current == 40
    by_prefecture = {p.code: f for p, f in c.by_prefecture}
    assert by_prefecture[org_a.prefecture.code][families.pk].current == 10
    assert by_prefecture[org_b.prefecture.code][families.pk].current == 30
    assert c.monthly[families.pk] == [40, 10, 10]


def test_the_annual_report_counts_families_in_an_average_month(org_a, centre_a):
    _families_by_month(org_a)

    c = content.gather(PeriodKind.YEAR, datetime.date(2024, 1, 1), today=TODAY)

    numbers = {label: (value, unit) for label, value, unit in c.year_in_numbers}
    assert numbers["平均每月服务家庭数"] == (pytest.approx(23.33), "户")


def test_a_figure_not_additive_across_centres_has_no_network_total(
    client_for, viewer, org_a, org_b, make_centre
):
    _set("days_open", over_units=OverUnits.NONE)
    last = periods.add_months(periods.first_of(timezone.localdate()), -1)
    make_centre(org_a, "甲园", datetime.date(2020, 1, 1))
    make_centre(org_b, "乙园", datetime.date(2020, 1, 1))
    _report(org_a, last, days_open=20)
    _report(org_b, last, days_open=25)

    response = client_for(viewer).get(reverse("reports:figures"), {"indicator": "days_open"})

    assert response.context["grand_total"] is None
    assert response.context["month_totals"][-1] is None
    # Each prefecture has one centre: its own figure stands, per centre.
    totals = {prefecture.code: total for prefecture, _values, total in response.context["table"]}
    assert totals == {org_a.prefecture.code: 20, org_b.prefecture.code: 25}


def test_the_figures_page_says_how_its_total_adds_up(client_for, viewer):
    html = client_for(viewer).get(reverse("reports:figures"), {"indicator": "families_served"}).content
    assert "平均每月" in html.decode()


def test_the_coverage_pages_yearly_families_figure_is_the_roll_up(client_for, viewer, org_a, centre_a):
    _families_by_month(org_a)
    data_changed()

    page = client_for(viewer).get(reverse("coverage:index"), {"as_of": "2024-12-31"}).content.decode()

    assert "<title>2024: 23.3</title>" in page
    assert "<title>2024: 70</title>" not in page


def test_the_prefecture_page_totals_families_as_the_roll_up(org_a, centre_a):
    last = periods.add_months(periods.first_of(timezone.localdate()), -1)
    for back, families in enumerate((10, 40, 20)):
        _report(org_a, periods.add_months(last, -back), families_served=families, child_visits=100)

    (panel,) = coverage.prefecture_panels(None, org_a.prefecture)

    visits, families = panel["charts"]
    assert visits["total"] == 300
    assert families["total"] == pytest.approx(Decimal(70) / 3)
    assert families["total_label"] == Indicator.objects.get(code="families_served").rollup_label


def test_the_roll_up_of_one_month_per_unit_is_that_months_figure_whatever_the_type():
    march = UnitMonths.of({datetime.date(2024, 3, 1): Decimal(7)})
    for over_months in OverMonths:
        assert rollup(Indicator(over_months=over_months), [march]) == 7
    assert rollup(Indicator(over_units=OverUnits.NONE), [march, None]) == 7
    assert rollup(Indicator(), [None]) is None


def test_the_figures_page_runs_as_many_queries_for_a_stock_as_for_a_flow_whatever_the_centres(
    client_for, viewer, org_a, make_centre
):
    last = periods.add_months(periods.first_of(timezone.localdate()), -1)
    client = client_for(viewer)

    def queries(code):
        data_changed()  # the page's figures are cached per data version: count them worked out
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reports:figures"), {"indicator": code}).status_code == 200
        return len(captured)

    make_centre(org_a, "园0", datetime.date(2020, 1, 1))
    _report(org_a, last, families_served=10, child_visits=100)
    few = queries("child_visits")
    assert queries("families_served") == few
    MonthlyReport.objects.all().delete()
    for n in range(1, 6):
        make_centre(org_a, f"园{n}", datetime.date(2020, 1, 1))
    _report(org_a, last, families_served=10, child_visits=100)

    assert queries("families_served") == few
    assert (
        client.get(reverse("reports:figures"), {"indicator": "families_served"}).context["grand_total"] == 60
    )


def test_the_regional_report_says_how_a_stock_adds_up_beside_its_figure(org_a, centre_a):
    from reports.regional.pdf import render_html

    _families_by_month(org_a)

    html = render_html(content.gather(PeriodKind.YEAR, datetime.date(2024, 1, 1), today=TODAY))

    assert '<br><span class="muted">平均每月</span>' in html
    assert "23.3" in html


# Every way of adding up, over months and over units, for the SQL and Python roll-ups to agree on.
MIXED = {
    "child_visits": (OverMonths.SUM, OverUnits.SUM),
    "families_served": (OverMonths.AVERAGE, OverUnits.SUM),
    "volunteers": (OverMonths.MAX, OverUnits.SUM),
    "children_0_1": (OverMonths.LATEST, OverUnits.SUM),
    "days_open": (OverMonths.SUM, OverUnits.NONE),
    "children_1_2": (OverMonths.AVERAGE, OverUnits.NONE),
    "children_2_3": (OverMonths.LATEST, OverUnits.NONE),
    "home_visits": (OverMonths.MAX, OverUnits.NONE),
}
MIXED_MONTHS = [
    datetime.date(2023, 11, 1),
    datetime.date(2023, 12, 1),
    *(datetime.date(2024, m, 1) for m in (1, 2, 3)),
]


def _mixed_network(org_a, org_b, make_centre):
    """Two centres in org_a's prefecture, one in org_b's, and organisation-wide figures of org_b:
    varied figures, some months left blank, over two years."""
    make_centre(org_a, "甲一园", datetime.date(2020, 1, 1))
    make_centre(org_a, "甲二园", datetime.date(2020, 1, 1))
    make_centre(org_b, "乙园", datetime.date(2020, 1, 1))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=MIXED)}
    for code, (over_months, over_units) in MIXED.items():
        _set(code, over_months=over_months, over_units=over_units)
    rows = []
    for m, month in enumerate(MIXED_MONTHS):
        for org in (org_a, org_b):
            report = _report(org, month)
            units = [*report.centres(), None] if org == org_b else list(report.centres())
            for u, centre in enumerate(units):
                for i, code in enumerate(MIXED):
                    blank = (u + m + i) % 4 == 0
                    number = None if blank else Decimal((u * 7 + m * 3 + i * 5) % 17 + 1)
                    rows.append(
                        ReportValue(
                            report=report,
                            centre=centre,
                            indicator=indicators[code],
                            month=month,
                            number=number,
                        )
                    )
    ReportValue.objects.bulk_create(rows)


def _python_rollups(values, key) -> dict:
    """``rollup`` over each key's units, each unit's figures month by month, read row by row."""
    indicator = values.first().indicator
    by_unit: dict = {}
    for key_value, centre_id, org_id, month, number in values.values_list(
        key, "centre_id", "report__organisation_id", "month", "number"
    ):
        unit = centre_id if centre_id is not None else -org_id
        by_unit.setdefault(key_value, {}).setdefault(unit, {})[month] = number
    return {k: rollup(indicator, [UnitMonths.of(m) for m in units.values()]) for k, units in by_unit.items()}


def _rounded(totals: dict) -> dict:
    return {k: None if v is None else Decimal(v).quantize(Decimal("0.000001")) for k, v in totals.items()}


def test_the_database_roll_up_agrees_with_rollup_for_every_way_of_adding_up(org_a, org_b, make_centre):
    _mixed_network(org_a, org_b, make_centre)
    seen = set()

    for code in MIXED:
        values = ReportValue.objects.filter(indicator__code=code).annotate(year=ExtractYear("month"))
        for key in ("year", "report__organisation__prefecture__code", "centre_id"):
            expected = _python_rollups(values, key)
            assert _rounded(rolled_up(values, key)) == _rounded(expected), (code, key)
            seen.update((code, total is None) for total in expected.values())

    # Not a test of nothing: totals of every kind, and the non-additive ones with and without a total.
    assert {code for code, _none in seen} == set(MIXED)
    assert ("days_open", True) in seen
    assert ("days_open", False) in seen


def test_the_database_roll_up_keys_by_several_lookups_and_leaves_out_keys_nobody_reported_for(
    org_a, org_b, make_centre
):
    _mixed_network(org_a, org_b, make_centre)
    values = ReportValue.objects.filter(indicator__code="families_served").annotate(year=ExtractYear("month"))

    totals = rolled_up(values.filter(month__year=2024), "year", "report__organisation__prefecture__code")

    assert set(totals) == {(2024, org_a.prefecture.code), (2024, org_b.prefecture.code)}
    python = _python_rollups(values.filter(month__year=2024, report__organisation=org_b), "year")
    assert _rounded({2024: totals[(2024, org_b.prefecture.code)]}) == _rounded(python)


def test_the_database_roll_up_takes_the_latest_months_figure_whatever_the_order_of_the_rows(
    org_a, centre_a, django_assert_num_queries
):
    _set("families_served", over_months=OverMonths.LATEST)
    # Handed in out of order: the latest month's figure is the smallest and not the last row written.
    for month, families in ((3, 5), (1, 40), (2, 30)):
        _report(org_a, datetime.date(2024, month, 1), families_served=families)

    values = ReportValue.objects.filter(indicator__code="families_served")

    with django_assert_num_queries(1):
        totals = rolled_up(values, "report__organisation__prefecture__code")
    assert totals == {org_a.prefecture.code: 5}
