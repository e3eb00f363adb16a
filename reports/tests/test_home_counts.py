import datetime

from django.utils import timezone

from reports import periods
from reports.home import hub_counts
from reports.models import MonthlyReport


def _handed_in(org, month, on):
    report = MonthlyReport.objects.create(organisation=org, month=month, status="submitted")
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(23, 30)))
    MonthlyReport.objects.filter(pk=report.pk).update(first_submitted_at=at, submitted_at=at)


def test_the_hub_box_counts_on_time_late_and_missing_for_the_month(
    org_a, org_b, centre_a, centre_b, make_centre, hub_org
):
    month = datetime.date(2025, 3, 1)
    make_centre(hub_org, "枢纽园", datetime.date(2018, 4, 1))
    due = periods.due_date(month)
    _handed_in(org_a, month, due)  # on the due day, late in the evening: still on time
    _handed_in(org_b, month, due + datetime.timedelta(days=1))
    counts = hub_counts(month)
    assert counts == {"waiting": 2, "expected": 3, "missing": 1, "on_time": 1, "late": 1}


def _own_panel(rf, user):
    from reports.home import panels

    request = rf.get("/")
    request.user = user
    (panel,) = panels(request)
    return panel


def test_the_partner_box_says_how_many_days_the_report_is_overdue_until_it_is_handed_in(
    rf, partner, org_a, centre_a, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2025, 4, 12))
    panel = _own_panel(rf, partner)
    assert panel["month"] == datetime.date(2025, 3, 1)
    assert panel["days_late"] == 7  # due on April 5th
    report = MonthlyReport.objects.create(organisation=org_a, month=datetime.date(2025, 3, 1))
    assert _own_panel(rf, partner)["days_late"] == 7  # a draft is not handed in
    handed_in_at = timezone.make_aware(datetime.datetime(2025, 4, 10, 9))
    MonthlyReport.objects.filter(pk=report.pk).update(status="submitted", first_submitted_at=handed_in_at)
    assert _own_panel(rf, partner)["days_late"] == 0


def test_the_partner_box_is_not_overdue_before_the_due_date(rf, partner, centre_a, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2025, 4, 5))
    assert _own_panel(rf, partner)["days_late"] == 0


def test_the_hub_box_reads_its_counts_from_the_cache_until_a_report_changes(
    rf, hub_staff, org_a, centre_a, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.home import TEMPLATE, panels

    request = rf.get("/")
    request.user = hub_staff

    def hub_box():
        with CaptureQueriesContext(connection) as queries:
            (box,) = [
                panel for panel in panels(request) if panel["template"] == TEMPLATE and panel["kind"] == "hub"
            ]
        return box, len(queries)

    first, computed = hub_box()
    again, cached = hub_box()
    assert (first["waiting"], again["waiting"]) == (0, 0)
    assert cached == computed - 2  # the waiting count and the organisations' counts
    # A report handed in (its save sets a new data version once committed) shows on the next load.
    with django_capture_on_commit_callbacks(execute=True):
        MonthlyReport.objects.create(organisation=org_a, month=first["month"], status="submitted")
    after, queries = hub_box()
    assert after["waiting"] == 1 and queries == computed
