"""Outliers: a figure far from the centre's own last 12 months, a sudden zero, figures copied from
last month or from another centre; shown beside each value on the review page and the form, kept
with the report when it is handed in, and a flagged report cannot be approved from the queue."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from reports import periods
from reports.actions import do_submit_report
from reports.choices import ReportStatus
from reports.models import MonthlyReport, ValidationRule
from reports.outliers import FAR, SAME_AS_LAST_MONTH, SAME_AS_OTHER, ZERO, Flag, Hint, outlier_flags
from reports.tests.factories import FULL, make_report, submitted
from reports.validation import load_default_rules

MONTH = datetime.date(2024, 3, 1)
# Child visits of the twelve months before MONTH (newest last): median 300, MAD 7.5.
USUAL_VISITS = [290, 300, 310, 295, 305, 300, 320, 280, 300, 310, 290, 300]


@pytest.fixture(autouse=True)
def rules(db):
    load_default_rules(ValidationRule)


def _past(org, visits=USUAL_VISITS, **values):
    """Handed-in reports for the months before MONTH, one per figure in ``visits``."""
    for back, figure in enumerate(reversed(visits), start=1):
        month = periods.add_months(MONTH, -back)
        submitted(org, month, values={**FULL, "child_visits": figure, **values})


def _flags(report):
    return [(flag["kind"], flag["code"]) for flag in outlier_flags(report)]


def test_a_figure_outside_median_plus_3_mad_of_the_last_12_months_is_flagged(org_a, centre_a):
    _past(org_a)
    report = make_report(org_a, MONTH, values={**FULL, "child_visits": 420})
    (flag,) = outlier_flags(report)
    assert (flag["kind"], flag["code"], flag["centre"]) == (FAR, "child_visits", centre_a.pk)
    assert "420" in flag["text"] and "277.5" in flag["text"] and "322.5" in flag["text"]


def test_a_figure_within_the_usual_range_is_not_flagged(org_a, centre_a):
    _past(org_a)
    assert _flags(make_report(org_a, MONTH, values={**FULL, "child_visits": 320})) == []


def test_too_short_a_history_flags_nothing(org_a, centre_a):
    _past(org_a, visits=USUAL_VISITS[-5:])
    assert _flags(make_report(org_a, MONTH, values={**FULL, "child_visits": 900})) == []


def test_a_sudden_zero_after_months_above_zero_is_flagged(org_a, centre_a):
    _past(org_a, visits=[300, 310, 290])
    report = make_report(
        org_a,
        MONTH,
        values={**FULL, "child_visits": 0, "children_0_1": 0, "children_1_2": 0, "children_2_3": 0},
    )
    assert (ZERO, "child_visits") in _flags(report)


def test_every_figure_the_same_as_last_month_is_flagged(org_a, centre_a):
    submitted(org_a, periods.add_months(MONTH, -1))
    assert _flags(make_report(org_a, MONTH)) == [(SAME_AS_LAST_MONTH, None)]


def test_every_figure_the_same_as_another_centres_this_month_is_flagged(org_a, org_b, centre_a, centre_b):
    submitted(org_b, MONTH)
    (flag,) = outlier_flags(make_report(org_a, MONTH))
    assert flag["kind"] == SAME_AS_OTHER
    assert centre_b.name in flag["text"] and org_b.name in flag["text"]


def test_a_centre_sharing_the_largest_figure_but_not_every_figure_is_not_a_copy(
    org_a, org_b, centre_a, centre_b
):
    submitted(org_b, MONTH, values={**FULL, "classes": 9})
    assert _flags(make_report(org_a, MONTH)) == []


def test_a_copy_is_found_whichever_figure_is_the_largest(org_a, org_b, centre_a, centre_b):
    copied = {**FULL, "child_visits": 12, "families_served": 25.5, "children_1_2": 7}
    submitted(org_b, MONTH, values=copied)
    assert _flags(make_report(org_a, MONTH, values=copied)) == [(SAME_AS_OTHER, None)]


def test_the_review_page_shows_last_month_and_last_year_beside_each_value_with_the_flags(
    client_for, hub_staff, org_a, centre_a
):
    _past(org_a, visits=[111] + USUAL_VISITS[:10] + [299])
    report = submitted(org_a, MONTH, values={**FULL, "child_visits": 420})
    html = client_for(hub_staff).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "上月 299" in html
    assert "去年同月 111" in html
    assert "与本园以往的数字相差很大" in html
    assert 'id="flag-summary"' in html


def test_a_hint_writes_past_figures_like_the_templates_did_and_escapes_the_flags():
    hint = Hint(
        last_month=Decimal("12.50"),
        last_year=None,
        flags=[Flag(1, "child_visits", FAR, "<b>far</b>")],
    )
    with translation.override("en"):
        html = hint.html()
    assert html == (
        '<div class="small text-muted outlier-hint">Last month 12.50 · Same month last year —</div>'
        '<div class="small text-warning-emphasis outlier-flag">⚑ &lt;b&gt;far&lt;/b&gt;</div>'
    )
    assert Hint().html() == ""


def test_submitting_keeps_the_flags_and_the_queue_offers_no_approval_for_a_flagged_report(
    client_for, partner, hub_staff, org_a, centre_a
):
    _past(org_a)
    report = make_report(org_a, MONTH, values={**FULL, "child_visits": 420})
    do_submit_report(report, by=partner)
    report.refresh_from_db()
    assert [flag["kind"] for flag in report.outlier_flags] == [FAR]

    client = client_for(hub_staff)
    html = client.get(reverse("reports:review_queue")).content.decode()
    assert f"/reports/{report.pk}/approve/" not in html
    assert "1 个标记" in html

    # A forged post from the queue is refused; the report's own page approves.
    queue = reverse("reports:review_queue")
    client.post(reverse("reports:approve", args=[report.pk]), {"next": queue})
    assert MonthlyReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    client.post(reverse("reports:approve", args=[report.pk]), {"flags_seen": "1"})
    assert MonthlyReport.objects.get(pk=report.pk).status == ReportStatus.APPROVED


def test_an_unflagged_report_is_still_approved_from_the_queue(
    client_for, partner, hub_staff, org_a, centre_a
):
    report = make_report(org_a, MONTH)
    do_submit_report(report, by=partner)
    client = client_for(hub_staff)
    assert f"/reports/{report.pk}/approve/" in client.get(reverse("reports:review_queue")).content.decode()
    client.post(reverse("reports:approve", args=[report.pk]), {"next": reverse("reports:review_queue")})
    assert MonthlyReport.objects.get(pk=report.pk).status == ReportStatus.APPROVED


def test_the_form_shows_the_hints_of_the_saved_figures(client_for, partner, org_a, centre_a):
    _past(org_a)
    report = make_report(org_a, MONTH, values={**FULL, "child_visits": 420})
    html = client_for(partner).get(reverse("reports:edit", args=[report.pk])).content.decode()
    assert "上月 300" in html and "与本园以往的数字相差很大" in html


@pytest.mark.parametrize("months", [1, 12])
def test_the_review_page_runs_a_fixed_number_of_queries_whatever_the_history(
    months, client_for, hub_staff, org_a, centre_a, django_assert_num_queries
):
    _past(org_a, visits=USUAL_VISITS[-months:])
    report = submitted(org_a, MONTH)
    client = client_for(hub_staff)
    with django_assert_num_queries(_detail_queries()):
        client.get(reverse("reports:detail", args=[report.pk]))


def _detail_queries() -> int:
    """The summary's count in test_queries (session, user, report, indicators, centres, values,
    events, attachments; no required-figures check for the hub) plus the outliers' two queries."""
    return 8 + 2
