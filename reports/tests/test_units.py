"""Figures carry their unit in the reader's language: "20 天" in Chinese, "20 days" in English."""

from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from reports.rollup import figure_heading
from reports.tests.factories import submitted
from reports.units import thousands, with_unit


def test_a_figure_reads_with_its_unit_in_each_language():
    with translation.override("en"):
        assert with_unit(20, "天") == "20 days"
        assert with_unit(1, "天") == "1 day"
        assert with_unit(Decimal("15032.00"), "人次") == "15,032 visits"
        assert with_unit(Decimal("2.50"), "小时") == "2.5 hours"
        assert with_unit(3, "本") == "3 本"  # a unit we do not know stays as the hub typed it
    with translation.override("zh-hans"):
        assert with_unit(20, "天") == "20 天"
        assert with_unit(Decimal("15032"), "人次") == "15,032 人次"
    assert thousands(None) == "—"


def test_book_loans_and_money_read_in_english_too():
    """Every unit of the default indicators, and the yuan of the annual report's support figures."""
    with translation.override("en"):
        assert with_unit(2799, "册次") == "2,799 loans"
        assert with_unit(1, "册次") == "1 loan"
        assert with_unit(Decimal("800.00"), "元") == "800 yuan"
        assert with_unit(3, "个") == "3 items"
    with translation.override("zh-hans"):
        assert with_unit(2799, "册次") == "2,799 册次"
        assert with_unit(800, "元") == "800 元"


def test_a_column_heading_names_the_unit_in_english(indicators):
    with translation.override("en"):
        heading = figure_heading(indicators["families_served"])
    assert heading.endswith("(families, monthly average)"), heading


def test_the_english_report_page_says_days_and_visits(client_for, partner, org_a, centre_a, month):
    report = submitted(org_a, month)
    client = client_for(partner)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "20 days" in page
    assert "300 visits" in page
    assert "20 天" not in page and "300 人次" not in page
