"""Helpers to build reports in tests (data is created by each test, never taken from the demo)."""

import datetime

from django.utils import timezone

from reports.choices import ReportStatus, Scope
from reports.models import Indicator, MonthlyReport, ReportValue

FULL = {
    "days_open": 20,
    "classes": 8,
    "activities": 4,
    "child_visits": 300,
    "families_served": 60,
    "children_0_1": 10,
    "children_1_2": 20,
    "children_2_3": 15,
}


def make_report(org, month, *, status=ReportStatus.DRAFT, submitted_at=None, values=None, by=None):
    """A report with values for every operating centre; ``values`` per indicator code (defaults: FULL)."""
    report = MonthlyReport.objects.create(
        organisation=org,
        month=month,
        status=status,
        created_by=by,
        first_submitted_at=submitted_at,
        submitted_at=submitted_at,
    )
    values = FULL if values is None else values
    indicators = {i.code: i for i in Indicator.objects.all()}
    rows = []
    for centre in report.centres():
        for code, value in values.items():
            rows.append(
                ReportValue(
                    report=report, centre=centre, indicator=indicators[code], month=month, number=value
                )
            )
    rows.append(
        ReportValue(report=report, indicator=indicators["highlights"], month=month, text="本月开展了绘本共读")
    )
    ReportValue.objects.bulk_create(rows)
    return report


def submitted(org, month, *, days_after_due=-1, **kwargs):
    """A submitted report handed in ``days_after_due`` days after its due date (negative: before)."""
    from reports import periods

    due = periods.due_date(month)
    at = timezone.make_aware(
        datetime.datetime.combine(due + datetime.timedelta(days=days_after_due), datetime.time(10))
    )
    return make_report(org, month, status=ReportStatus.SUBMITTED, submitted_at=at, **kwargs)


def form_data(report, values=None, org_values=None, centres=None):
    """POST data for the report form: every centre gets ``values`` (default FULL)."""
    values = FULL if values is None else values
    data = {"version": report.version}
    for centre in centres if centres is not None else report.centres():
        for code, value in values.items():
            data[f"c{centre.pk}__{code}"] = value
    for code, value in (org_values or {"highlights": "绘本共读"}).items():
        data[f"org__{code}"] = value
    return data


__all__ = ["make_report", "submitted", "form_data", "Scope"]
