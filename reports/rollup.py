"""How figures add up: the one roll-up that every total of report figures goes through.

An indicator says how it adds up (``Indicator.over_months``, ``Indicator.over_units``). A total over
several months and centres is taken in that order: each centre's months first (their sum, their
average month, their highest or their latest month), then the centres (summed, or no total when the
figure is not additive). Taking each centre's months first keeps the levels consistent: the
prefectures' totals add up to the network's.

The database does the work over months (``month_aggregates``) so that a page's query count does not
grow with the indicators; ``rollup`` is the step that chooses and adds up.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from operator import attrgetter
from typing import NamedTuple

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Avg, Case, F, IntegerField, Max, Q, Sum, Value, When
from django.utils.translation import get_language, pgettext_lazy

from .choices import OverMonths, OverUnits
from .units import unit_label


class UnitMonths(NamedTuple):
    """One unit's figures over the months of a period (a centre, or an organisation for its
    organisation-wide figures): what each way of adding up over months gives."""

    total: Decimal
    average: Decimal
    highest: Decimal
    latest: Decimal

    @classmethod
    def of(cls, by_month: Mapping[datetime.date, Decimal]) -> UnitMonths | None:
        """From the unit's figure for each month it reported (months without a figure left out)."""
        numbers = {month: Decimal(n) for month, n in by_month.items() if n is not None}
        if not numbers:
            return None
        values = list(numbers.values())
        return cls(sum(values), sum(values) / len(values), max(values), numbers[max(numbers)])

    @classmethod
    def from_row(cls, total, average, highest, latest: list | None) -> UnitMonths | None:
        """From the columns ``month_aggregates`` added to a grouped row."""
        if total is None:
            return None
        return cls(total, average, highest, latest[0] if latest else None)


PICK = {
    OverMonths.SUM: attrgetter("total"),
    OverMonths.AVERAGE: attrgetter("average"),
    OverMonths.MAX: attrgetter("highest"),
    OverMonths.LATEST: attrgetter("latest"),
}


def rollup(indicator, units: Iterable[UnitMonths | None]) -> Decimal | None:
    """The figure for several units and months: each unit over its months as the indicator says,
    then the units summed. None when nobody reported, or when the figure is not additive over units
    and more than one unit reported (a page then shows the units one by one)."""
    field = PICK[indicator.over_months]
    per_unit = [field(unit) for unit in units if unit is not None]
    if not per_unit:
        return None
    if indicator.over_units == OverUnits.NONE and len(per_unit) > 1:
        return None
    return sum(per_unit, Decimal(0))


def unit_of_value() -> Case:
    """What to group a value by so that ``rollup`` can add it up: its centre (the organisation,
    negated, for an organisation-wide figure). Flows summed over months and units (most indicators)
    are all unit 0: the database adds them up already, and pages read no more rows than before."""
    return Case(
        When(Q(indicator__over_months=OverMonths.SUM, indicator__over_units=OverUnits.SUM), then=Value(0)),
        When(centre__isnull=False, then=F("centre_id")),
        default=-F("report__organisation_id"),
        output_field=IntegerField(),
    )


# The columns ``month_aggregates`` adds, in the order ``UnitMonths.from_row`` takes them.
MONTH_COLUMNS = ("total", "average", "highest", "latest")


def month_aggregates(prefix: str = "", months: Q | None = None) -> dict:
    """The aggregates behind ``UnitMonths.from_row``, for ``.annotate()`` on values grouped by unit
    (``months`` restricts them to some of the months read)."""
    counted = Q(number__isnull=False) & (months or Q())
    return {
        f"{prefix}total": Sum("number", filter=counted),
        f"{prefix}average": Avg("number", filter=counted),
        f"{prefix}highest": Max("number", filter=counted),
        # Only indicators that add up by their latest month need the ordered array, which costs a
        # sort of every value read: the filter leaves it empty (and cheap) for all others.
        f"{prefix}latest": ArrayAgg(
            "number", filter=counted & Q(indicator__over_months=OverMonths.LATEST), order_by="-month"
        ),
    }


# How a heading says a figure over several months is not their sum (a sum needs no word).
HEADING_WORDS = {
    OverMonths.AVERAGE: pgettext_lazy("rollup", "monthly average"),
    OverMonths.MAX: pgettext_lazy("rollup", "highest month"),
    OverMonths.LATEST: pgettext_lazy("rollup", "latest month"),
}


def figure_heading(indicator, *, over_months: bool = True) -> str:
    """A column heading that carries the figure's true unit and, for a figure over several months
    (``over_months``), how it adds up: 服务家庭数（户，月均）, 儿童服务人次（人次）."""
    words = [unit_label(indicator.unit)] if indicator.unit else []
    if over_months and indicator.over_months in HEADING_WORDS:
        words.append(str(HEADING_WORDS[indicator.over_months]))
    if not words:
        return indicator.label
    if (get_language() or "").startswith("en"):
        return f"{indicator.label} ({', '.join(words)})"
    return f"{indicator.label}（{'，'.join(words)}）"
