"""Regional coverage pages: for everyone logged in, one per prefecture, and a public one."""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from hubsite.core.charts import bar_chart
from hubsite.core.pagecache import CachedPageMixin
from hubsite.core.permissions import AnyRoleMixin
from partners import actions
from partners.choices import OrganisationStatus
from partners.maps import choropleth, legend_for
from partners.models import Centre, Organisation, Prefecture

from . import (
    VERSION_KEY,
    cached,
    centres_at_year_ends,
    coverage_as_of,
    data_version,
    hooks,
    nearest_covered,
    operating_q,
    prospects_in,
)
from .forms import CoverageFilterForm, InterestForm

INTEREST_LIMIT = 5  # per address per hour
PUBLIC_CACHE_KEY = "coverage:public"
PUBLIC_CACHE_SECONDS = 300


def _data_version(found=None):
    """The data version, from what the page cache already read with the page when it did."""
    version = (found or {}).get(VERSION_KEY)
    return data_version() if version is None else version


def report_figures():
    """The monthly reports' figures, which the reports app (a higher layer) registers into a hook."""
    return hooks.report_figures.first()


def _metric_values(coverage, metric):
    figures = report_figures()
    if metric in ("families_served", "child_visits") and figures:
        first, last = figures.last_twelve_months(coverage.day)
        totals = figures.totals_by_prefecture(metric, first, last)
        return {row.prefecture.code: totals.get(row.prefecture.code, 0) for row in coverage.prefectures}
    if metric == "organisations":
        return {row.prefecture.code: row.organisations for row in coverage.prefectures}
    if metric == "per_10k":
        return {row.prefecture.code: row.centres_per_10k_children or 0 for row in coverage.prefectures}
    return coverage.values()


def _map(coverage, metric, *, linked=True, values=None):
    titles = {
        row.prefecture.code: _("%(name)s: %(centres)s centres, %(orgs)s organisations")
        % {"name": row.prefecture.name, "centres": row.centres, "orgs": row.organisations}
        if row.covered
        else _("%(name)s: no centre yet") % {"name": row.prefecture.name}
        for row in coverage.prefectures
    }
    links = (
        {
            row.prefecture.code: reverse("coverage:prefecture", args=[row.prefecture.code])
            for row in coverage.prefectures
        }
        if linked
        else {}
    )
    if values is None:
        values = _metric_values(coverage, metric)
    svg = choropleth(
        "450000", values, titles=titles, links=links, aria_label=_("Map of centres by prefecture")
    )
    return svg, legend_for(metric, max(values.values(), default=0))


def _page_data(as_of, metric) -> dict:
    """Everything the coverage page reads from the database (4 queries), cached by data version."""
    coverage = coverage_as_of(as_of)
    growth = centres_at_year_ends(as_of)
    figures = report_figures()
    return {
        "coverage": coverage,
        "growth": growth,
        "values": _metric_values(coverage, metric),
        "families": figures.totals_by_year("families_served", growth[0][0], as_of.year) if figures else None,
    }


class CoverageView(AnyRoleMixin, CachedPageMixin, TemplateView):
    """The region's map and figures on a chosen day, shaded by a chosen measure."""

    template_name = "partners/coverage.html"
    page_params = ("as_of", "metric")

    page_version_keys = (VERSION_KEY,)

    def page_version(self, found=None):
        # Today's date too: without a chosen day the page shows today's coverage.
        return (_data_version(found), timezone.localdate())

    def page_values(self):
        # Keyed on the form's cleaned values: a day no form accepts adds no entry (it is not cached).
        if not self.request.GET:
            return {"as_of": "", "metric": ""}
        form = CoverageFilterForm(self.request.GET)
        if not form.is_valid():
            return None
        as_of, metric = form.cleaned_data.get("as_of"), form.cleaned_data.get("metric")
        return {"as_of": as_of.isoformat() if as_of else "", "metric": metric or ""}

    def get_context_data(self, **kwargs):
        form = CoverageFilterForm(self.request.GET or None)
        today = timezone.localdate()
        as_of, metric = today, "centres"
        if form.is_valid():
            as_of = form.cleaned_data.get("as_of") or today
            metric = form.cleaned_data.get("metric") or "centres"
        # The body is the same for everyone who may see it: rendered once per data version and language.
        body = cached(
            "body",
            (as_of, metric, translation.get_language()),
            lambda: _render_body(self.request, as_of, metric),
        )
        return super().get_context_data(form=form, as_of=as_of, metric=metric, body=body, **kwargs)


def _render_body(request, as_of, metric) -> str:
    data = cached("page", (as_of, metric), lambda: _page_data(as_of, metric))
    coverage, growth = data["coverage"], data["growth"]
    svg, legend_rows = _map(coverage, metric, values=data["values"])
    families = data["families"]
    return render_to_string(
        "partners/_coverage_body.html",
        {
            "as_of": as_of,
            "coverage": coverage,
            "map_svg": svg,
            "legend": legend_rows,
            "growth_chart": bar_chart([(str(y), n) for y, n in growth], label=_("Centres at year end")),
            "families_chart": (
                bar_chart(
                    [(str(y), v) for y, v in families],
                    label=_("Families served in an average month, per year"),
                )
                if families is not None
                else None
            ),
            "site_type_chart": bar_chart(
                [(str(label), n) for _value, label, n in coverage.by_site_type],
                label=_("Centres by site type"),
            ),
        },
        request=request,
    )


def _with_urls(objects: list, url_name: str) -> list:
    """Each object with its page's address as ``url``: the address reversed once and the pk put in,
    rather than ``get_absolute_url`` reversed for each of a prefecture's 200 centres and organisations."""
    marker = "2147483647"
    prefix, suffix = reverse(url_name, args=[marker]).split(marker)
    for obj in objects:
        obj.url = f"{prefix}{obj.pk}{suffix}"
    return objects


class PrefectureView(AnyRoleMixin, TemplateView):
    """One prefecture: its operating centres and organisations, else the nearest covered ones."""

    template_name = "partners/prefecture.html"

    def get_context_data(self, code, **kwargs):
        user = self.request.user
        prefecture = get_object_or_404(Prefecture, code=code)
        today = timezone.localdate()
        centres = list(
            Centre.objects.for_user(user)
            .filter(operating_q(today), prefecture=prefecture)
            .select_related("organisation", "county")
            .order_by("organisation__name", "name")
        )
        organisations = list(
            Organisation.objects.for_user(user)
            .filter(prefecture=prefecture)
            .exclude(status__in=[OrganisationStatus.PROSPECT, OrganisationStatus.APPLICANT])
            .order_by("name")
        )
        prospects = list(prospects_in(prefecture).order_by("name")) if user.is_hub else []
        prospect_count = len(prospects) if user.is_hub else prospects_in(prefecture).count()
        nearest = []
        if not centres:
            covered_codes = set(
                Centre.objects.filter(operating_q(today))
                .values_list("prefecture__code", flat=True)
                .distinct()
            )
            codes = nearest_covered(prefecture.code, covered_codes)
            by_code = {p.code: p for p in Prefecture.objects.filter(code__in=codes)}
            nearest = [by_code[c] for c in codes if c in by_code]
        return super().get_context_data(
            prefecture=prefecture,
            centres=_with_urls(centres, "partners:centre_detail"),
            organisations=_with_urls(organisations, "partners:organisation_detail"),
            prospects=_with_urls(prospects, "partners:organisation_detail"),
            prospect_count=prospect_count,
            nearest=nearest,
            panels=prefecture_panels(self.request, prefecture),
            **kwargs,
        )


def prefecture_panels(request, prefecture) -> list[dict]:
    """Apps add figures to the prefecture page (e.g. the last 12 months of reports)."""
    panels = []
    figures = report_figures()
    if figures:
        panels.extend(figures.prefecture_panels(request, prefecture))
    return panels


def _hub_card() -> dict:
    """Who the hub is and how to reach it: the name from settings (HUB_NAME, as in titles and mail),
    the rest from the hub's own row in the directory (the first, if several are marked)."""
    row = (
        Organisation.objects.filter(is_hub=True)
        .order_by("pk")
        .values("address", "contact_name", "contact_phone", "contact_email", "website", "description")
        .first()
    )
    row = row or {}
    contact_line = " / ".join(
        value for value in (row.get("contact_phone"), row.get("contact_email")) if value
    )
    return {"name": str(settings.HUB_NAME), "contact_line": contact_line, **row}


def public_context() -> dict:
    """What the public page shows besides the form, cached by data version and language (5 queries)."""
    key = f"{PUBLIC_CACHE_KEY}:{data_version()}:{translation.get_language()}"
    context = cache.get(key)
    if context is None:
        coverage = coverage_as_of(timezone.localdate())
        svg, legend_rows = _map(coverage, "centres", linked=False)
        context = {
            "map_svg": svg,
            "legend": legend_rows,
            "covered": [(row.prefecture.name, row.centres) for row in coverage.covered],
            "uncovered": [row.prefecture.name for row in coverage.uncovered],
            "total_centres": coverage.total_centres,
            "total_organisations": Organisation.objects.filter(status=OrganisationStatus.ACTIVE).count(),
            # Rendered from the cache with the form, so a cached page costs no query at all.
            "prefecture_choices": list(Prefecture.objects.order_by("code").values_list("pk", "name")),
            "hub": _hub_card(),
            "retention_days": settings.INTEREST_RETENTION_DAYS,
        }
        cache.set(key, context, PUBLIC_CACHE_SECONDS)
    return context


class PublicCoverageView(CachedPageMixin, TemplateView):
    """No login: only aggregate numbers and the map, plus the interest form."""

    template_name = "partners/public_coverage.html"

    page_version_keys = (VERSION_KEY,)

    def page_version(self, found=None):
        return (_data_version(found), timezone.localdate())

    def get_context_data(self, **kwargs):
        return super().get_context_data(**public_context(), form=InterestForm(), **kwargs)


def _client_address(request) -> str:
    # The project's one client address (behind our proxies, the visitor's, not the proxy's), so one
    # network's submissions do not use up everyone's hourly allowance.
    return get_adapter(request).get_client_ip(request)


class InterestView(FormView):
    """The public page's interest form (POST only; a GET goes to the page). A refused form is shown
    again on the public page."""

    form_class = InterestForm
    template_name = PublicCoverageView.template_name

    def get(self, request):
        return redirect("coverage:public")

    def post(self, request):
        form = self.get_form()
        if form.is_valid() and form.cleaned_data.get("homepage"):
            # A robot filled the hidden field: pretend success, keep nothing.
            return redirect("coverage:interest_thanks")
        if not form.is_valid():
            # Only what would be kept counts toward the limit: a person fixing a wrong phone number
            # on a carrier's shared address must not use up the network's five in the hour.
            return self.form_invalid(form)
        key = f"interest-rate:{_client_address(request)}"
        cache.add(key, 0, 3600)
        if cache.incr(key) > INTEREST_LIMIT:
            form.add_error(None, _("Too many submissions from your network; please try again in an hour."))
            return self.form_invalid(form)
        return self.form_valid(form)

    def form_valid(self, form):
        actions.do_register_interest(form.cleaned_data)
        return redirect("coverage:interest_thanks")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**public_context(), **kwargs)


class InterestThanksView(TemplateView):
    """Where a sent interest form (or a robot's) lands."""

    template_name = "partners/interest_thanks.html"
