import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from reports.choices import ReportStatus
from reports.models import MonthlyReport, ReportEvent, ReportValue
from reports.tests.factories import FULL, form_data, make_report


@pytest.fixture
def report(org_a, centre_a, month, partner):
    return MonthlyReport.start(org_a, month, by=partner)


@pytest.fixture
def second_centre(org_a, make_centre):
    import datetime

    return make_centre(org_a, "大兴亲子园", datetime.date(2023, 1, 1))


def test_the_form_has_a_section_per_operating_centre(client_for, partner, report, centre_a, second_centre):
    response = client_for(partner).get(reverse("reports:edit", args=[report.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert centre_a.name in html and second_centre.name in html
    assert f'name="c{second_centre.pk}__child_visits"' in html
    assert 'name="org__highlights"' in html


def test_it_saves_a_draft_without_required_figures(client_for, partner, report, centre_a):
    data = {"version": report.version, f"c{centre_a.pk}__days_open": "12", "save": "1"}
    response = client_for(partner).post(reverse("reports:edit", args=[report.pk]), data)
    assert response.status_code == 302
    assert ReportValue.objects.get(report=report).number == 12
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("days_open", "-3", "请输入不小于 0 的数值。"),
        ("child_visits", "很多", "请输入整数：只能填数字，不能有文字、空格或小数点。"),
        ("days_open", "40", "请输入不大于 31 的数值。"),
        ("volunteer_hours", "abc", "请输入数字：只能填数字和小数点，不能有文字或空格。"),
    ],
)
def test_bad_figures_are_refused_next_to_the_field_and_nothing_is_saved(
    client_for, partner, report, centre_a, field, value, message
):
    data = form_data(report)
    data[f"c{centre_a.pk}__{field}"] = value
    data["save"] = "1"
    response = client_for(partner).post(reverse("reports:edit", args=[report.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="c{centre_a.pk}__{field}-errors"' in html
    assert message in html
    assert f'value="{value}"' in html  # the typed value is kept
    assert not ReportValue.objects.filter(report=report).exists()


def test_children_in_the_age_bands_cannot_exceed_child_visits(client_for, partner, report, centre_a):
    data = form_data(report, {**FULL, "child_visits": 30, "children_0_1": 20, "children_1_2": 15})
    data["save"] = "1"
    response = client_for(partner).post(reverse("reports:edit", args=[report.pk]), data)
    html = response.content.decode()
    assert f'id="c{centre_a.pk}__children_0_1-errors"' in html
    assert f'id="c{centre_a.pk}__children_1_2-errors"' not in html
    assert html.count("合计不能超过") == 1  # once, not beside each age band
    assert not ReportValue.objects.filter(report=report).exists()


def test_check_and_submit_requires_every_required_figure(client_for, partner, report, centre_a):
    data = form_data(report)
    data[f"c{centre_a.pk}__days_open"] = ""
    data["review"] = "1"
    response = client_for(partner).post(reverse("reports:edit", args=[report.pk]), data)
    assert "此项为必填项。" in response.content.decode()
    assert not ReportValue.objects.filter(report=report).exists()


def test_check_and_submit_shows_the_summary_then_submits(client_for, partner, report, centre_a):
    client = client_for(partner)
    response = client.post(reverse("reports:edit", args=[report.pk]), {**form_data(report), "review": "1"})
    assert response.status_code == 302 and response["Location"].endswith("?confirm=1")
    summary = client.get(response["Location"]).content.decode()
    assert "提交给枢纽" in summary or "Submit to the hub" in summary
    assert "300" in summary
    client.post(reverse("reports:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == partner


def test_the_organisation_comes_from_the_user_not_the_form(
    client_for, other, org_a, org_b, centre_a, centre_b, month
):
    response = client_for(other).post(
        reverse("reports:start", args=[month.year, month.month]), {"organisation": org_a.pk}
    )
    report = MonthlyReport.objects.get()
    assert report.organisation == org_b
    assert response["Location"] == reverse("reports:edit", args=[report.pk])


def test_a_partner_cannot_touch_another_organisations_report(client_for, other, report):
    client = client_for(other)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert client.post(reverse("reports:edit", args=[report.pk]), form_data(report)).status_code == 404
    assert client.post(reverse("reports:submit", args=[report.pk])).status_code == 404
    assert client.post(reverse("reports:approve", args=[report.pk])).status_code == 403


def test_a_returned_report_shows_the_hubs_comment_on_top(
    client_for, partner, hub_staff, org_a, centre_a, month
):
    report = make_report(org_a, month)
    report.submit(by=partner)
    report.return_for_revision(by=hub_staff, comment="请补充<b>家访</b>次数")
    html = client_for(partner).get(reverse("reports:edit", args=[report.pk])).content.decode()
    assert 'id="hub-comment"' in html
    assert "请补充&lt;b&gt;家访&lt;/b&gt;次数" in html


def test_the_second_of_two_concurrent_saves_is_refused_and_both_versions_are_shown(
    client, partner, director, report, centre_a
):
    page_a = form_data(report, {**FULL, "days_open": 20})
    page_b = form_data(report, {**FULL, "days_open": 18})  # loaded the same version
    client.force_login(partner)
    assert client.post(reverse("reports:edit", args=[report.pk]), {**page_a, "save": "1"}).status_code == 302
    client.force_login(director)
    response = client.post(reverse("reports:edit", args=[report.pk]), {**page_b, "save": "1"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "您打开此页面后，已有其他人修改了这条记录" in html  # the one stale message
    assert 'id="conflicts"' in html
    assert "<td>20</td><td>18</td>" in html  # stored beside typed
    assert ReportValue.objects.get(report=report, indicator__code="days_open").number == 20
    # After comparing, the same person can save deliberately with the new version.
    page_b["version"] = MonthlyReport.objects.get(pk=report.pk).version
    assert client.post(reverse("reports:edit", args=[report.pk]), {**page_b, "save": "1"}).status_code == 302
    assert ReportValue.objects.get(report=report, indicator__code="days_open").number == 18


def test_a_double_click_on_submit_gives_one_submission_and_no_error(
    client_for, partner, org_a, centre_a, month
):
    report = make_report(org_a, month)
    client = client_for(partner)
    first = client.post(reverse("reports:submit", args=[report.pk]), follow=True)
    second = client.post(reverse("reports:submit", args=[report.pk]), follow=True)
    assert first.status_code == second.status_code == 200
    assert "已经提交" in second.content.decode()
    assert ReportEvent.objects.filter(report=report, action="submitted").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_make_one_submitted_report(
    prefectures, indicators, org_a, centre_a, partner, month
):
    report = make_report(org_a, month)
    url = reverse("reports:submit", args=[report.pk])
    barrier = threading.Barrier(2)
    statuses = []

    def post():
        client = Client()
        client.force_login(partner)
        barrier.wait()
        try:
            statuses.append(client.post(url).status_code)
        finally:
            connection.close()  # each thread had its own database connection

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert ReportEvent.objects.filter(report=report, action="submitted").count() == 1
