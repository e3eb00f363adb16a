"""A first draft of an annual (or half-year) report's words, from the period's data.

Nobody should start from a blank page: ``draft`` writes the foreword, the highlights (the headline
figures against last year, the biggest growth, the busiest month, new centres and partners, meetings
held, training completed, help hours between partners), the challenges (figures that fell, reports
missing, prefectures still without a centre, the difficulties partners wrote down) and the plan
(next year's targets, the prefectures to reach), in the language active when it is called (the
reader's; Chinese by default). Figures come from ``content.gather`` (the same roll-up as the PDF),
so the draft and the printed numbers agree. Funders, thanks and contact are carried over from the
previous period's text when there is one. Everything here only reads; the caller saves.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from mutualaid.models import HelpHours
from partners.models import Organisation
from training.choices import ApplicationStatus
from training.models import Application, Certificate

from .. import periods as months
from ..choices import COUNTED_STATUSES
from ..models import AnnualNarrative, ReportValue, Target
from ..rollup import figure_heading
from ..units import thousands
from . import periods
from .choices import PeriodKind, ReportScope
from .content import NOT_PARTNERS, SERVICE_CODES, Figure, RegionalContent, gather, number

# The headline figures, in the order a reader expects them (seed 003: services, person-times,
# families, volunteers and their time, book loans, classes graduated). Absent codes are skipped.
HEADLINE_CODES = (
    "child_visits",
    "families_served",
    "new_families",
    "volunteers",
    "new_volunteers",
    "volunteer_turnouts",
    "volunteer_hours",
    "book_loans",
    "classes_graduated",
)
TOP_PARTNERS = 3
MAX_NAMES = 5
MAX_DIFFICULTIES = 3
FIELDS = ("foreword", "highlights", "challenges", "next_plan", "thanks", "funders", "contact")


@dataclass
class _Facts:
    """What the draft says, read once; the sections only word it."""

    organisation: Organisation | None
    name: str
    period: str
    last_period: str
    content: RegionalContent
    previous: dict[int, float | None]
    new_partners: list[str]
    training_completed: int
    certificates: int
    help_hours: dict
    difficulties: list[str]
    next_targets: list[tuple[str, float]]
    carried: AnnualNarrative | None
    hub: Organisation | None


def draft(
    organisation: Organisation | None, kind: str, start: datetime.date, *, today=None
) -> dict[str, str]:
    """The draft text of each narrative field (``FIELDS``) for the region (``organisation`` None) or one
    organisation, for the year or half-year starting ``start``."""
    facts = _facts(organisation, kind, periods.normalise(kind, start), today or timezone.localdate())
    return {
        "foreword": _foreword(facts),
        "highlights": _lines(_highlights(facts)),
        "challenges": _lines(_challenges(facts)),
        "next_plan": _lines(_plan(facts)),
        "thanks": _thanks(facts),
        "funders": facts.carried.funders if facts.carried else "",
        "contact": _contact(facts),
    }


def _facts(organisation, kind, start, today) -> _Facts:
    scope = {"scope": ReportScope.ORGANISATION, "organisation": organisation} if organisation else {}
    content = gather(kind, start, today=today, **scope)
    # "Against last year": a year's previous period is last year; a half-year is compared with the
    # same half of last year, not with the half before it (seasons differ).
    if kind == PeriodKind.YEAR:
        previous = {pk: figure.previous for pk, figure in content.totals.items()}
        last_start = periods.previous(kind, start)
    else:
        last_start = months.add_months(start, -12)
        last = gather(kind, last_start, today=today, **scope)
        previous = {pk: figure.current for pk, figure in last.totals.items()}
    first, end = periods.bounds(kind, start)
    hub = Organisation.objects.filter(is_hub=True).order_by("pk").first()
    named = organisation or hub
    return _Facts(
        organisation=organisation,
        name=(named.name if named else str(_("Guangxi region"))),
        period=periods.label(kind, start),
        last_period=periods.label(kind, last_start),
        content=content,
        previous=previous,
        new_partners=_new_partners(organisation, first, end),
        **_training(organisation, first, end),
        help_hours=_help_hours(organisation, first, end),
        difficulties=_difficulties(organisation, first, end),
        next_targets=_next_targets(organisation, kind, start),
        carried=AnnualNarrative.objects.filter(
            organisation=organisation, period_kind=kind, period_start=periods.previous(kind, start)
        ).first(),
        hub=hub,
    )


def _new_partners(organisation, first, end) -> list[str]:
    if organisation is not None:
        return []
    return list(
        Organisation.objects.filter(is_hub=False, joined_on__gte=first, joined_on__lte=end)
        .exclude(status__in=NOT_PARTNERS)
        .order_by("joined_on", "name")
        .values_list("name", flat=True)
    )


def _training(organisation, first, end) -> dict:
    """Learners who completed a talent-programme module in the period, and certificates issued."""
    applications = Application.objects.filter(
        status=ApplicationStatus.COMPLETED, completed_on__gte=first, completed_on__lte=end
    )
    certificates = Certificate.objects.filter(issued_on__gte=first, issued_on__lte=end, revoked=False)
    if organisation is not None:
        applications = applications.filter(organisation=organisation)
        certificates = certificates.filter(application__organisation=organisation)
    return {"training_completed": applications.count(), "certificates": certificates.count()}


def _help_hours(organisation, first, end) -> dict:
    """The help-hours ledger in the period: the network's summary, or what one organisation gave and
    received (seed 004: "10 mentors and 11 teams gave 24 organisations nearly 100 hours")."""
    entries = HelpHours.objects.filter(given_on__gte=first, given_on__lte=end)
    if organisation is None:
        summary = entries.summary()
        return {
            "mentors": summary.mentors,
            "teams": summary.teams,
            "organisations": summary.organisations,
            "hours": number(summary.hours),
        }
    row = entries.aggregate(
        given=Sum("hours", filter=Q(giver=organisation)),
        received=Sum("hours", filter=Q(receiver=organisation)),
        helped=Count("receiver", filter=Q(giver=organisation), distinct=True),
    )
    return {
        "given": number(row["given"]) or 0,
        "received": number(row["received"]) or 0,
        "helped": row["helped"],
    }


def _difficulties(organisation, first, end) -> list[str]:
    """An organisation's own words about its difficulties in the period's reports, latest first."""
    if organisation is None:
        return []
    texts = (
        ReportValue.objects.filter(
            report__organisation=organisation,
            report__status__in=COUNTED_STATUSES,
            indicator__code="difficulties",
            month__gte=first,
            month__lte=end,
        )
        .exclude(text="")
        .order_by("-month")
        .values_list("text", flat=True)
    )
    seen: list[str] = []
    for text in texts:
        text = " ".join(text.split())
        if text not in seen:
            seen.append(text)
        if len(seen) == MAX_DIFFICULTIES:
            break
    return seen


def _next_targets(organisation, kind, start) -> list[tuple[str, float]]:
    """The organisation's whole-organisation targets for next year, if the hub has set them."""
    if organisation is None or kind != PeriodKind.YEAR:
        return []
    targets = (
        Target.objects.filter(organisation=organisation, year=start.year + 1, centre__isnull=True)
        .select_related("indicator")
        .order_by("indicator__order", "indicator__code")
    )
    return [(figure_heading(t.indicator), number(t.value)) for t in targets]


# Wording ---------------------------------------------------------------------------------------


def _SEP() -> str:  # noqa: N802 - reads as the separator it is
    # Chinese lists names with 、, English with a comma.
    return pgettext("list separator", ", ")


def _num(value) -> str:
    # As the year-in-numbers pages print it (6,504; 125.67), in either language: Chinese number
    # formats group no thousands, and a draft of "6504" beside a table of "6,504" reads as two figures.
    return thousands(number(value))


def _lines(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _by_code(facts: _Facts) -> dict:
    return {i.code: i for i in facts.content.indicators}


def _current(facts: _Facts, indicator) -> float | None:
    return facts.content.totals.get(indicator.pk, Figure()).current


def _change(facts: _Facts, indicator) -> str:
    """ ", up 12% on 2024" / ", 2024: none" or "" when there is nothing to compare."""
    current, previous = _current(facts, indicator), facts.previous.get(indicator.pk)
    if current is None or previous is None:
        return ""
    if not previous:
        return _(" (none in %(period)s)") % {"period": facts.last_period} if current else ""
    pct = round(100 * (current - previous) / previous)
    if pct > 0:
        return _(" (up %(pct)s%% on %(period)s)") % {"pct": pct, "period": facts.last_period}
    if pct < 0:
        return _(" (down %(pct)s%% on %(period)s)") % {"pct": -pct, "period": facts.last_period}
    return _(" (as in %(period)s)") % {"period": facts.last_period}


def _services(facts: _Facts) -> float:
    by_code = _by_code(facts)
    return sum(_current(facts, by_code[c]) or 0 for c in SERVICE_CODES if c in by_code)


def _foreword(facts: _Facts) -> str:
    c = facts.content
    values = {
        "period": facts.period,
        "name": facts.name,
        "centres": _num(c.centres_operating),
        "partners": _num(c.to_supervise),
        "services": _num(_services(facts)),
    }
    if facts.organisation is None:
        text = _(
            "In %(period)s, %(name)s and %(partners)s partner organisations ran %(centres)s parent-child "
            "centres and held %(services)s services for young children and their carers. This report "
            "tells the period in figures and in stories, with our thanks to all who made it possible."
        )
    else:
        text = _(
            "In %(period)s, %(name)s ran %(centres)s parent-child centres and held %(services)s services "
            "for young children and their carers. This report tells the period in figures and in "
            "stories, with our thanks to all who made it possible."
        )
    return text % values


def _highlights(facts: _Facts) -> list[str]:
    c, by_code = facts.content, _by_code(facts)
    lines = []
    services = _services(facts)
    if services:
        lines.append(_("Services held: %(value)s") % {"value": _num(services)})
    for code in HEADLINE_CODES:
        indicator = by_code.get(code)
        value = _current(facts, indicator) if indicator else None
        if not value:
            continue
        # The heading carries the unit and how months add up (families: in an average month).
        lines.append(
            _("%(label)s: %(value)s%(change)s")
            % {"label": figure_heading(indicator), "value": _num(value), "change": _change(facts, indicator)}
        )
    lines += _growth_and_peak(facts)
    if facts.organisation is None:
        top = _top_partners(facts)
        if top:
            lines.append(
                _("Most child visits: %(names)s") % {"names": pgettext("list separator", "; ").join(top)}
            )
    if c.openings:
        names = _SEP().join(name for name, _org, _day in c.openings[:MAX_NAMES])
        lines.append(_("New centres: %(count)s (%(names)s)") % {"count": len(c.openings), "names": names})
    if facts.new_partners:
        names = _SEP().join(facts.new_partners[:MAX_NAMES])
        lines.append(
            _("New partner organisations: %(count)s (%(names)s)")
            % {"count": len(facts.new_partners), "names": names}
        )
    if c.meetings and facts.organisation is not None:
        # A partner's text counts the meetings it attended, not the network's meetings held.
        lines.append(
            _("Network meetings attended: %(attended)s of %(count)s held; %(present)s person-times present")
            % {"attended": c.meetings_attended, "count": len(c.meetings), "present": c.attendance[1]}
        )
    elif c.meetings:
        invited, present = c.attendance
        kinds = {}
        for meeting in c.meetings:
            kinds[meeting.kind_label] = kinds.get(meeting.kind_label, 0) + 1
        values = {
            "count": len(c.meetings),
            "kinds": _SEP().join(f"{label} {n}" for label, n in kinds.items()),
            "present": present,
            "invited": invited,
        }
        if invited:
            text = _(
                "Network meetings held: %(count)s (%(kinds)s); %(present)s of %(invited)s invitations attended"
            )
        else:
            text = _("Network meetings held: %(count)s (%(kinds)s)")
        lines.append(text % values)
    supervisions = sum(row.supervisions for row in c.by_organisation)
    if facts.organisation is not None and supervisions:
        # Not the network's coverage ("1 organisation supervised"): the sessions this partner received.
        lines.append(_("Supervision visits from the hub: %(count)s") % {"count": supervisions})
    elif facts.organisation is None and c.supervised:
        lines.append(
            _("Individual supervisions: %(count)s organisations supervised") % {"count": c.supervised}
        )
    if facts.training_completed:
        lines.append(
            _(
                "Talent programme: %(count)s learners completed their module, %(certificates)s certificates issued"
            )
            % {"count": facts.training_completed, "certificates": facts.certificates}
        )
    lines += _help_lines(facts)
    if facts.organisation is not None and (c.coaching_sessions or c.study_visits or c.funding_approved):
        lines.append(
            _(
                "Support from the network: %(coaching)s coaching sessions, %(visits)s study visits, "
                "%(funding)s expansion funding grants"
            )
            % {"coaching": c.coaching_sessions, "visits": c.study_visits, "funding": c.funding_approved}
        )
    if facts.organisation is None and (c.members or c.funding_approved or c.study_visits):
        lines.append(
            _(
                "Mutual-aid group: %(members)s member organisations, %(funding)s expansion funding grants, "
                "%(visits)s study visits"
            )
            % {"members": c.members, "funding": c.funding_approved, "visits": c.study_visits}
        )
    return lines


def _growth_and_peak(facts: _Facts) -> list[str]:
    """The figure that grew most against last year, and the busiest month for child visits."""
    lines = []
    best = None
    for indicator in facts.content.indicators:
        current, previous = _current(facts, indicator), facts.previous.get(indicator.pk)
        if not current or not previous:
            continue
        pct = 100 * (current - previous) / previous
        if pct > 0 and (best is None or pct > best[0]):
            best = (pct, indicator)
    if best is not None:
        lines.append(
            _("Biggest growth: %(label)s, up %(pct)s%% on %(period)s")
            % {"label": best[1].label, "pct": round(best[0]), "period": facts.last_period}
        )
    visits = _by_code(facts).get("child_visits")
    monthly = facts.content.monthly.get(visits.pk) if visits else None
    if monthly and max(monthly) > 0:
        peak = max(range(len(monthly)), key=lambda n: monthly[n])
        month = facts.content.months[peak]
        lines.append(
            _("Busiest month: %(month)s, with %(value)s child visits")
            % {
                "month": _("%(year)s-%(month)02d") % {"year": month.year, "month": month.month},
                "value": _num(monthly[peak]),
            }
        )
    return lines


def _top_partners(facts: _Facts) -> list[str]:
    visits = _by_code(facts).get("child_visits")
    if visits is None:
        return []
    rows = [
        (row.figures[visits.pk].current, row.organisation)
        for row in facts.content.by_organisation
        if visits.pk in row.figures and row.figures[visits.pk].current
    ]
    rows.sort(key=lambda r: (-r[0], r[1].name))
    return [f"{org.short_name or org.name} {_num(value)}" for value, org in rows[:TOP_PARTNERS]]


def _help_lines(facts: _Facts) -> list[str]:
    hours = facts.help_hours
    if facts.organisation is None:
        if not hours["hours"]:
            return []
        # Mentors and teams are 0 when the hours are pioneer visits: the sentence names what always holds.
        return [
            _("Help between partners: %(organisations)s organisations received %(hours)s hours of help")
            % {"organisations": hours["organisations"], "hours": _num(hours["hours"])}
        ]
    lines = []
    if hours["given"]:
        lines.append(
            _("Help given to other partners: %(hours)s hours to %(helped)s organisations")
            % {"hours": _num(hours["given"]), "helped": hours["helped"]}
        )
    if hours["received"]:
        lines.append(
            _("Help received from other partners: %(hours)s hours") % {"hours": _num(hours["received"])}
        )
    return lines


def _challenges(facts: _Facts) -> list[str]:
    c = facts.content
    lines = []
    for indicator in c.indicators:
        current, previous = _current(facts, indicator), facts.previous.get(indicator.pk)
        if current is None or not previous or current >= previous:
            continue
        lines.append(
            _("%(label)s fell from %(previous)s to %(current)s")
            % {"label": figure_heading(indicator), "previous": _num(previous), "current": _num(current)}
        )
    missing = c.rate.expected - c.rate.reported
    if missing > 0:
        lines.append(
            _("%(missing)s of %(expected)s monthly reports were not handed in")
            % {"missing": missing, "expected": c.rate.expected}
        )
    if facts.organisation is None and c.coverage.uncovered:
        lines.append(_("Prefectures still without a centre: %(names)s") % {"names": _uncovered(facts)})
    for text in facts.difficulties:
        lines.append(_("From our monthly reports: %(text)s") % {"text": text})
    return lines


def _uncovered(facts: _Facts) -> str:
    english = (get_language() or "").startswith("en")
    names = [
        (p.prefecture.name_en if english and p.prefecture.name_en else p.prefecture.name)
        for p in facts.content.coverage.uncovered
    ]
    return _SEP().join(names)


def _plan(facts: _Facts) -> list[str]:
    lines = []
    for label, value in facts.next_targets:
        lines.append(_("%(label)s: target %(value)s") % {"label": label, "value": _num(value)})
    if facts.organisation is None and facts.content.coverage.uncovered:
        lines.append(
            _("Reach the prefectures still without a centre: %(names)s") % {"names": _uncovered(facts)}
        )
    return lines


def _thanks(facts: _Facts) -> str:
    if facts.carried and facts.carried.thanks:
        return facts.carried.thanks
    return _(
        "We thank our funders, partner organisations, volunteers and every family for their trust and "
        "support in %(period)s."
    ) % {"period": facts.period}


def _contact(facts: _Facts) -> str:
    if facts.carried and facts.carried.contact:
        return facts.carried.contact
    org = facts.organisation or facts.hub
    if org is None:
        return ""
    parts = [org.name, org.contact_name, org.contact_phone, org.contact_email]
    return "\n".join(p for p in parts if p)


__all__ = ["draft", "FIELDS"]
