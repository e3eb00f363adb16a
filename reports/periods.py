"""Months as the first day of the month, and the deadline that follows each one."""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings


def first_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def last_of(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    # A month stored before the input bounds (9999-12) stays at the calendar's end instead of raising.
    index = min(max(index, datetime.MINYEAR * 12), datetime.MAXYEAR * 12 + 11)
    return datetime.date(index // 12, index % 12 + 1, 1)


def due_date(month: datetime.date) -> datetime.date:
    """A report for month M is due on day ``REPORT_DUE_DAY`` of month M+1."""
    following = add_months(first_of(month), 1)
    day = min(settings.REPORT_DUE_DAY, calendar.monthrange(following.year, following.month)[1])
    return following.replace(day=day)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first_of(first)
    while month <= last:
        months.append(month)
        following = add_months(month, 1)
        if following == month:  # the calendar's last month
            break
        month = following
    return months


def parse_month(text: str) -> datetime.date | None:
    """``2024-05`` -> 2024-05-01; anything else -> None."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return None
