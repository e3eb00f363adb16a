"""The one place for input bounds: stable in migrations, clear in Chinese, safe at the calendar's ends."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from hubsite.core import validators as bounds


def test_date_bounds_deconstruct_to_the_same_arguments_whatever_the_day(settings):
    path, args, kwargs = bounds.DateBounds().deconstruct()
    assert (path, args, kwargs) == ("hubsite.core.validators.DateBounds", (), {})
    assert bounds.DateBounds(years_ahead=0).deconstruct()[2] == {"years_ahead": 0}
    assert bounds.DateBounds() == bounds.DATE and bounds.DateBounds(years_ahead=1) != bounds.DATE


def test_the_default_date_bounds_run_from_2000_to_five_years_ahead():
    latest = bounds.years_after(timezone.localdate(), 5)
    bounds.DATE(datetime.date(2000, 1, 1))
    bounds.DATE(latest)
    for day in (datetime.date(1999, 12, 31), latest + datetime.timedelta(days=1), datetime.date.max):
        with pytest.raises(ValidationError) as error:
            bounds.DATE(day)
        assert error.value.code == "date_out_of_bounds"


def test_the_bounds_messages_are_chinese():
    with pytest.raises(ValidationError) as error:
        bounds.MONEY(Decimal("-1"))
    assert error.value.messages == ["请输入 0 至 10,000,000 之间的数字。"]
    with pytest.raises(ValidationError) as error:
        bounds.DATE(datetime.date(1, 1, 1))
    assert error.value.messages[0].startswith("请输入 2000-01-01 至 ") and error.value.messages[0].endswith(
        "之间的日期。"
    )


def test_date_arithmetic_clips_at_the_calendars_ends():
    assert bounds.add_months(datetime.date(9999, 12, 31), 1) == datetime.date.max
    assert bounds.add_months(datetime.date(1, 1, 1), -1) == datetime.date.min
    assert bounds.years_after(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 28)
    assert bounds.years_after(datetime.date(9999, 12, 31), 1) == datetime.date(9999, 12, 31)
    assert bounds.shift_days(datetime.date.max, 1) == datetime.date.max


class _Form(bounds.BoundsMixin, forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField()
    text = forms.CharField(widget=forms.Textarea)
    month = bounds.MonthField(required=False)


def test_every_form_field_without_bounds_gets_the_defaults():
    form = _Form({"day": "9999-12-31", "count": "9" * 20, "text": "x" * 10_001, "month": "0001-01"})
    assert not form.is_valid()
    assert set(form.errors) == {"day", "count", "text", "month"}
    assert form.fields["day"].widget.attrs["min"] == "2000-01-01"


def test_a_month_field_reads_yyyy_mm_and_nothing_else():
    assert _Form({"day": "2024-01-01", "count": 1, "text": "a", "month": "2024-05"}).is_valid()
    for value in ("2024-13", "２０２４-05", "2024-5-1", "abc", "\x00"):
        assert "month" in _Form({"day": "2024-01-01", "count": 1, "text": "a", "month": value}).errors
