"""The annual report's web edition: the same sections as the PDF, readable at 375 px, charts as SVG.

``render_web(request, narrative)`` lays out one narrative's report (the region's, or a partner's behind
its share link, ``annual_views``); ``AnnualWebView`` serves the region's at
``/reports/annual/<kind>/<yyyy-mm>/`` to the hub always and to viewers once it is published.
``design_context`` is the context both editions share, so the PDF says what the page says.
"""

from __future__ import annotations

import datetime

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from hubsite.core import validators as bounds
from hubsite.core.charts import bar_chart
from hubsite.core.permissions import RoleRequiredMixin
from hubsite.core.roles import Role
from partners.coverage import DEFAULT_PROVINCE
from partners.maps import choropleth

from ..models import AnnualNarrative
from ..periods import parse_month
from ..rollup import figure_heading
from . import content as content_module
from . import periods
from .choices import PeriodKind, ReportScope

WEB_ROLES = frozenset({Role.HUB_ADMIN, Role.HUB_STAFF, Role.VIEWER})


def period_label(kind: str, start: datetime.date) -> str:
    return periods.label(kind, start)


def charts(content) -> dict:
    """The map and the monthly chart, as SVG (the same drawing in the PDF and on the page)."""
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
    return {
        "map": choropleth(DEFAULT_PROVINCE, values, titles=titles, aria_label=content.title),
        "visits_chart": visits_chart,
    }


def sections(content, annual, *, partners: bool) -> list[tuple[str, str]]:
    """The contents: (anchor, heading) of each section the report has, in order."""
    narrative = annual.narrative
    found = []
    if narrative and narrative.foreword:
        found.append(("foreword", pgettext("annual report section", "Foreword")))
    found.append(
        (
            "numbers",
            _("The year in numbers")
            if content.is_annual
            else pgettext("annual report section", "The half-year in numbers"),
        )
    )
    if narrative and narrative.highlights:
        found.append(("highlights", pgettext("annual report section", "Highlights of the year")))
    if annual.support:
        found.append(("support", pgettext("annual report section", "The hub's support received")))
    found.append(("map-section", pgettext("annual report section", "Where we work")))
    if content.by_prefecture and content.scope != ReportScope.ORGANISATION:
        found.append(("prefectures", _("By prefecture")))
    if content.target_rows and content.scope == ReportScope.ORGANISATION:
        found.append(("targets", _("Targets and achievement")))
    if annual.stories:
        found.append(("stories", pgettext("annual report section", "Stories of the year")))
    if content.scope != ReportScope.ORGANISATION:
        # A partner's meetings, coaching, visits and funding are in the hub's support it received.
        found.append(("network", pgettext("annual report section", "Meetings and mutual aid")))
    if partners:
        found.append(("partners", pgettext("annual report section", "Partner organisations by prefecture")))
    for anchor, field_name, heading in (
        ("challenges", "challenges", pgettext("annual report section", "Challenges")),
        ("plan", "next_plan", pgettext("annual report section", "Plan for next year")),
        ("thanks", "thanks", pgettext("annual report section", "Thanks")),
    ):
        if narrative and getattr(narrative, field_name):
            found.append((anchor, heading))
    return found


def group_rows(content) -> list[tuple]:
    """The organisation rows under their prefectures, in the prefectures' order."""
    groups: dict = {}
    for row in content.by_organisation:
        if row.organisation.is_hub:
            continue
        groups.setdefault(row.organisation.prefecture, []).append(row)
    return list(groups.items())


def design_context(content, annual, *, web: bool, with_partners: bool = True) -> dict:
    """What the section templates need, for either edition."""
    return {
        "c": content,
        "a": annual,
        "web": web,
        "title": f"{annual.name} · {period_label(content.kind, content.start)}",
        "period_label": period_label(content.kind, content.start),
        "generated_at": content.generated_at,
        "key_headings": [figure_heading(i) for i in content.key_indicators],
        "key_indicators": content.key_indicators,
        "sections": sections(
            content, annual, partners=with_partners and content.scope != ReportScope.ORGANISATION
        ),
        **charts(content),
    }


def words_context(kind: str, start: datetime.date, annual) -> dict:
    """The context of the parts that print only words (the closing pages of the PDF)."""
    return {
        "a": annual,
        "web": False,
        "title": f"{annual.name} · {period_label(kind, start)}",
        "period_label": period_label(kind, start),
        "generated_at": timezone.now(),
    }


def gather_for_narrative(narrative, *, today=None):
    """The period's content for a narrative: its organisation's or the region's."""
    scope = ReportScope.ORGANISATION if narrative.organisation_id else ReportScope.REGION
    return content_module.gather(
        narrative.period_kind,
        narrative.period_start,
        scope,
        None,
        narrative.organisation,
        title=period_label(narrative.period_kind, narrative.period_start),
        today=today,
    )


def render_web(request, narrative, *, content=None):
    """The web edition of ``narrative``'s report (whoever may read it was checked by the caller)."""
    if content is None:
        content = gather_for_narrative(narrative)
    annual = content_module.annual(content, narrative, find=False)
    context = design_context(content, annual, web=True)
    if content.scope != ReportScope.ORGANISATION:
        context["groups"] = group_rows(content)
    return render(request, "reports/annual/web.html", context)


class AnnualWebView(RoleRequiredMixin, View):
    """The region's annual (or half-year) report as a web page: the hub always, viewers once the hub
    has published the region's text for that period."""

    allowed_roles = WEB_ROLES

    def get(self, request, kind, month):
        if kind not in (PeriodKind.YEAR, PeriodKind.HALF_YEAR):
            raise Http404
        day = parse_month(month)
        if day is None:
            raise Http404
        try:
            bounds.DATE(day)
        except Exception as error:
            raise Http404 from error
        start = periods.normalise(kind, day)
        narrative = (
            AnnualNarrative.objects.for_user(request.user)
            .region()
            .filter(period_kind=kind, period_start=start)
            .first()
        )
        if narrative is None:
            if not request.user.is_hub:
                raise Http404
            # The hub reads the figures before any text is written: an unsaved, empty narrative.
            narrative = AnnualNarrative(organisation=None, period_kind=kind, period_start=start)
        content = content_module.gather(
            kind, start, ReportScope.REGION, title=period_label(kind, start), today=timezone.localdate()
        )
        if narrative.pk is None:
            annual = content_module.annual(content, None, find=False)
            context = design_context(content, annual, web=True)
            context["groups"] = group_rows(content)
            return render(request, "reports/annual/web.html", context)
        return render_web(request, narrative, content=content)
