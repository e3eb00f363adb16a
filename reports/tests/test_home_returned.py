"""A returned month waits on the partner's and the director's home page, with the hub's comment and a
button to fix it, oldest first, until it is resubmitted."""

import datetime

from django.urls import reverse

from reports.choices import ReportStatus
from reports.tests.factories import make_report


def returned(org, month, comment):
    report = make_report(org, month, status=ReportStatus.RETURNED)
    report.hub_comment = comment
    report.save(update_fields=["hub_comment"])
    return report


def test_returned_months_are_listed_oldest_first_with_the_hubs_comment(
    client_for, partner, director, org_a, centre_a
):
    october = returned(org_a, datetime.date(2026, 10, 1), "请补充本月亮点的具体内容。")
    september = returned(org_a, datetime.date(2026, 9, 1), "九月的家庭数与签到表不一致。")
    for person in (partner, director):
        html = client_for(person).get(reverse("home")).content.decode()
        box = html[html.index('id="returned-reports"') :]
        assert "2份月报被退回修改" in box
        assert box.index("2026-09") < box.index("2026-10")
        assert "请补充本月亮点的具体内容。" in box and "九月的家庭数与签到表不一致。" in box
        assert reverse("reports:edit", args=[september.pk]) in box
        assert reverse("reports:edit", args=[october.pk]) in box


def test_a_resubmitted_month_leaves_the_list_and_another_organisation_never_sees_it(
    client_for, partner, other, org_a, centre_a
):
    report = returned(org_a, datetime.date(2026, 10, 1), "请补充本月亮点的具体内容。")
    assert "请补充本月亮点的具体内容。" not in client_for(other).get(reverse("home")).content.decode()
    report.status = ReportStatus.RESUBMITTED
    report.save(update_fields=["status"])
    assert 'id="returned-reports"' not in client_for(partner).get(reverse("home")).content.decode()
