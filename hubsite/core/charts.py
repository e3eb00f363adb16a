"""Small charts drawn on the server as SVG: no JavaScript library, no CDN, readable on a phone.

The same SVG goes into pages and into the generated PDF reports.
"""

from __future__ import annotations

import re

import qrcode
import qrcode.image.svg
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

BAR_COLOUR = "#2f8a6c"
AXIS_COLOUR = "#c4c9c7"
TEXT_COLOUR = "#1d2b27"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def bar_chart(
    series: list[tuple[str, float]],
    *,
    width: int = 640,
    height: int = 220,
    label: str = "",
    colour: str = BAR_COLOUR,
) -> SafeString:
    """Vertical bars, one per (label, value), with the value above each bar and a <title> tooltip."""
    top, bottom, side = 22, 28, 8
    plot_height = height - top - bottom
    body = format_html_join(
        "",
        '<g><rect x="{}" y="{}" width="{}" height="{}" fill="{}" rx="2"><title>{}</title></rect>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="' + TEXT_COLOUR + '">{}</text>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#6c757d">{}</text></g>',
        _bars(series, width=width, height=height, top=top, plot_height=plot_height, side=side, colour=colour),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="chart" role="img" aria-label="{}" '
        'preserveAspectRatio="xMidYMid meet"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>{}</svg>',
        width,
        height,
        label,
        side,
        top + plot_height,
        width - side,
        top + plot_height,
        AXIS_COLOUR,
        body,
    )


def _bars(
    series, *, width: int, height: int, top: int, plot_height: float, side: int, colour: str
) -> list[tuple]:
    """Per bar: the rect (x, y, width, height, fill, tooltip), the value above it and the name below,
    each text centred on the bar; bars scale to the largest value (an all-zero series stays flat)."""
    slot = (width - 2 * side) / max(len(series), 1)
    bar_width = max(slot * 0.68, 2)
    maximum = max((value for _, value in series), default=0) or 1
    rows = []
    for index, (name, value) in enumerate(series):
        bar_height = plot_height * (value or 0) / maximum
        x = side + index * slot + (slot - bar_width) / 2
        y = top + plot_height - bar_height
        centre = f"{x + bar_width / 2:.1f}"
        rows.append(
            (
                f"{x:.1f}",
                f"{y:.1f}",
                f"{bar_width:.1f}",
                f"{bar_height:.1f}",
                colour,
                f"{name}: {_number(value or 0)}",
                centre,
                f"{y - 5:.1f}",
                _number(value or 0),
                centre,
                f"{height - 9:.1f}",
                name,
            )
        )
    return rows


def qr_svg(text: str, *, fit: bool = False) -> SafeString:
    """An inline SVG of the QR code for ``text`` (paths only: no raster, no external file).

    Safe to put in a page: ``qrcode`` draws the text as path geometry and never echoes it. With
    ``fit`` the code fills its box on the page (a fixed size is too small to scan on some phones).
    """
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    if fit:
        svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', '<svg width="100%" height="100%" role="img"', svg)
    return mark_safe(svg)  # noqa: S308 - geometry drawn by qrcode, the text is not in it
