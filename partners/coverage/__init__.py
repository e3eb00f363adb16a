"""Regional coverage: which prefectures have centres, as of any date, in a fixed number of queries.

A centre counts as operating on a day when it had opened by then and had not closed (its dates), and
it is not merely planned. Dates rather than the current status let the page show any past date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from partners.choices import CentreStatus, OrganisationStatus, SiteType
from partners.models import Centre, Organisation, Prefecture

DEFAULT_PROVINCE = "450000"
FIRST_YEAR = 2018


def operating_q(day: datetime.date, prefix: str = "") -> Q:
    """The 'operating on day' rule as a Q, optionally through a relation (e.g. ``centres__``)."""
    return (
        Q(**{f"{prefix}opened_on__lte": day})
        & (Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": day}))
        & ~Q(**{f"{prefix}status": CentreStatus.PLANNED})
    )


@dataclass
class PrefectureCoverage:
    prefecture: Prefecture
    centres: int
    organisations: int
    demonstration: int
    prospects: int

    @property
    def covered(self) -> bool:
        return self.centres > 0

    @property
    def centres_per_10k_children(self) -> float | None:
        children = self.prefecture.children_under_3
        if not children:
            return None
        return round(self.centres * 10000 / children, 2)


@dataclass
class Coverage:
    day: datetime.date
    prefectures: list[PrefectureCoverage]
    by_site_type: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def covered(self) -> list[PrefectureCoverage]:
        return [p for p in self.prefectures if p.covered]

    @property
    def uncovered(self) -> list[PrefectureCoverage]:
        return [p for p in self.prefectures if not p.covered]

    @property
    def population_missing(self) -> bool:
        """Some prefecture has no child population entered: its per-10,000 figure cannot be worked out."""
        return any(p.centres_per_10k_children is None for p in self.prefectures)

    @property
    def total_centres(self) -> int:
        return sum(p.centres for p in self.prefectures)

    @property
    def total_demonstration(self) -> int:
        return sum(p.demonstration for p in self.prefectures)

    def values(self) -> dict[str, int]:
        return {p.prefecture.code: p.centres for p in self.prefectures}


def coverage_as_of(day: datetime.date, province_code: str = DEFAULT_PROVINCE) -> Coverage:
    """Two queries: prefectures with their annotated counts, and centres by site type."""
    # Every count is a subquery per prefecture (14 of them): joined and grouped, the centres would be
    # multiplied by the organisations, and a subquery beside the join would run once per centre.
    centres = (
        Centre.objects.filter(operating_q(day), prefecture=OuterRef("pk")).order_by().values("prefecture")
    )
    prospects = (
        Organisation.objects.filter(
            prefecture=OuterRef("pk"),
            status__in=[OrganisationStatus.PROSPECT, OrganisationStatus.APPLICANT],
        )
        .order_by()
        .values("prefecture")
    )

    def count(queryset, counted) -> Coalesce:
        return Coalesce(Subquery(queryset.annotate(n=counted).values("n"), output_field=IntegerField()), 0)

    prefectures = (
        Prefecture.objects.filter(province__code=province_code)
        .annotate(
            n_centres=count(centres, Count("pk")),
            n_organisations=count(centres, Count("organisation", distinct=True)),
            n_demonstration=count(centres, Count("pk", filter=Q(is_demonstration=True))),
            n_prospects=count(prospects, Count("pk")),
        )
        .order_by("code")
    )
    rows = [
        PrefectureCoverage(p, p.n_centres, p.n_organisations, p.n_demonstration, p.n_prospects)
        for p in prefectures
    ]
    counts = dict(
        Centre.objects.filter(operating_q(day), prefecture__province__code=province_code)
        .values_list("site_type")
        .annotate(n=Count("pk"))
        .values_list("site_type", "n")
    )
    by_site_type = [(value, label, counts.get(value, 0)) for value, label in SiteType.choices]
    return Coverage(day=day, prefectures=rows, by_site_type=by_site_type)


def centres_at_year_ends(
    until: datetime.date, province_code: str = DEFAULT_PROVINCE, first_year: int = FIRST_YEAR
) -> list[tuple[int, int]]:
    """(year, centres operating on 31 December, or on ``until`` for the current year) in one query."""
    ends = {}
    for year in range(first_year, until.year + 1):
        ends[year] = min(datetime.date(year, 12, 31), until)
    aggregates = {f"y{year}": Count("pk", filter=operating_q(day)) for year, day in ends.items()}
    totals = Centre.objects.filter(prefecture__province__code=province_code).aggregate(**aggregates)
    return [(year, totals[f"y{year}"]) for year in ends]


def prospects_in(prefecture: Prefecture):
    return Organisation.objects.filter(
        prefecture=prefecture, status__in=[OrganisationStatus.PROSPECT, OrganisationStatus.APPLICANT]
    )


def nearest_covered(
    code: str, covered_codes: set[str], province_code: str = DEFAULT_PROVINCE, limit: int = 3
):
    """The covered prefectures closest to ``code`` (by the distance between their map centroids)."""
    from partners.maps import province_map

    centres = {shape.code: (shape.label_x, shape.label_y) for shape in province_map(province_code).shapes}
    if code not in centres:
        return []
    x0, y0 = centres[code]
    ranked = sorted(
        (c for c in covered_codes if c != code and c in centres),
        key=lambda c: (centres[c][0] - x0) ** 2 + (centres[c][1] - y0) ** 2,
    )
    return ranked[:limit]


# --- Caching: the coverage aggregates are read far more often than centres or reports change.
# Every cached entry carries the data version in its key; any change to a centre, an organisation or
# a monthly report sets a new version (signals), so the next load recomputes.

VERSION_KEY = "coverage:version"
CACHE_SECONDS = 3600


def data_version() -> int:
    from django.core.cache import cache

    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 0, None)
        version = cache.get(VERSION_KEY, 0)
    return version


def data_changed() -> None:
    import time

    from django.core.cache import cache

    cache.set(VERSION_KEY, time.time_ns(), None)


def cached_as_of_version(key: str, build, seconds: int = CACHE_SECONDS):
    """``build()``, kept under ``key`` with the data version it was built for: one cache round trip
    reads both (``get_many``), and an entry of an older version is built again. The version is read
    before the database, so a change committed meanwhile cannot leave a stale entry that looks valid."""
    from django.core.cache import cache

    found = cache.get_many([VERSION_KEY, key])
    version, entry = found.get(VERSION_KEY), found.get(key)
    if version is not None and entry is not None and entry[0] == version:
        return entry[1]
    if version is None:
        version = data_version()
    value = build()
    cache.set(key, (version, value), seconds)
    return value


def cached(name: str, parts: tuple, build):
    from django.core.cache import cache

    key = f"coverage:{data_version()}:{name}:" + ":".join(str(part) for part in parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value
