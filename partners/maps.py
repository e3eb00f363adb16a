"""Server-rendered SVG maps of a province's prefectures (no tiles, no CDN, no API key).

Boundaries live in ``partners/data/boundaries/<province code>.geojson`` keyed by administrative code,
so another province's hub only adds its own file. The projection is a plain equirectangular one
scaled by the cosine of the middle latitude: at a province's size the distortion is invisible.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

BOUNDARIES_DIR = Path(__file__).resolve().parent / "data" / "boundaries"
WIDTH = 800.0
# Light to dark; index 0 is for "none" and is drawn with a hatch as well, so it reads without colour.
PALETTE = ["#f1f3f2", "#d3ece2", "#9fd3bf", "#5fb395", "#2f8a6c", "#17594a"]
NONE_FILL = "url(#hatch-none)"


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    path: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class ProvinceMap:
    width: float
    height: float
    shapes: tuple[Shape, ...]


def _rings(geometry: dict):
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


@functools.cache
def province_map(province_code: str) -> ProvinceMap:
    """Project the province's boundaries once per process; every map drawn after is string work."""
    data = json.loads((BOUNDARIES_DIR / f"{province_code}.geojson").read_text(encoding="utf-8"))
    features = data["features"]
    points = [point for feature in features for ring in _rings(feature["geometry"]) for point in ring]
    min_lon = min(p[0] for p in points)
    max_lon = max(p[0] for p in points)
    min_lat = min(p[1] for p in points)
    max_lat = max(p[1] for p in points)
    x_scale = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = WIDTH / ((max_lon - min_lon) * x_scale)
    height = (max_lat - min_lat) * scale

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (lon - min_lon) * x_scale * scale, (max_lat - lat) * scale

    shapes = []
    for feature in features:
        parts = []
        biggest_ring, biggest_area = None, -1.0
        for ring in _rings(feature["geometry"]):
            projected = [project(lon, lat) for lon, lat in ring]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in projected) + "Z")
            area = abs(_signed_area(projected))
            if area > biggest_area:
                biggest_ring, biggest_area = projected, area
        label_x, label_y = _centroid(biggest_ring)
        properties = feature["properties"]
        shapes.append(Shape(properties["code"], properties["name"], "".join(parts), label_x, label_y))
    return ProvinceMap(WIDTH, round(height, 1), tuple(shapes))


def _signed_area(ring: list[tuple[float, float]]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)) / 2


def _centroid(ring: list[tuple[float, float]]) -> tuple[float, float]:
    area = _signed_area(ring)
    if not area:
        xs, ys = zip(*ring, strict=True)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return cx / (6 * area), cy / (6 * area)


def bucket(value: float, maximum: float) -> int:
    """Colour class: 0 for none, else 1..5 by the share of the maximum (equal intervals)."""
    if not value or value <= 0:
        return 0
    steps = len(PALETTE) - 1
    if maximum <= 0:
        return 1
    return max(1, min(steps, math.ceil(steps * value / maximum)))


def choropleth(
    province_code: str,
    values: dict[str, float],
    *,
    titles: dict[str, str] | None = None,
    links: dict[str, str] | None = None,
    show_labels: bool = True,
    aria_label: str = "",
) -> SafeString:
    """An SVG with one shape per prefecture, shaded by ``values[code]``.

    Prefectures with no value (or 0) are drawn hatched grey so that "no centre here" stands out;
    ``titles`` become hover tooltips and ``links`` make a prefecture clickable.
    """
    titles = titles or {}
    links = links or {}
    geo = province_map(province_code)
    maximum = max((v for v in values.values() if v), default=0)
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="province-map" role="img" '
            'aria-label="{}">',
            f"{geo.width:.0f}",
            f"{geo.height:.0f}",
            aria_label,
        ),
        mark_safe(  # noqa: S308 - constant markup, no user input
            '<defs><pattern id="hatch-none" width="8" height="8" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="8" height="8" fill="#eceeed"/>'
            '<line x1="0" y1="0" x2="0" y2="8" stroke="#c4c9c7" stroke-width="3"/></pattern></defs>'
        ),
    ]
    parts += [_shape(shape, values, maximum, titles, links) for shape in geo.shapes]
    if show_labels:
        parts += [_label(shape, values, maximum) for shape in geo.shapes]
    parts.append(mark_safe("</svg>"))  # noqa: S308
    return mark_safe("".join(escape(p) if not isinstance(p, SafeString) else p for p in parts))  # noqa: S308


def _shape(shape, values: dict, maximum: float, titles: dict, links: dict) -> SafeString:
    """One prefecture's path, shaded by its value's colour class, linked when ``links`` has it."""
    value = values.get(shape.code, 0) or 0
    level = bucket(value, maximum)
    fill = NONE_FILL if level == 0 else PALETTE[level]
    css = "prefecture covered" if level else "prefecture uncovered"
    title = titles.get(shape.code, f"{shape.name}: {value:g}")
    path = format_html(
        '<path d="{}" fill="{}" class="{}" data-code="{}" data-value="{}" stroke="#ffffff" '
        'stroke-width="1.2"><title>{}</title></path>',
        shape.path,
        fill,
        css,
        shape.code,
        f"{value:g}",
        title,
    )
    if shape.code in links:
        path = format_html('<a href="{}">{}</a>', links[shape.code], path)
    return path


def _label(shape, values: dict, maximum: float) -> SafeString:
    """The prefecture's name at its label point, white on the two darkest colour classes."""
    value = values.get(shape.code, 0) or 0
    dark = bucket(value, maximum) >= 4
    return format_html(
        '<text x="{}" y="{}" text-anchor="middle" class="map-label" fill="{}" '
        'font-size="15" pointer-events="none">{}</text>',
        f"{shape.label_x:.1f}",
        f"{shape.label_y:.1f}",
        "#ffffff" if dark else "#1d2b27",
        shape.name.removesuffix("市"),
    )


def legend(maximum: float, *, unit: str = "", whole: bool = False) -> list[tuple[str, str]]:
    """(colour, label) for each colour class, the "none" class first.

    Labels read plainly: a count (``whole``) gives the whole numbers each class holds, "1 个",
    "2-3 个", and a class that holds no whole number is left out; a ratio gives its bounds, "0.6-1.2".
    """
    rows = [(PALETTE[0], "0")]
    steps = len(PALETTE) - 1
    previous = 0.0
    for level in range(1, steps + 1):
        high = maximum * level / steps
        if high <= previous and level > 1:
            continue
        if whole:
            # bucket() puts v in this class when previous < v <= high.
            low_n, high_n = math.floor(previous) + 1, math.floor(high)
            previous = high
            if low_n > high_n:
                continue
            span = f"{low_n:,}" if low_n == high_n else f"{low_n:,}-{high_n:,}"
        else:
            span = f"{previous:.2g}-{high:.2g}" if level > 1 else f"0-{high:.2g}"
            previous = high
        rows.append((PALETTE[level], f"{span} {unit}".strip()))
    return rows


def legend_for(metric: str, maximum: float) -> list[tuple[str, str]]:
    """The legend of a coverage map shaded by ``metric`` (counts with their unit, ratios bare)."""
    units = {
        "centres": pgettext("map legend unit", "centres"),
        "organisations": pgettext("map legend unit", "organisations"),
        "families_served": pgettext("map legend unit", "families"),
        "child_visits": pgettext("map legend unit", "visits"),
    }
    if metric == "per_10k":
        return legend(maximum)
    return legend(maximum, unit=units.get(metric, units["centres"]), whole=True)
