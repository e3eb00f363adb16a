"""Template helpers for the generated regional reports."""

from django import template
from django.utils.translation import gettext as _

from reports import units

register = template.Library()


@register.filter
def num(value):
    """Thousands separators; whole numbers without decimals, others rounded as every page rounds them
    (``reports.units.thousands``): an average month of 12.5 families is 12.5 here too, not 12."""
    return units.thousands(value)


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
