"""Report periods: a kind (month, quarter, half-year, year) and the first day of its first month."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from reports import periods as months

from .choices import PERIOD_MONTHS, PeriodKind


def normalise(kind: str, day: datetime.date) -> datetime.date:
    """The first day of the period of ``kind`` that contains ``day``."""
    size = PERIOD_MONTHS[kind]
    month = (day.month - 1) // size * size + 1
    return datetime.date(day.year, month, 1)


def bounds(kind: str, start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(first day, last day) of the period."""
    last_month = months.add_months(start, PERIOD_MONTHS[kind] - 1)
    return start, months.last_of(last_month)


def month_list(kind: str, start: datetime.date) -> list[datetime.date]:
    return [months.add_months(start, n) for n in range(PERIOD_MONTHS[kind])]


def previous(kind: str, start: datetime.date) -> datetime.date:
    return months.add_months(start, -PERIOD_MONTHS[kind])


def containing_previous(kind: str, day: datetime.date) -> datetime.date:
    """The start of the last complete period of ``kind`` before the one containing ``day``."""
    return previous(kind, normalise(kind, day))


def label(kind: str, start: datetime.date) -> str:
    if kind == PeriodKind.MONTH:
        return _("%(year)s-%(month)02d") % {"year": start.year, "month": start.month}
    if kind == PeriodKind.QUARTER:
        return _("%(year)s Q%(quarter)s") % {"year": start.year, "quarter": (start.month - 1) // 3 + 1}
    if kind == PeriodKind.HALF_YEAR:
        if start.month == 1:
            return _("%(year)s first half") % {"year": start.year}
        return _("%(year)s second half") % {"year": start.year}
    return _("%(year)s annual") % {"year": start.year}
