"""Yearly targets and their achievement to date, in a fixed number of queries whatever the data size.

A target is in the terms of its indicator's roll-up (``reports.rollup``): the year's total for a
flow, the level of an average (highest, latest) month for a stock. Achievement to date is the same
roll-up over the year's handed-in reports so far (``COUNTED_STATUSES``), so a stock such as families
served is compared as "families in an average month", never as a sum of months.

Everything here reads through ``Target.objects`` and ``ReportValue``; pages scope the organisations
first (``Organisation.objects.for_user``) and pass their ids.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django import forms
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hubsite.core.forms import StyledForm
from hubsite.core.models import StaleObjectError
from hubsite.core.notifications import notify, object_key, register_kind
from hubsite.core.roles import Role
from partners.models import Centre

from .choices import COUNTED_STATUSES, Scope, ValueType
from .models import TARGET_BOUNDS, Indicator, ReportValue, Target
from .rollup import MONTH_COLUMNS, UnitMonths, month_aggregates, rollup

# The organisation page lays its boxes out itself (a column each); the home page wraps every box.
PANEL_TEMPLATE = "reports/_targets_panel.html"
HOME_TEMPLATE = "reports/_targets_box.html"


def plain(value: Decimal | None):
    """A stored figure as people write it: 3600, not 3600.00 or 3.6E+3."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


@dataclass
class Achievement:
    """One target and how far the reports of its year have got (``achieved`` None: no figure yet,
    or a figure that does not add up over the organisation's centres)."""

    target: Target
    achieved: Decimal | None

    @property
    def indicator(self) -> Indicator:
        return self.target.indicator

    @property
    def target_value(self):
        return plain(self.target.value)

    @property
    def achieved_value(self):
        """Two decimals at most (an average month is rarely whole)."""
        return plain(self.achieved.quantize(Decimal("0.01"))) if self.achieved is not None else None

    @property
    def percent(self) -> int | None:
        if self.achieved is None or not self.target.value:
            return None
        return round(100 * self.achieved / self.target.value)

    @property
    def bar_width(self) -> int:
        """The progress bar's width: full at the target, however far beyond it."""
        return min(self.percent or 0, 100)


def year_months(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 1)


def targets_of(organisation_ids, year: int, *, indicator: Indicator | None = None, related=(), user=None):
    """The year's targets of these organisations (a list, or a queryset of ids used as a subquery),
    with their indicators, centres and ``related`` (1 query); with ``user``, only those they may see."""
    if not isinstance(organisation_ids, models.QuerySet):
        organisation_ids = list(organisation_ids)
    targets = Target.objects.for_user(user) if user is not None else Target.objects.all()
    targets = targets.of_year(year).filter(organisation_id__in=organisation_ids)
    if indicator is not None:
        targets = targets.filter(indicator=indicator, centre__isnull=True)
    return targets.select_related("indicator", "centre", *related).order_by(
        "organisation_id", "centre__name", "indicator__scope", "indicator__order"
    )


def achieved(targets: list[Target], year: int) -> dict[tuple, Decimal | None]:
    """Each target's figure so far, by (organisation id, centre id or None, indicator id) (1 query,
    none without targets). Every centre's months are read per centre (a unit of the roll-up) so the
    organisation's figure is the indicator's roll-up over its centres."""
    if not targets:
        return {}
    first, last = year_months(year)
    organisation_ids = {t.organisation_id for t in targets}
    indicators = {t.indicator_id: t.indicator for t in targets}
    rows = (
        ReportValue.objects.filter(
            report__organisation_id__in=organisation_ids,
            indicator_id__in=list(indicators),
            month__gte=first,
            month__lte=last,
            # The same months on the report (a value's month is its report's): PostgreSQL then starts
            # from the organisations' reports of the year and reads their values by report, instead
            # of every value of the indicator in the network (at 100x, 40 ms instead of 100 ms).
            report__month__gte=first,
            report__month__lte=last,
            report__status__in=COUNTED_STATUSES,
        )
        .values_list("report__organisation_id", "centre_id", "indicator_id")
        .annotate(**month_aggregates())
        .values_list("report__organisation_id", "centre_id", "indicator_id", *MONTH_COLUMNS)
        .order_by()
    )
    units: dict[tuple, list[UnitMonths | None]] = defaultdict(list)
    for organisation_id, centre_id, indicator_id, *aggregates in rows:
        unit = UnitMonths.from_row(*aggregates)
        units[(organisation_id, None, indicator_id)].append(unit)
        if centre_id is not None:
            units[(organisation_id, centre_id, indicator_id)].append(unit)
    return {key: rollup(indicators[key[2]], found) for key, found in units.items()}


def achievements(
    organisation_ids, year: int, *, indicator=None, related=(), user=None
) -> dict[int, list[Achievement]]:
    """Every target of the organisations for the year with its achievement, by organisation
    (2 queries); with ``user``, only the targets they may see (``Target.objects.for_user``)."""
    targets = list(targets_of(organisation_ids, year, indicator=indicator, related=related, user=user))
    figures = achieved(targets, year)
    result: dict[int, list[Achievement]] = defaultdict(list)
    for target in targets:
        key = (target.organisation_id, target.centre_id, target.indicator_id)
        result[target.organisation_id].append(Achievement(target, figures.get(key)))
    return result


def indicators_with_targets(year: int) -> list[Indicator]:
    """The indicators some organisation has a target for in the year (1 query): the grid's choice."""
    return list(
        Indicator.objects.filter(targets__year=year, targets__centre__isnull=True)
        .distinct()
        .order_by("scope", "order", "code")
    )


def by_organisation(
    organisation_ids: Iterable[int], year: int, indicator: Indicator
) -> dict[int, Achievement]:
    """Each organisation's whole-organisation target for one indicator with its achievement (2 queries)."""
    found = achievements(organisation_ids, year, indicator=indicator)
    return {org_id: rows[0] for org_id, rows in found.items() if rows}


class GridAchievement(NamedTuple):
    """An organisation's whole-organisation target and the share of it achieved, as the grid shows them."""

    target_value: object
    percent: int | None


# In the cache key: a deploy that changes what an entry holds must not read the entries of the one before.
GRID_ENTRY_FORMAT = 1
GRID_CACHE_SECONDS = 3600


def grid_achievements(
    organisation_ids: Iterable[int], year: int, indicator: Indicator
) -> dict[int, GridAchievement]:
    """``by_organisation`` for a page of the grid, from the cache while nothing it rests on changed
    (1 query on a hit, 3 on a miss; the same for every hub person).

    The figures change with reports (each save sets a new data version,
    ``partners.coverage.data_changed``) and the indicator's roll-up (its ``updated_at``); the targets
    are fingerprinted by one aggregate (how many, the highest id, the sums of ids and values, the
    latest ``updated_at``, which every save and ``do_set_targets``' bulk writes set; one save changes
    one organisation's target, so the sum of values moves whenever a value does), so a target set,
    changed or deleted shows at once without a signal of its own."""
    from partners.coverage import cached_as_of_version

    ids = sorted(set(organisation_ids))
    if not ids:
        return {}
    prints = (
        Target.objects.of_year(year)
        .filter(indicator=indicator, centre__isnull=True)
        .aggregate(
            n=models.Count("pk"),
            top=models.Max("pk"),
            ids=models.Sum("pk"),
            values=models.Sum("value"),
            at=models.Max("updated_at"),
        )
    )
    changed = indicator.updated_at.isoformat() if indicator.updated_at else ""
    parts = [
        changed,
        *(str(prints[name]) for name in ("n", "top", "ids", "values", "at")),
        ",".join(map(str, ids)),
    ]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
    key = f"reports:grid-achieved:{GRID_ENTRY_FORMAT}:{year}:{indicator.pk}:{digest}"
    return cached_as_of_version(
        key,
        lambda: {
            org_id: GridAchievement(achievement.target_value, achievement.percent)
            for org_id, achievement in by_organisation(ids, year, indicator).items()
        },
        GRID_CACHE_SECONDS,
    )


def current_year() -> int:
    """The year whose targets pages show first: the year of last month (January shows December's year)."""
    today = timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).year


def organisation_panels(request, organisation) -> list[dict]:
    """The organisation page's box (``partners.hooks.organisation_panels``): its targets for the year
    and the achievement to date, for the hub and the organisation's own people only (2 queries)."""
    user = request.user
    own = user.is_authenticated and user.is_partner and user.organisation_id == organisation.pk
    if not (user.is_authenticated and (user.is_hub or own)):
        return []
    year = current_year()
    rows = achievements([organisation.pk], year, user=user).get(organisation.pk, [])
    if not rows and not user.is_hub:
        return []
    return [
        {
            "template": PANEL_TEMPLATE,
            "organisation_id": organisation.pk,
            "year": year,
            "rows": rows,
            "can_set": user.is_hub,
        }
    ]


# ---------------------------------------------------------------------------------------------
# Setting targets


def target_indicators(year: int) -> list[Indicator]:
    """Numeric indicators (yes/no answers have no target) asked at some point of the year (1 query)."""
    first, last = year_months(year)
    return list(
        Indicator.objects.numeric()
        .exclude(value_type=ValueType.BOOLEAN)
        .filter(valid_from__lte=last)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=first))
        .order_by("scope", "order", "code")
    )


def target_centres(organisation, year: int) -> list[Centre]:
    """The organisation's centres operating at some point of the year (1 query)."""
    first, last = year_months(year)
    return list(
        Centre.objects.filter(organisation=organisation, opened_on__isnull=False, opened_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .order_by("opened_on", "name")
    )


def stamp(organisation, year: int) -> str:
    """A fingerprint of the targets of an organisation and year as they are now (every row's id,
    figure and last change). A save that finds another one was preceded by someone else's (1 query)."""
    rows = Target.objects.filter(organisation=organisation, year=year).order_by("pk")
    text = ";".join(
        f"{pk}={value}@{updated:%Y%m%d%H%M%S%f}"
        for pk, value, updated in rows.values_list("pk", "value", "updated_at")
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def field_name(centre_id: int | None, indicator: Indicator) -> str:
    return f"c{centre_id}__{indicator.code}" if centre_id else f"org__{indicator.code}"


class TargetsForm(StyledForm):
    """The targets of one organisation for one year: every indicator for the whole organisation,
    then, optionally, the centre indicators per centre. An empty field means no target (one that
    was set is removed). The stamp of the targets loaded comes back with the figures."""

    loaded = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args, organisation, year, indicators, centres, current: dict, loaded: str, **kwargs):
        self.organisation = organisation
        self.year = year
        self.indicators = indicators
        self.centres = centres
        initial = {"loaded": loaded}
        for key, indicator in self.cells():
            value = current.get((key, indicator.pk))
            initial[field_name(key, indicator)] = plain(value)
        super().__init__(*args, initial=initial, **kwargs)
        for key, indicator in self.cells():
            self.fields[field_name(key, indicator)] = forms.DecimalField(
                label=indicator.label,
                help_text=indicator.rollup_label,
                required=False,
                min_value=TARGET_BOUNDS.minimum,
                max_value=TARGET_BOUNDS.maximum,
                max_digits=14,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            )
            self.fields[field_name(key, indicator)].indicator = indicator

    def cells(self):
        for indicator in self.indicators:
            yield None, indicator
        centre_indicators = [i for i in self.indicators if i.scope == Scope.CENTRE]
        for centre in self.centres:
            for indicator in centre_indicators:
                yield centre.pk, indicator

    def sections(self):
        """For the template: [(centre or None, [bound fields])]."""
        result = []
        for centre in [None, *self.centres]:
            key = centre.pk if centre else None
            fields = [self[field_name(k, i)] for k, i in self.cells() if k == key]
            result.append((centre, fields))
        return result

    def values(self) -> dict[tuple, Decimal | None]:
        """(centre id or None, indicator) -> the target typed (None: no target)."""
        return {
            (key, indicator): self.cleaned_data.get(field_name(key, indicator))
            for key, indicator in self.cells()
        }


def current_targets(organisation, year: int) -> dict[tuple, Decimal]:
    """(centre id or None, indicator id) -> target (1 query)."""
    return {
        (centre_id, indicator_id): value
        for centre_id, indicator_id, value in Target.objects.filter(
            organisation=organisation, year=year
        ).values_list("centre_id", "indicator_id", "value")
    }


def do_set_targets(organisation, year: int, values: dict, *, by, loaded: str) -> int:
    """Store the targets typed for an organisation and year in one transaction; refused
    (``StaleObjectError``, nothing saved) when someone saved this organisation's targets for the year
    since the form was loaded. Returns how many targets changed."""
    try:
        with transaction.atomic():
            existing = {
                (t.centre_id, t.indicator_id): t
                for t in Target.objects.select_for_update()
                .filter(organisation=organisation, year=year)
                .order_by("pk")
            }
            if stamp(organisation, year) != loaded:
                raise StaleObjectError(organisation)
            to_create, to_update, to_delete = [], [], []
            now = timezone.now()
            for (centre_id, indicator), value in values.items():
                current = existing.get((centre_id, indicator.pk))
                if value is None:
                    if current:
                        to_delete.append(current.pk)
                elif current is None:
                    to_create.append(
                        Target(
                            organisation=organisation,
                            centre_id=centre_id,
                            indicator=indicator,
                            year=year,
                            value=value,
                            set_by=by,
                        )
                    )
                elif current.value != value:
                    current.value, current.set_by, current.updated_at = value, by, now
                    to_update.append(current)
            Target.objects.filter(pk__in=to_delete).delete()
            Target.objects.bulk_update(to_update, ["value", "set_by", "updated_at"])
            Target.objects.bulk_create(to_create)
            if to_create or to_update or to_delete:
                _tell_directors(organisation, year, by)
    except IntegrityError:
        # Two first saves at once: the unique constraint let one through; this one saved nothing.
        raise StaleObjectError(organisation) from None
    return len(to_create) + len(to_update) + len(to_delete)


# The organisation's director waits for the targets agreed with the hub: told at once, by the site
# and by e-mail (through the outbox, once the save commits).
TARGETS_SET = register_kind("reports.targets_set", _("Yearly targets set by the hub"), roles={Role.DIRECTOR})


def _tell_directors(organisation, year: int, by) -> None:
    """Notify the organisation's active directors that its targets for ``year`` changed; each save
    is its own step (the targets' new stamp), so a later change is told again."""
    from partners.models import User

    step = f"targets:{year}:{stamp(organisation, year)}"
    directors = User.objects.filter(organisation=organisation, role=Role.DIRECTOR, is_active=True).exclude(
        pk=by.pk
    )
    context = {"org": organisation.display_name, "year": year}
    for director in directors.order_by("pk"):
        # Written in the director's language by notify.
        notify(
            TARGETS_SET.code,
            director,
            key=object_key(organisation),
            step=step,
            subject=lambda: gettext("The hub set the targets of %(org)s for %(year)s") % context,
            body=lambda: (
                gettext(
                    "The hub set or changed the targets of %(org)s for %(year)s. The organisation's page "
                    "shows them with the achievement to date."
                )
                % context
            ),
            url=organisation.get_absolute_url(),
        )
