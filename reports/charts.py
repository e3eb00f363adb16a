"""A small bar chart drawn on the server as SVG geometry; the template writes the elements."""

from __future__ import annotations

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 600, 220, 48, 28, 16


def _nice_top(value) -> float:
    if not value or value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def bar_chart(labels: list[str], values: list) -> dict:
    """Bars, axis ticks and labels in SVG user units (viewBox ``0 0 600 220``)."""
    top = _nice_top(max((float(v or 0) for v in values), default=0))
    plot_w = WIDTH - PAD_LEFT - 8
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = plot_w / max(len(values), 1)
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = plot_h * float(value or 0) / top
        x = PAD_LEFT + index * slot + slot * 0.15
        bars.append(
            {
                "x": round(x, 1),
                "y": round(PAD_TOP + plot_h - height, 1),
                "width": round(slot * 0.7, 1),
                "height": round(height, 1),
                "label": label,
                "label_x": round(x + slot * 0.35, 1),
                "value": value or 0,
            }
        )
    ticks = [
        {"y": round(PAD_TOP + plot_h - plot_h * f, 1), "value": f"{top * f:g}"}
        for f in (0, 0.25, 0.5, 0.75, 1)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "ticks": ticks,
        "axis_x": PAD_LEFT,
        "axis_right": WIDTH - 8,
        "label_y": HEIGHT - 8,
    }
