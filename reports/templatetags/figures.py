"""Figures on pages: thousands separators and units in the reader's language (see reports.units)."""

from django import template

from reports import units

register = template.Library()


@register.filter
def thousands(value):
    """15032 -> 15,032; None -> —."""
    return units.thousands(value)


@register.filter
def unit_label(unit, value=None):
    """``{{ indicator.unit|unit_label:value }}``: 天 in Chinese, days in English."""
    return units.unit_label(unit, value)


@register.filter
def with_unit(value, unit):
    """``{{ value|with_unit:indicator.unit }}``: 20 天 / 20 days."""
    return units.with_unit(value, unit)
