import datetime

from django.utils import timezone

from reports import demo, periods
from reports.choices import ReportStatus
from reports.grid import build_grid
from reports.models import MonthlyReport, ReportValue


def test_the_demo_reports_tell_a_story_and_seeding_twice_changes_nothing(
    hub_staff, partner, other, org_a, org_b, centre_a, centre_b, make_centre
):
    make_centre(org_a, "都安第二园", datetime.date(2019, 1, 1))
    demo.seed({})
    count, values = MonthlyReport.objects.count(), ReportValue.objects.count()
    demo.seed({})
    assert (MonthlyReport.objects.count(), ReportValue.objects.count()) == (count, values)
    assert count > 80
    statuses = set(MonthlyReport.objects.values_list("status", flat=True))
    assert {ReportStatus.APPROVED} <= statuses
    last_month = periods.add_months(periods.first_of(timezone.localdate()), -1)
    # The demo partner's organisation leaves the last month for the demo to fill in.
    assert not MonthlyReport.objects.filter(organisation=org_a, month=last_month).exists()
    # No figure breaks its own rules (bounds, age bands within child visits).
    for value in ReportValue.objects.select_related("indicator").exclude(number=None):
        indicator = value.indicator
        assert indicator.min_value is None or value.number >= indicator.min_value
        assert indicator.max_value is None or value.number <= indicator.max_value
    late = sum(r.is_late for r in MonthlyReport.objects.exclude(first_submitted_at=None))
    assert late > 0
    grid = build_grid(2023)
    cells = {cell for row in grid.rows for _m, cell, _pk, _l in row.cells}
    assert "on_time" in cells
