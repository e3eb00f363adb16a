"""Figures with their units in the reader's language: "20 天" in Chinese, "20 days" in English.

An indicator's unit is typed in Chinese by the hub (天, 次, 人次, ...). The English interface reads the
known units as English words, singular or plural by the figure; a unit we do not know stays as typed.
Numbers get thousands separators in both languages (15,032): Django's Chinese format has none.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language, npgettext

# Chinese unit -> (singular, plural) English words. ngettext with these literals keeps them in the
# catalogue even though the Chinese interface shows the unit as typed.
ENGLISH_UNITS = {
    "天": lambda n: npgettext("unit", "day", "days", n),
    "次": lambda n: npgettext("unit", "session", "sessions", n),
    "人": lambda n: npgettext("unit", "person", "people", n),
    "人次": lambda n: npgettext("unit", "visit", "visits", n),
    "户": lambda n: npgettext("unit", "family", "families", n),
    "小时": lambda n: npgettext("unit", "hour", "hours", n),
    "个": lambda n: npgettext("unit", "item", "items", n),
    # Book loans are counted in volumes lent (册次): "3,001 loans".
    "册次": lambda n: npgettext("unit", "loan", "loans", n),
    # Money in the annual reports' support figures (the hub's grants and subsidies).
    "元": lambda n: npgettext("unit", "yuan", "yuan", n),
}


def _english() -> bool:
    return (get_language() or "").startswith("en")


def thousands(value, places: int = 2) -> str:
    """15032 -> "15,032"; 3.50 -> "3.5"; None or "" -> "—" (nobody reported)."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    number = round(number, places)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,.{places}f}".rstrip("0").rstrip(".")


def unit_label(unit: str, value=None) -> str:
    """The unit as the reader says it (Chinese as typed; English words for the known units)."""
    if not unit or not _english():
        return unit or ""
    words = ENGLISH_UNITS.get(unit.strip())
    if words is None:
        return unit
    try:
        count = 2 if value is None else abs(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        count = 2
    return words(1 if count == 1 else 2)


def with_unit(value, unit: str) -> str:
    """A figure and its unit: "20 天" / "20 days" (the value alone when there is no unit)."""
    if value is None or value == "":
        return "—"
    shown = thousands(value) if isinstance(value, int | float | Decimal) else str(value)
    label = unit_label(unit, value if isinstance(value, int | float | Decimal) else None)
    return f"{shown} {label}" if label else shown
