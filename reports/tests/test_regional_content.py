"""What a regional report says: totals with the previous period, scopes, rates, and a fixed query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.choices import ReportStatus
from reports.regional import content, periods
from reports.regional.choices import PeriodKind, ReportScope
from reports.tests.factories import make_report, submitted

TODAY = datetime.date(2025, 2, 20)


def _approved(org, month, visits):
    return make_report(
        org, month, status=ReportStatus.APPROVED, values={"child_visits": visits, "book_loans": 10}
    )


def test_periods_normalise_to_the_containing_quarter_half_and_year():
    day = datetime.date(2024, 8, 17)
    assert periods.normalise(PeriodKind.QUARTER, day) == datetime.date(2024, 7, 1)
    assert periods.normalise(PeriodKind.HALF_YEAR, day) == datetime.date(2024, 7, 1)
    assert periods.normalise(PeriodKind.YEAR, day) == datetime.date(2024, 1, 1)
    assert periods.bounds(PeriodKind.QUARTER, datetime.date(2024, 1, 1))[1] == datetime.date(2024, 3, 31)
    assert periods.containing_previous(PeriodKind.HALF_YEAR, datetime.date(2024, 5, 20)) == datetime.date(
        2023, 7, 1
    )


def test_it_totals_each_indicator_with_the_change_from_the_previous_period(org_a, centre_a, org_b, centre_b):
    _approved(org_a, datetime.date(2024, 1, 1), 100)
    _approved(org_a, datetime.date(2024, 2, 1), 50)
    _approved(org_a, datetime.date(2023, 12, 1), 120)  # previous quarter
    _approved(org_b, datetime.date(2024, 3, 1), 30)
    make_report(org_b, datetime.date(2024, 2, 1), values={"child_visits": 999})  # a draft does not count

    c = content.gather(PeriodKind.QUARTER, datetime.date(2024, 1, 1), today=TODAY)

    visits = next(i for i in c.indicators if i.code == "child_visits")
    assert (c.totals[visits.pk].current, c.totals[visits.pk].previous) == (180, 120)
    assert c.totals[visits.pk].change_pct == 50.0
    by_prefecture = {p.code: f for p, f in c.by_prefecture}
    assert by_prefecture[org_a.prefecture.code][visits.pk].current == 150
    assert by_prefecture[org_b.prefecture.code][visits.pk].current == 30
    assert len(c.by_prefecture) == 14  # the region lists every prefecture
    by_org = {row.organisation.pk: row for row in c.by_organisation}
    assert by_org[org_a.pk].figures[visits.pk].previous == 120
    assert c.monthly[visits.pk] == [100, 50, 30]
    assert c.year_in_numbers == []


def test_a_figure_taken_at_its_latest_month_is_the_latest_months_in_each_period_and_level(
    org_a, centre_a, org_b, centre_b
):
    from reports.choices import OverMonths
    from reports.models import Indicator

    Indicator.objects.filter(code="families_served").update(over_months=OverMonths.LATEST)
    # Handed in out of order: each period's latest month is neither the largest nor the last row written.
    for month, families in ((datetime.date(2024, 3, 1), 5), (datetime.date(2024, 1, 1), 40)):
        make_report(org_a, month, status=ReportStatus.APPROVED, values={"families_served": families})
    for month, families in ((datetime.date(2023, 12, 1), 7), (datetime.date(2023, 10, 1), 50)):
        make_report(org_a, month, status=ReportStatus.APPROVED, values={"families_served": families})
    make_report(
        org_b, datetime.date(2024, 2, 1), status=ReportStatus.APPROVED, values={"families_served": 11}
    )

    c = content.gather(PeriodKind.QUARTER, datetime.date(2024, 1, 1), today=TODAY)

    families = next(i for i in c.indicators if i.code == "families_served")
    assert (c.totals[families.pk].current, c.totals[families.pk].previous) == (16, 7)
    by_org = {row.organisation.pk: row.figures for row in c.by_organisation}
    assert (by_org[org_a.pk][families.pk].current, by_org[org_a.pk][families.pk].previous) == (5, 7)
    assert by_org[org_b.pk][families.pk].current == 11


def test_a_prefecture_or_organisation_report_only_counts_its_own(org_a, centre_a, org_b, centre_b):
    _approved(org_a, datetime.date(2024, 5, 1), 100)
    _approved(org_b, datetime.date(2024, 5, 1), 40)
    visits_code = "child_visits"

    for_prefecture = content.gather(
        PeriodKind.MONTH,
        datetime.date(2024, 5, 1),
        ReportScope.PREFECTURE,
        prefecture=org_b.prefecture,
        today=TODAY,
    )
    for_org = content.gather(
        PeriodKind.MONTH, datetime.date(2024, 5, 1), ReportScope.ORGANISATION, organisation=org_a, today=TODAY
    )

    visits = next(i for i in for_org.indicators if i.code == visits_code)
    assert for_prefecture.totals[visits.pk].current == 40
    assert [p.code for p, _f in for_prefecture.by_prefecture] == [org_b.prefecture.code]
    assert for_org.totals[visits.pk].current == 100
    assert [row.organisation for row in for_org.by_organisation] == [org_a]
    assert for_org.centres_operating == 1


def test_reporting_rates_come_from_the_grid_for_the_months_of_the_period(org_a, centre_a, org_b, centre_b):
    submitted(org_a, datetime.date(2024, 4, 1))  # on time
    submitted(org_a, datetime.date(2024, 5, 1), days_after_due=3)  # late
    # org B reports nothing in the quarter: three missing reports

    c = content.gather(PeriodKind.QUARTER, datetime.date(2024, 4, 1), today=TODAY)

    assert (c.rate.expected, c.rate.reported, c.rate.on_time) == (6, 2, 1)


def test_the_annual_report_has_the_year_in_numbers(org_a, centre_a):
    for month in range(1, 13):
        _approved(org_a, datetime.date(2024, month, 1), 100)

    c = content.gather(PeriodKind.YEAR, datetime.date(2024, 1, 1), today=TODAY)

    numbers = {label: value for label, value, _unit in c.year_in_numbers}
    assert numbers["儿童服务人次"] == 1200
    assert numbers["图书借阅"] == 120
    assert numbers["服务开展次数"] == 0
    assert numbers["运营中的亲子园"] == 1


def _grow(size, prefectures, make_centre, make_user):
    from meetings.models import Invitation, Meeting
    from mutualaid.models import Membership
    from partners.models import Organisation

    for n in range(size):
        org = Organisation.objects.create(
            name=f"扩展机构{n}",
            prefecture=prefectures["450200"],
            status="active",
            joined_on=datetime.date(2022, 1, 1),
        )
        make_centre(org, f"扩展园{n}", datetime.date(2022, 2, 1))
        make_centre(org, f"新开园{n}", datetime.date(2024, 2, 1))
        for month in (1, 2, 3):
            _approved(org, datetime.date(2024, month, 1), 10 + n)
        person = make_user(f"p{n}@example.org", "director", org)
        meeting = Meeting.objects.create(
            kind="monthly_topic",
            title=f"月度主题会{n}",
            starts_at=datetime.datetime(2024, 2, 10 + n, 9, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2024, 2, 10 + n, 11, tzinfo=datetime.UTC),
            status="held",
        )
        Invitation.objects.create(meeting=meeting, person=person, organisation=org, attendance="present")
        Membership.objects.create(organisation=org, cohort="2024", joined_on=datetime.date(2024, 1, 1))


@pytest.mark.parametrize("size", [1, 4])
@pytest.mark.parametrize("scope", [ReportScope.REGION, ReportScope.PREFECTURE])
def test_gathering_runs_a_fixed_number_of_queries_whatever_the_data_size(
    size, scope, prefectures, org_a, centre_a, make_centre, make_user
):
    _grow(size, prefectures, make_centre, make_user)
    prefecture = prefectures["450200"] if scope == ReportScope.PREFECTURE else None

    with CaptureQueriesContext(connection) as queries:
        c = content.gather(
            PeriodKind.YEAR, datetime.date(2024, 1, 1), scope, prefecture=prefecture, today=TODAY
        )

    # coverage 2, centres 1, indicators 1, totals 2, organisations 1, grid 3, meetings 1, mutual aid 4
    assert len(queries) == 15, [q["sql"][:80] for q in queries.captured_queries]
    assert len(c.meetings) == size
    assert c.members == size
    assert len(c.openings) == size
