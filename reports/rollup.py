"""How figures add up: the one roll-up that every total of report figures goes through.

An indicator says how it adds up (``Indicator.over_months``, ``Indicator.over_units``). A total over
several months and centres is taken in that order: each centre's months first (their sum, their
average month, their highest or their latest month), then the centres (summed, or no total when the
figure is not additive). Taking each centre's months first keeps the levels consistent: the
prefectures' totals add up to the network's.

The database does the work over months (``month_aggregates``) so that a page's query count does not
grow with the indicators; ``rollup`` is the step that chooses and adds up. ``rolled_up`` does both
steps in the database, for pages that want only the totals (one row per total rather than one per
unit): it is the same rule as ``rollup``, written once more in SQL, and tests hold the two together.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from operator import attrgetter
from typing import NamedTuple

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import Avg, Case, DecimalField, F, Func, IntegerField, Max, Q, Sum, Value, When
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


class _MonthAndNumber(Func):
    """``[days since 2000 of the month, number]``: the greatest such pair is the latest month's
    number. ``MAX`` over it needs no sort, where an ordered ``ARRAY_AGG`` sorts every value read."""

    template = "ARRAY[(%(expressions)s)]"
    arg_joiner = " - DATE '2000-01-01')::numeric, ("
    output_field = ArrayField(DecimalField())


ROLLUP_WORK_MEM = "32MB"

# The figure each unit contributes, in SQL, chosen as ``PICK`` chooses it (the outer query's CASE).
_PICKED = """CASE over_months WHEN %(sum)s THEN total WHEN %(average)s THEN average
    WHEN %(max)s THEN highest ELSE latest[2] END"""


def rolled_up(values, *keys: str) -> dict:
    """``rollup`` of ``values`` (a queryset of ``ReportValue``) per ``keys`` (lookups such as
    ``"report__organisation__prefecture__code"``, or annotations on ``values``), in one query that
    returns one row per total: each unit's months aggregated in a subquery, the units added up in the
    outer query. ``{key: total or None}``, the key a tuple when there are several ``keys``; keys
    nobody reported for are left out. The rule is ``rollup``'s, kept in step by tests."""
    inner = (
        values.values(*keys, "indicator__over_months", "indicator__over_units")
        .annotate(unit=unit_of_value())
        .annotate(
            total=Sum("number", filter=Q(number__isnull=False)),
            average=Avg("number", filter=Q(number__isnull=False)),
            highest=Max("number", filter=Q(number__isnull=False)),
            latest=Max(
                _MonthAndNumber(F("month"), F("number")),
                filter=Q(number__isnull=False, indicator__over_months=OverMonths.LATEST),
            ),
        )
        .values_list(
            *keys, "indicator__over_months", "indicator__over_units", "total", "average", "highest", "latest"
        )
        .order_by()
    )
    # Django (5.2) selects the columns in the order of ``values_list``, keys and annotations mixed:
    # the outer query names them by position (a test keys by an annotation and a lookup together).
    inner_sql, inner_params = inner.query.sql_with_params()
    names = [f"k{n}" for n in range(len(keys))]
    columns = ", ".join([*names, "over_months", "over_units", "total", "average", "highest", "latest"])
    picked = _PICKED % {"sum": "%s", "average": "%s", "max": "%s"}
    # Not additive over units: a total only when a single unit reported (as ``rollup`` says).
    # Only our own column names and the ORM's compiled subquery are formatted in; values are params.
    sql = f"""
        SELECT {", ".join(names)},
               CASE WHEN over_units = %s AND COUNT({picked}) > 1 THEN NULL ELSE SUM({picked}) END
        FROM ({inner_sql}) AS units ({columns})
        GROUP BY {", ".join(names)}, over_months, over_units
    """  # noqa: S608
    how = [str(OverMonths.SUM), str(OverMonths.AVERAGE), str(OverMonths.MAX)]
    params = [str(OverUnits.NONE), *how, *how, *inner_params]
    # The units are grouped in a hash in memory (a few MB at 100x): within the default 4 MB work_mem
    # the planner sorts the 75,000 values on disk instead, two to three times slower. Sent in the same
    # round trip, SET LOCAL costs no query of its own and ends with the statements' transaction (the
    # implicit one of a multi-statement query, or the caller's).
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{ROLLUP_WORK_MEM}'; {sql}", params)
        rows = cursor.fetchall()
    if len(keys) == 1:
        return dict(rows)
    return {tuple(row[:-1]): row[-1] for row in rows}


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
