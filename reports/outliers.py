"""Outliers: figures a reviewer should look at twice, found against the centre's own past.

- a value far from the centre's usual figure: outside median +/- 3 MAD (median absolute deviation)
  of the last 12 months the centre reported it (at least 6 of them, and a spread above zero: a
  figure that never moved gives no scale to measure against);
- a sudden zero after 3 reported months above zero;
- every figure of a centre the same as its previous month;
- every figure of a centre the same as another centre's in the same month (copied figures).

Two queries whatever the size of the network: the organisation's figures of the 24 months before
(which also gives "last month" and "the same month last year" beside each value), and the centres of
the same month whose figures, as one signature string, equal one of this report's (only the reports
holding a signature's largest figure are aggregated, so the second query reads a few dozen rows, not
the whole month of the network).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import periods
from .choices import COUNTED_STATUSES

HISTORY_MONTHS = 24
MAD_MONTHS = 12
MAD_MINIMUM = 6
MAD_FACTOR = 3
ZERO_AFTER = 3
# Centres with fewer figures than this are not compared as a whole (an almost empty form is not a copy).
MINIMUM_FIGURES = 3

FAR, ZERO, SAME_AS_LAST_MONTH, SAME_AS_OTHER = "far", "zero", "same_as_last_month", "same_as_other"


@dataclass
class Flag:
    """One reason to look twice: at one figure (``code``), or at a centre's figures as a whole."""

    centre_id: int | None
    code: str | None
    kind: str
    text: str

    def as_json(self) -> dict:
        return {"centre": self.centre_id, "code": self.code, "kind": self.kind, "text": self.text}


@dataclass
class Hint:
    """What the review page and the form show beside one figure."""

    last_month: Decimal | None = None
    last_year: Decimal | None = None
    flags: list = field(default_factory=list)

    def html(self) -> str:
        """The hint's markup. Built here rather than by an included template: the review page shows
        one beside every figure, and a template per figure was a good part of the page's time."""
        parts = []
        if self.last_month is not None or self.last_year is not None:
            parts.append(
                format_html(
                    '<div class="small text-muted outlier-hint">{} {} · {} {}</div>',
                    _("Last month"),
                    _figure(self.last_month),
                    _("Same month last year"),
                    _figure(self.last_year),
                )
            )
        parts += [
            format_html('<div class="small text-warning-emphasis outlier-flag">⚑ {}</div>', flag.text)
            for flag in self.flags
        ]
        return mark_safe("".join(parts))  # noqa: S308 (every part built by format_html)


def _figure(value) -> str:
    """A past figure as the templates' ``floatformat:"-2"|default:"—"`` writes it."""
    return "—" if value is None else floatformat(value, "-2")


def _number(value) -> str:
    value = Decimal(value).quantize(Decimal("0.01")).normalize()
    return f"{value:f}"


def _signature(figures: dict) -> str:
    """A centre-month's figures as PostgreSQL writes them in ``_same_month_signatures``."""
    return ",".join(f"{pk}:{Decimal(figures[pk]).quantize(Decimal('0.01'))}" for pk in sorted(figures))


class Outliers:
    """The flags and the hints of one report's figures.

    ``current``: (centre id, indicator id) -> number, the figures to judge (stored or typed).
    """

    def __init__(self, report, indicators, centres, current: dict):
        self.report = report
        self.indicators = [i for i in indicators if i.is_numeric]
        self.centres = list(centres)
        numeric = {i.pk for i in self.indicators}
        self.current = {
            key: Decimal(int(value) if isinstance(value, bool) else value)
            for key, value in current.items()
            if value is not None and key[0] is not None and key[1] in numeric
        }
        self.history = self._history()
        self.flags: list[Flag] = []
        self._find()

    # --- Reading

    def _history(self) -> dict:
        """(centre id, indicator id) -> {month: number}, the organisation's handed-in past figures."""
        from .models import ReportValue

        month = self.report.month
        rows = ReportValue.objects.filter(
            report__organisation_id=self.report.organisation_id,
            report__status__in=COUNTED_STATUSES,
            month__gte=periods.add_months(month, -HISTORY_MONTHS),
            month__lt=month,
            centre__isnull=False,
            number__isnull=False,
        ).values_list("centre_id", "indicator_id", "month", "number")
        history: dict = defaultdict(dict)
        for centre_id, indicator_id, when, number in rows:
            history[(centre_id, indicator_id)][when] = number
        return history

    def _same_month_signatures(self, signatures: dict) -> list[tuple[str, str, str]]:
        """(signature, centre name, organisation name) of other centres of this month, handed in,
        whose figures equal one of ``signatures`` exactly."""
        from partners.models import Centre, Organisation

        from .models import MonthlyReport, ReportValue

        if not signatures:
            return []
        # Aggregating every centre of the month (tens of thousands of figures at network scale) is
        # the slow part, so only the reports holding each signature's largest figure are
        # aggregated: a centre whose figures equal a signature holds all of its figures, that one
        # included, and the index on (indicator, month) finds it among a few rows.
        keys = []
        for signature in set(signatures.values()):
            indicator_id, number = max(
                (pair.split(":") for pair in signature.split(",")), key=lambda pair: Decimal(pair[1])
            )
            keys.append((int(indicator_id), Decimal(number)))
        # Plain SQL: building this statement with the ORM's expressions took longer than running it.
        sql = f"""
            SELECT s.signature, c.name, o.name
            FROM (
                SELECT v.report_id, v.centre_id,
                       string_agg(v.indicator_id::text || ':' || v.number::text, ','
                                  ORDER BY v.indicator_id) AS signature
                FROM {ReportValue._meta.db_table} v
                WHERE v.month = %s AND v.centre_id IS NOT NULL AND v.number IS NOT NULL
                  AND v.report_id <> %s
                  AND v.report_id IN (
                      SELECT k.report_id FROM {ReportValue._meta.db_table} k
                      WHERE k.month = %s AND k.centre_id IS NOT NULL
                        AND ({" OR ".join(["(k.indicator_id = %s AND k.number = %s)"] * len(keys))})
                  )
                GROUP BY v.report_id, v.centre_id
            ) s
            JOIN {MonthlyReport._meta.db_table} r ON r.id = s.report_id
            JOIN {Centre._meta.db_table} c ON c.id = s.centre_id
            JOIN {Organisation._meta.db_table} o ON o.id = r.organisation_id
            WHERE r.status = ANY(%s) AND s.signature = ANY(%s)
        """  # noqa: S608 (table names from the models, every value a parameter)
        month = self.report.month
        params = [month, self.report.pk, month, *(x for key in keys for x in key)]
        params += [[str(status) for status in COUNTED_STATUSES], sorted(set(signatures.values()))]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # --- Judging

    def _find(self) -> None:
        by_pk = {i.pk: i for i in self.indicators}
        previous = periods.add_months(self.report.month, -1)
        for (centre_id, indicator_id), value in sorted(self.current.items()):
            past = self.history.get((centre_id, indicator_id), {})
            recent = [past[m] for m in sorted(past, reverse=True)[:MAD_MONTHS]]
            code = by_pk[indicator_id].code
            if len(recent) >= MAD_MINIMUM:
                median = statistics.median(recent)
                mad = statistics.median(abs(x - median) for x in recent)
                low, high = median - MAD_FACTOR * mad, median + MAD_FACTOR * mad
                if mad > 0 and not low <= value <= high:
                    self.flags.append(
                        Flag(
                            centre_id,
                            code,
                            FAR,
                            _(
                                "Far from this centre's usual figure: %(value)s is outside %(low)s to "
                                "%(high)s (median ± 3 MAD of the last %(count)s months)."
                            )
                            % {
                                "value": _number(value),
                                "low": _number(max(low, 0)),
                                "high": _number(high),
                                "count": len(recent),
                            },
                        )
                    )
            if value == 0 and len(recent) >= ZERO_AFTER and all(x > 0 for x in recent[:ZERO_AFTER]):
                self.flags.append(
                    Flag(
                        centre_id,
                        code,
                        ZERO,
                        _("A sudden zero after %(count)s months above zero.") % {"count": ZERO_AFTER},
                    )
                )
        signatures = {}
        for centre in self.centres:
            figures = {pk: v for (c, pk), v in self.current.items() if c == centre.pk}
            if sum(1 for v in figures.values() if v) < MINIMUM_FIGURES:
                continue
            signatures[centre.pk] = _signature(figures)
            before = {
                pk: months[previous]
                for (c, pk), months in self.history.items()
                if c == centre.pk and previous in months
            }
            if before and before == figures:
                self.flags.append(
                    Flag(centre.pk, None, SAME_AS_LAST_MONTH, _("Every figure is the same as last month."))
                )
        copies = defaultdict(list)
        for signature, centre_name, org_name in self._same_month_signatures(signatures):
            copies[signature].append(f"{org_name} {centre_name}")
        names = {c.pk: c.name for c in self.centres}
        for centre_id, signature in signatures.items():
            twins = copies.get(signature, []) + [
                names[other]
                for other, theirs in signatures.items()
                if other != centre_id and theirs == signature
            ]
            if twins:
                self.flags.append(
                    Flag(
                        centre_id,
                        None,
                        SAME_AS_OTHER,
                        _("Every figure is the same as another centre's this month: %(centres)s.")
                        % {"centres": "、".join(sorted(twins))},
                    )
                )

    # --- Showing

    def hint(self, centre_id, indicator) -> Hint:
        """Last month, the same month last year, and the flags of one figure."""
        past = self.history.get((centre_id, indicator.pk), {})
        month = self.report.month
        return Hint(
            last_month=past.get(periods.add_months(month, -1)),
            last_year=past.get(periods.add_months(month, -12)),
            flags=[f for f in self.flags if f.centre_id == centre_id and f.code == indicator.code],
        )

    def centre_flags(self, centre_id) -> list[Flag]:
        """The flags about a centre's figures as a whole."""
        return [f for f in self.flags if f.centre_id == centre_id and f.code is None]


def stored_numbers(report, indicators) -> dict:
    """(centre id, indicator id) -> number of the report's stored figures (reads ``report.values``)."""
    numeric = {i.pk for i in indicators if i.is_numeric}
    return {
        (v.centre_id, v.indicator_id): v.number
        for v in report.values.all()
        if v.indicator_id in numeric and v.number is not None
    }


def outlier_flags(report) -> list[dict]:
    """The flags of a report's stored figures, as ``MonthlyReport.outlier_flags`` keeps them."""
    indicators = list(report.indicators())
    found = Outliers(report, indicators, report.centres(), stored_numbers(report, indicators))
    return [flag.as_json() for flag in found.flags]
