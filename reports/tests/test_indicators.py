import datetime

from django.urls import reverse

from reports.models import Indicator, MonthlyReport
from reports.tests.factories import make_report


def test_a_hub_admin_adds_an_indicator_that_appears_in_the_next_form(
    client_for, hub_admin, partner, org_a, centre_a
):
    response = client_for(hub_admin).post(
        reverse("reports:indicator_create"),
        {
            "code": "outdoor_play",
            "label_zh": "户外活动",
            "label_en": "Outdoor play",
            "value_type": "integer",
            "min_value": "0",
            "max_value": "100",
            "scope": "centre",
            "order": "900",
            "over_months": "max",
            "over_units": "sum",
            "valid_from": "2024-01-01",
        },
    )
    assert response.status_code == 302
    assert Indicator.objects.get(code="outdoor_play").over_months == "max"
    report = MonthlyReport.start(org_a, datetime.date(2024, 3, 1), by=partner)
    html = client_for(partner).get(reverse("reports:edit", args=[report.pk])).content.decode()
    assert "户外活动" in html
    older = MonthlyReport.start(org_a, datetime.date(2023, 12, 1), by=partner)
    assert (
        "户外活动" not in client_for(partner).get(reverse("reports:edit", args=[older.pk])).content.decode()
    )


def test_bounds_on_a_text_indicator_are_refused_in_chinese(client_for, hub_admin):
    response = client_for(hub_admin).post(
        reverse("reports:indicator_create"),
        {
            "code": "x",
            "label_zh": "说明",
            "label_en": "Notes",
            "value_type": "long_text",
            "min_value": "1",
            "scope": "organisation",
            "order": "1",
            "valid_from": "2024-01-01",
        },
    )
    assert "只有数字类指标可以设置上下限" in response.content.decode()
    assert not Indicator.objects.filter(code="x").exists()


def test_the_label_follows_the_active_language(client_for, hub_staff):
    hub_staff.language = "en"  # the browser's Accept-Language is not asked: the account's choice is
    hub_staff.save(update_fields=["language"])
    html = client_for(hub_staff).get(reverse("reports:figures")).content.decode()
    assert "Child visits" in html


def test_a_hub_admin_reopens_an_approved_report_with_a_reason_and_history_shows_it(
    client_for, hub_admin, partner, org_a, centre_a
):
    report = make_report(org_a, datetime.date(2024, 3, 1))
    report.submit(by=partner)
    report.approve(by=hub_admin)
    client = client_for(hub_admin)
    client.post(reverse("reports:reopen", args=[report.pk]), {"reason": "资助方要求补充"})
    report.refresh_from_db()
    assert report.status == "returned"
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "资助方要求补充" in html and "重新打开" in html
