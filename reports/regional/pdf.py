"""The PDF: a Django template rendered by WeasyPrint, charts and the map drawn as server SVG.

Chinese text needs a CJK font the system knows (Debian ``fonts-noto-cjk``; ``.ci/system-packages``
installs it); with ``libharfbuzz-subset0`` WeasyPrint embeds only the glyphs used, about 1 s a page.
"""

from __future__ import annotations

import logging

from django.template.loader import render_to_string

from hubsite.core.charts import bar_chart
from partners.coverage import DEFAULT_PROVINCE
from partners.maps import choropleth

from ..rollup import figure_heading

# WeasyPrint logs every layout step at INFO: noise in the worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_html(content) -> str:
    values = content.coverage.values()
    titles = {p.prefecture.code: f"{p.prefecture.name}: {p.centres}" for p in content.coverage.prefectures}
    by_code = {i.code: i for i in content.indicators}
    visits = by_code.get("child_visits")
    visits_chart = None
    if visits and len(content.months) > 1:
        visits_chart = bar_chart(
            [
                (m.strftime("%y-%m"), v)
                for m, v in zip(content.months, content.monthly[visits.pk], strict=True)
            ],
            label=visits.label,
        )
    totals = [
        {"indicator": i, "figure": content.totals[i.pk]} for i in content.indicators if i.pk in content.totals
    ]
    return render_to_string(
        "reports/regional/pdf.html",
        {
            "c": content,
            "map": choropleth(DEFAULT_PROVINCE, values, titles=titles, aria_label=content.title),
            "type_chart": bar_chart(content.centres_by_type, height=180),
            "visits_chart": visits_chart,
            "totals": totals,
            # The tables' headings carry each figure's unit and how it adds up (e.g. 户，月均).
            "key_headings": [figure_heading(i) for i in content.key_indicators],
            "attendance": content.attendance,
        },
    )


def write_pdf(content, target) -> None:
    """Write the PDF to ``target`` (a path or a binary file object)."""
    from weasyprint import HTML

    HTML(string=render_html(content)).write_pdf(target)
