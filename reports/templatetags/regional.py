"""Template helpers for the generated regional reports."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def num(value):
    """Thousands separators; whole numbers without decimals."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


@register.filter
def change(figure):
    """The change from the previous period as a signed percentage (or the new value when it was 0)."""
    if figure is None:
        return ""
    pct = figure.change_pct
    if pct is None:
        return "" if not figure.current else _("new")
    return f"{pct:+.1f}%"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
