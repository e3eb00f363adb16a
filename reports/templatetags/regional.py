"""Template helpers for the generated regional reports."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
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


@register.filter
def paragraphs(text):
    """A report text as the editor promises it prints: blocks apart by blank lines are paragraphs
    (single line breaks kept), and lines starting with "-" (or "•", "·") are a list. Escaped."""
    if not text:
        return ""
    out, lines, items = [], [], []

    def close_paragraph():
        if lines:
            out.append(
                format_html("<p>{}</p>", format_html_join(mark_safe("<br>"), "{}", ((x,) for x in lines)))
            )
            lines.clear()

    def close_list():
        if items:
            out.append(format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((x,) for x in items))))
            items.clear()

    for raw in str(text).replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            close_paragraph()
            close_list()
        elif line[0] in "-•·" and line[1:2] in (" ", "\u3000", ""):
            close_paragraph()
            items.append(line[1:].strip())
        else:
            close_list()
            lines.append(line)
    close_paragraph()
    close_list()
    return format_html_join("", "{}", ((part,) for part in out))
