import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hubsite.core.models import StaleObjectError
from reports.choices import EventAction, ReportStatus
from reports.models import MonthlyReport, ReportError
from reports.tests.factories import make_report


@pytest.fixture
def report(org_a, centre_a, month, partner):
    return MonthlyReport.start(org_a, month, by=partner)


def test_it_starts_one_draft_per_organisation_and_month(report, org_a, month, partner):
    assert report.status == ReportStatus.DRAFT
    assert MonthlyReport.start(org_a, month, by=partner).pk == report.pk
    assert report.events.get().action == EventAction.CREATED


def test_it_refuses_a_month_that_has_not_ended(org_a, centre_a, partner):
    with pytest.raises(ReportError):
        MonthlyReport.start(org_a, timezone.localdate(), by=partner)


def test_it_refuses_a_month_without_an_operating_centre(org_a, centre_a, partner):
    # centre_a opened in May 2022
    with pytest.raises(ReportError):
        MonthlyReport.start(org_a, datetime.date(2022, 3, 1), by=partner)


def test_the_database_keeps_one_report_per_month(org_a, centre_a, month):
    from django.db import IntegrityError, transaction

    MonthlyReport.objects.create(organisation=org_a, month=month)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReport.objects.create(organisation=org_a, month=month)


def test_it_walks_the_whole_lifecycle_and_keeps_history(
    org_a, centre_a, month, partner, hub_staff, hub_admin
):
    report = make_report(org_a, month)
    report.submit(by=partner)
    assert report.status == ReportStatus.SUBMITTED
    first = report.first_submitted_at
    report.return_for_revision(by=hub_staff, comment="请补充家访次数")
    assert report.status == ReportStatus.RETURNED and report.hub_comment == "请补充家访次数"
    report.submit(by=partner)
    assert report.status == ReportStatus.RESUBMITTED
    assert report.first_submitted_at == first  # lateness is judged on the first hand-in
    report.approve(by=hub_staff)
    assert report.is_locked and not report.can_edit(partner)
    with pytest.raises(ReportError):
        report.save_values({}, by=partner, expected_version=report.version)
    report.reopen(by=hub_admin, reason="金额填错")
    assert report.status == ReportStatus.RETURNED
    actions = list(report.events.order_by("at", "pk").values_list("action", flat=True))
    assert actions == ["submitted", "returned", "submitted", "approved", "reopened"]


def test_only_hub_people_review_and_only_hub_admins_reopen(org_a, centre_a, month, partner, hub_staff):
    report = make_report(org_a, month)
    report.submit(by=partner)
    with pytest.raises(PermissionDenied):
        report.approve(by=partner)
    report.approve(by=hub_staff)
    with pytest.raises(PermissionDenied):
        report.reopen(by=hub_staff, reason="x")


def test_returning_needs_a_comment(org_a, centre_a, month, partner, hub_staff):
    report = make_report(org_a, month)
    report.submit(by=partner)
    with pytest.raises(ReportError):
        report.return_for_revision(by=hub_staff, comment="  ")


def test_it_refuses_to_submit_with_required_figures_missing(report, partner):
    with pytest.raises(ReportError, match="开放天数|Days open"):
        report.submit(by=partner)
    assert MonthlyReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_a_report_handed_in_after_the_due_day_is_late(org_a, centre_a, month, settings):
    settings.REPORT_DUE_DAY = 5
    report = make_report(org_a, month)
    assert report.due_date == datetime.date(2024, 4, 5)
    report.first_submitted_at = timezone.make_aware(datetime.datetime(2024, 4, 5, 23, 0))
    assert not report.is_late
    report.first_submitted_at = timezone.make_aware(datetime.datetime(2024, 4, 6, 0, 30))
    assert report.is_late


def test_saving_values_keeps_the_differences_in_history(report, partner, indicators, centre_a):
    report.save_values(
        {(centre_a.pk, indicators["days_open"]): 20}, by=partner, expected_version=report.version
    )
    report.save_values(
        {(centre_a.pk, indicators["days_open"]): 22}, by=partner, expected_version=report.version
    )
    change = report.events.filter(action=EventAction.SAVED).order_by("-pk").first().changes
    assert change == [
        {"centre": centre_a.name, "indicator": "days_open", "label": "开放天数", "old": "20", "new": "22"}
    ]


def test_a_stale_version_is_refused_and_nothing_is_written(report, partner, indicators, centre_a):
    loaded = report.version
    report.save_values({(centre_a.pk, indicators["days_open"]): 20}, by=partner, expected_version=loaded)
    with pytest.raises(StaleObjectError):
        report.save_values({(centre_a.pk, indicators["days_open"]): 3}, by=partner, expected_version=loaded)
    assert report.values.get().number == 20


def test_an_indicator_stops_applying_after_its_last_month(indicators, org_a, centre_a, month):
    loans = indicators["book_loans"]
    loans.valid_until = datetime.date(2024, 2, 1)
    loans.save()
    report = make_report(org_a, month)
    codes = {i.code for i in report.indicators()}
    assert "book_loans" not in codes and "days_open" in codes
    earlier = make_report(org_a, datetime.date(2024, 2, 1))
    assert "book_loans" in {i.code for i in earlier.indicators()}
