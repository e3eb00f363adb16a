"""The five screening criteria, as code. Policy (which are required, thresholds) is data.

Each evaluator takes an organisation whose facts were loaded by ``load_facts`` and an evaluation
date, and returns a ``CriterionResult``: met / not met / unknown, the evidence it used (JSON-ready) and
one sentence explaining it. Evaluators only read the loaded facts, so evaluating every organisation
costs a fixed number of queries; the facts are plain rows, with what the evaluators would loop over
(each centre's latest assessment, help hours given) worked out by PostgreSQL.
"""

from __future__ import annotations

import datetime
import functools
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as django_gettext
from django.utils.translation import ngettext as django_ngettext

from hubsite.core import validators as bounds
from partners.choices import ACTIVE_EXPANSION_STATUSES, ExpansionStatus, Rating
from partners.models import Organisation

from .choices import CRITERIA_ORDER, Criterion, Status


@functools.lru_cache(maxsize=4096)
def _translated(language: str | None, *message) -> str:
    if len(message) == 1:
        return django_gettext(message[0])
    return django_ngettext(*message)


# The language of the evaluation running in this context (``evaluate_all`` sets it): Django's
# get_language() walks a thread-local through asgiref, and the network's evaluation asked it 10,000 times.
_evaluation_language: ContextVar[str | None] = ContextVar("mutualaid_evaluation_language", default=None)


def _language() -> str | None:
    language = _evaluation_language.get()
    return get_language() if language is None else language


# gettext and ngettext remembered per language: evaluating the network asks for the same few dozen
# sentences 15,000 times, which was a third of the time of a first visit after a change. Named as
# Django's, so makemessages still finds the messages.
def _(message: str) -> str:
    return _translated(_language(), message)


def ngettext(singular: str, plural: str, number: int) -> str:
    return _translated(_language(), singular, plural, number)


# The explanations are sentences of this app's own; their words live in its own catalogue.
RATING_WORDS = {
    Rating.EXCELLENT: pgettext_lazy("rating", "Excellent"),
    Rating.GOOD: pgettext_lazy("rating", "Good"),
    Rating.MEETS_STANDARD: pgettext_lazy("rating", "Meets standard"),
    Rating.NEEDS_IMPROVEMENT: pgettext_lazy("rating", "Needs improvement"),
}
PLAN_WORDS = {
    ExpansionStatus.PLANNED: pgettext_lazy("expansion plan", "planned"),
    ExpansionStatus.IN_PROGRESS: pgettext_lazy("expansion plan", "in progress"),
}
WORDS = {"rating": RATING_WORDS, "plan": PLAN_WORDS}


@functools.lru_cache(maxsize=256)
def _word(language: str | None, group: str, key: str) -> str:
    found = WORDS[group].get(key)
    return key if found is None else str(found)


def word(group: str, key: str) -> str:
    """A rating's or plan status's word in the reader's language (the key itself if unknown)."""
    return _word(_language(), group, key)


@dataclass
class CriterionResult:
    """One criterion for one organisation: status, the evidence read and why."""

    code: str
    status: str
    evidence: dict
    explanation: str
    required: bool = True

    @property
    def number(self) -> int:
        return CRITERIA_ORDER.index(self.code) + 1

    @property
    def label(self) -> str:
        return Criterion(self.code).label

    @property
    def is_met(self) -> bool:
        return self.status == Status.MET

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "status": self.status,
            "evidence": self.evidence,
            "explanation": self.explanation,
            "required": self.required,
        }


@dataclass
class Evaluation:
    """All five results for one organisation as of a date, and what the policy makes of them."""

    organisation: Organisation
    as_of: datetime.date
    policy: object
    results: list[CriterionResult] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """Required criteria that are not met (unknown counts as not met: no evidence, no credit)."""
        return [r.code for r in self.results if r.required and not r.is_met]

    @property
    def optional_shortfall(self) -> int:
        met = sum(1 for r in self.results if not r.required and r.is_met)
        return max(0, self.policy.min_optional_met - met)

    @property
    def missing_count(self) -> int:
        return len(self.missing) + self.optional_shortfall

    @property
    def qualifies(self) -> bool:
        return self.missing_count == 0

    def result(self, code: str) -> CriterionResult:
        return next(r for r in self.results if r.code == code)

    def snapshot(self) -> dict:
        return {
            "organisation": {"id": self.organisation.pk, "name": self.organisation.name},
            "as_of": self.as_of.isoformat(),
            "policy": self.policy.as_dict(),
            "criteria": [r.as_dict() for r in self.results],
            "qualifies": self.qualifies,
            "missing": self.missing,
            "optional_shortfall": self.optional_shortfall,
        }


# ---------------------------------------------------------------------------------------------
# Helpers


def add_months(day: datetime.date, months: int) -> datetime.date:
    # A start stored before the input bounds (9999-12-31 through the shell) gives "not yet", not a 500.
    return bounds.add_months(day, months)


def length_text(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    return ngettext("%(count)s month", "%(count)s months", months) % {"count": months}


def _month(day: datetime.date) -> str:
    return day.strftime("%Y-%m")


@dataclass(slots=True)
class CentreFacts:
    pk: int
    name: str
    opened_on: datetime.date
    closed_on: datetime.date | None
    latest: AssessmentFacts | None = None


@dataclass(slots=True)
class AssessmentFacts:
    pk: int
    assessed_on: datetime.date
    rating: str


@dataclass(slots=True)
class AwardFacts:
    pk: int
    year: int
    title: str
    issuer: str
    from_programme_funder: bool = True


@dataclass(slots=True)
class PlanFacts:
    pk: int
    planned_sites: int
    status: str
    target_date: datetime.date | None
    created_on: datetime.date


@dataclass(slots=True)
class ExperienceFacts:
    pk: int
    title: str
    area: str
    endorsed_on: datetime.date | None
    created_on: datetime.date


@dataclass(slots=True)
class Facts:
    """What the evaluators read about one organisation, as of the evaluation date."""

    centres: list[CentreFacts] = field(default_factory=list)
    awards: list[AwardFacts] = field(default_factory=list)
    plans: list[PlanFacts] = field(default_factory=list)
    experiences: list[ExperienceFacts] = field(default_factory=list)
    help_hours: Decimal = Decimal(0)
    organisations_helped: int = 0


def facts(org: Organisation) -> Facts:
    return org.evaluation_facts


def opened_centres(org: Organisation, as_of: datetime.date) -> list[CentreFacts]:
    """Centres opened on or before ``as_of``, earliest first (closed ones too: history counts)."""
    centres = [c for c in facts(org).centres if c.opened_on and c.opened_on <= as_of]
    return sorted(centres, key=lambda c: (c.opened_on, c.pk))


def open_centres(org: Organisation, as_of: datetime.date) -> list[CentreFacts]:
    """Centres operating on ``as_of`` by their dates (opened by then, not closed yet), earliest first."""
    return [c for c in opened_centres(org, as_of) if c.closed_on is None or c.closed_on > as_of]


def recorded_by(rows, as_of: datetime.date) -> list:
    """The rows recorded (``created_on``, the hub's day) on or before ``as_of``: later ones did not
    exist then."""
    return [row for row in rows if row.created_on <= as_of]


def latest_assessment(centre: CentreFacts, as_of: datetime.date) -> AssessmentFacts | None:
    """The centre's last assessment on or before ``as_of`` (chosen by PostgreSQL); None if none by then."""
    latest = centre.latest
    return latest if latest is not None and latest.assessed_on <= as_of else None


def load_facts(organisations: list[Organisation], as_of: datetime.date, queryset=None) -> None:
    """Set ``evaluation_facts`` on each organisation, in one query per kind of fact whatever their number.

    Rows come as tuples, not model instances (the network's 10,000 rows cost a second as models);
    each centre brings only its latest assessment by the date (DISTINCT ON), and the help hours
    given come summed per organisation.
    """
    from partners.models import Award, Centre, CentreAssessment, ExpansionPlan, SharedExperience

    from .models import HelpHours

    by_pk = {org.pk: Facts() for org in organisations}
    for org in organisations:
        org.evaluation_facts = by_pk[org.pk]
    if not by_pk:
        return
    # The organisations' query as a subquery: a thousand ids as parameters cost more to build than
    # the queries take to run.
    ids = queryset.values("pk") if queryset is not None else list(by_pk)
    zone = timezone.get_current_timezone()
    centres = {}
    for pk, org_id, name, opened_on, closed_on in (
        Centre.objects.filter(organisation_id__in=ids, opened_on__lte=as_of)
        .order_by("opened_on", "pk")
        .values_list("pk", "organisation_id", "name", "opened_on", "closed_on")
    ):
        if org_id in by_pk:  # the subquery may see an organisation the list did not
            centres[pk] = centre = CentreFacts(pk, name, opened_on, closed_on)
            by_pk[org_id].centres.append(centre)
    for centre_id, pk, assessed_on, rating in (
        CentreAssessment.objects.filter(
            centre__organisation_id__in=ids, centre__opened_on__lte=as_of, assessed_on__lte=as_of
        )
        .order_by("centre_id", "-assessed_on", "-pk")
        .distinct("centre_id")
        .values_list("centre_id", "pk", "assessed_on", "rating")
    ):
        if centre_id in centres:
            centres[centre_id].latest = AssessmentFacts(pk, assessed_on, rating)
    for org_id, pk, year, title, issuer in Award.objects.filter(
        organisation_id__in=ids, from_programme_funder=True, year__lte=as_of.year
    ).values_list("organisation_id", "pk", "year", "title", "issuer"):
        if org_id in by_pk:
            by_pk[org_id].awards.append(AwardFacts(pk, year, title, issuer))
    # Plans and experiences have no date of their own but the day they were recorded: one recorded
    # after the evaluation date did not exist then.
    for org_id, *row in (
        ExpansionPlan.objects.filter(
            organisation_id__in=ids, status__in=ACTIVE_EXPANSION_STATUSES, created_at__date__lte=as_of
        )
        .order_by("-created_at", "-pk")
        .values_list(
            "organisation_id",
            "pk",
            "planned_sites",
            "status",
            "target_date",
            TruncDate("created_at", tzinfo=zone),
        )
    ):
        if org_id in by_pk:
            by_pk[org_id].plans.append(PlanFacts(*row))
    for org_id, *row in (
        SharedExperience.objects.filter(organisation_id__in=ids, created_at__date__lte=as_of)
        .order_by("-endorsed_at", "-pk")
        .values_list(
            "organisation_id",
            "pk",
            "title",
            "area",
            TruncDate("endorsed_at", tzinfo=zone),
            TruncDate("created_at", tzinfo=zone),
        )
    ):
        if org_id in by_pk:
            by_pk[org_id].experiences.append(ExperienceFacts(*row))
    # Help given to other partners (mentoring, activities delivered) up to the evaluation date.
    for org_id, hours, helped in (
        HelpHours.objects.filter(giver_id__in=ids, given_on__lte=as_of)
        .values("giver_id")
        .annotate(total=Sum("hours"), helped=Count("receiver_id", distinct=True))
        .values_list("giver_id", "total", "helped")
    ):
        if org_id in by_pk:
            by_pk[org_id].help_hours, by_pk[org_id].organisations_helped = hours or Decimal(0), helped


# ---------------------------------------------------------------------------------------------
# The five evaluators


def project_year(org: Organisation, as_of: datetime.date, policy) -> CriterionResult:
    code = Criterion.PROJECT_YEAR
    start, source = org.project_started_on, "project_started_on"
    if start is None:
        centres = opened_centres(org, as_of)
        if centres:
            start, source = centres[0].opened_on, "first_centre_opened_on"
    length = length_text(policy.project_months)
    if start is None:
        return CriterionResult(
            code,
            Status.UNKNOWN,
            {"start": None, "source": None},
            _("No 0-3 project start date is recorded and no centre has opened yet."),
        )
    reached_on = add_months(start, policy.project_months)
    evidence = {
        "start": start.isoformat(),
        "source": source,
        "months_required": policy.project_months,
        "reached_on": reached_on.isoformat(),
    }
    values = {"start": _month(start), "length": length, "reached": reached_on.isoformat()}
    if source == "first_centre_opened_on":
        values["start"] = _("%(month)s (first centre opened)") % {"month": _month(start)}
    if reached_on <= as_of:
        return CriterionResult(
            code, Status.MET, evidence, _("0-3 project running since %(start)s, over %(length)s") % values
        )
    return CriterionResult(
        code,
        Status.NOT_MET,
        evidence,
        _("0-3 project running since %(start)s, not yet %(length)s (reached on %(reached)s)") % values,
    )


def first_centre_rating(org: Organisation, as_of: datetime.date, policy) -> CriterionResult:
    code = Criterion.FIRST_CENTRE_RATING
    centres = opened_centres(org, as_of)
    minimum = word("rating", policy.min_rating)
    if not centres:
        return CriterionResult(
            code, Status.NOT_MET, {"centre": None}, _("No centre had opened by the evaluation date.")
        )
    first = centres[0]
    latest = latest_assessment(first, as_of)
    evidence = {"centre": {"id": first.pk, "name": first.name, "opened_on": first.opened_on.isoformat()}}
    if latest is None:
        evidence["assessment"] = None
        return CriterionResult(
            code,
            Status.UNKNOWN,
            evidence,
            _("First centre %(centre)s has no operation assessment yet") % {"centre": first.name},
        )
    evidence["assessment"] = {
        "id": latest.pk,
        "assessed_on": latest.assessed_on.isoformat(),
        "rating": latest.rating,
        "minimum": policy.min_rating,
    }
    values = {
        "centre": first.name,
        "rating": word("rating", latest.rating),
        "month": _month(latest.assessed_on),
        "minimum": minimum,
    }
    if policy.rating_is_enough(latest.rating):
        return CriterionResult(
            code,
            Status.MET,
            evidence,
            _("First centre %(centre)s last rated %(rating)s (%(month)s)") % values,
        )
    return CriterionResult(
        code,
        Status.NOT_MET,
        evidence,
        _("First centre %(centre)s last rated %(rating)s (%(month)s); %(minimum)s or better is needed")
        % values,
    )


def funder_award(org: Organisation, as_of: datetime.date, policy) -> CriterionResult:
    code = Criterion.FUNDER_AWARD
    awards = sorted(
        (a for a in facts(org).awards if a.from_programme_funder and a.year <= as_of.year),
        key=lambda a: (-a.year, a.pk),
    )
    evidence = {
        "awards": [{"id": a.pk, "year": a.year, "title": a.title, "issuer": a.issuer} for a in awards]
    }
    if awards:
        return CriterionResult(
            code,
            Status.MET,
            evidence,
            _("Award from the programme funder: %(year)s %(title)s")
            % {"year": awards[0].year, "title": awards[0].title},
        )
    return CriterionResult(code, Status.NOT_MET, evidence, _("No award from the programme funder yet"))


def expansion_plan(org: Organisation, as_of: datetime.date, policy) -> CriterionResult:
    """Criterion 4, "expanding or has expanded": an open expansion plan recorded by ``as_of``, or a
    centre beyond the first operating on ``as_of``; the policy says which of the two count."""
    # Plan status has no history: a plan recorded by the date counts with the status it has when the
    # evaluation runs, which is why review rounds keep snapshots.
    code = Criterion.EXPANSION_PLAN
    plans = [p for p in recorded_by(facts(org).plans, as_of) if p.status in ACTIVE_EXPANSION_STATUSES]
    sites = open_centres(org, as_of)
    evidence = {
        "rule": policy.expansion_rule,
        "plans": [
            {
                "id": p.pk,
                "planned_sites": p.planned_sites,
                "status": p.status,
                "target_date": p.target_date.isoformat() if p.target_date else None,
            }
            for p in plans
        ],
        "open_centres": [{"id": c.pk, "name": c.name, "opened_on": c.opened_on.isoformat()} for c in sites],
        "met_by": [],
    }
    reasons = []
    if policy.counts_second_site and len(sites) > 1:
        evidence["met_by"].append("second_site")
        reasons.append(
            ngettext(
                "%(count)s centre operating; beyond the first, %(centre)s opened in %(month)s",
                "%(count)s centres operating; beyond the first, %(centre)s opened in %(month)s",
                len(sites),
            )
            % {"count": len(sites), "centre": sites[1].name, "month": _month(sites[1].opened_on)}
        )
    if policy.counts_plans and plans:
        evidence["met_by"].append("plan")
        plan = plans[0]
        if plan.target_date:
            text = _("Expansion plan %(status)s: %(sites)s new site(s) by %(target)s")
        else:
            text = _("Expansion plan %(status)s: %(sites)s new site(s)")
        values = {
            "status": word("plan", plan.status),
            "sites": plan.planned_sites,
            "target": _month(plan.target_date) if plan.target_date else "",
        }
        reasons.append(text % values)
    if reasons:
        return CriterionResult(code, Status.MET, evidence, _("; ").join(reasons))
    if policy.counts_plans and policy.counts_second_site:
        text = _("No planned or in-progress expansion plan and no second site operating")
    elif policy.counts_plans:
        text = _("No planned or in-progress expansion plan")
    else:
        text = _("No second site operating")
    return CriterionResult(code, Status.NOT_MET, evidence, text)


def shared_experience(org: Organisation, as_of: datetime.date, policy) -> CriterionResult:
    code = Criterion.SHARED_EXPERIENCE
    endorsed, waiting = [], 0
    org_facts = facts(org)
    for experience in recorded_by(org_facts.experiences, as_of):
        if experience.endorsed_on and experience.endorsed_on <= as_of:
            endorsed.append(experience)
        else:
            waiting += 1
    hours, helped = org_facts.help_hours, org_facts.organisations_helped
    evidence = {
        "endorsed": [
            {"id": e.pk, "title": e.title, "area": e.area, "endorsed_on": e.endorsed_on.isoformat()}
            for e in endorsed
        ],
        "not_endorsed": waiting,
        "help_hours": str(hours),
        "organisations_helped": helped,
    }
    # Hours given to other partners are experience shared in practice: they meet the criterion as an
    # endorsement does, and the explanation says so.
    help_text = (
        ngettext(
            "%(hours)s hours of help given to %(count)s organisation",
            "%(hours)s hours of help given to %(count)s organisations",
            helped,
        )
        % {"hours": format(hours.normalize(), "f"), "count": helped}
        if hours
        else ""
    )
    if endorsed:
        text = ngettext(
            "%(count)s shareable experience endorsed by the hub, e.g. %(title)s",
            "%(count)s shareable experiences endorsed by the hub, e.g. %(title)s",
            len(endorsed),
        ) % {"count": len(endorsed), "title": endorsed[0].title}
        return CriterionResult(code, Status.MET, evidence, f"{text}; {help_text}" if help_text else text)
    if help_text:
        return CriterionResult(code, Status.MET, evidence, help_text)
    if waiting:
        return CriterionResult(
            code,
            Status.NOT_MET,
            evidence,
            ngettext(
                "%(count)s shareable experience recorded, not yet endorsed by the hub",
                "%(count)s shareable experiences recorded, not yet endorsed by the hub",
                waiting,
            )
            % {"count": waiting},
        )
    return CriterionResult(code, Status.NOT_MET, evidence, _("No shareable experience recorded"))


EVALUATORS = {
    Criterion.PROJECT_YEAR: project_year,
    Criterion.FIRST_CENTRE_RATING: first_centre_rating,
    Criterion.FUNDER_AWARD: funder_award,
    Criterion.EXPANSION_PLAN: expansion_plan,
    Criterion.SHARED_EXPERIENCE: shared_experience,
}


def evaluate(org: Organisation, as_of: datetime.date, policy) -> Evaluation:
    """Evaluate one (prefetched) organisation with every criterion."""
    evaluation = Evaluation(org, as_of, policy)
    for code in CRITERIA_ORDER:
        result = EVALUATORS[code](org, as_of, policy)
        result.required = policy.is_required(code)
        evaluation.results.append(result)
    return evaluation


def evaluate_all(organisations=None, *, as_of: datetime.date | None = None, policy=None) -> list[Evaluation]:
    """Evaluate every organisation of the queryset (default: active partners) in a fixed number of queries."""
    from .models import EligibilityPolicy

    as_of = as_of or timezone.localdate()
    policy = policy or EligibilityPolicy.objects.current()
    if organisations is None:
        organisations = Organisation.objects.active().partners()
    queryset = organisations
    organisations = list(organisations.select_related("prefecture"))
    load_facts(organisations, as_of, queryset)
    return _evaluate_each(organisations, as_of, policy)


def _evaluate_each(organisations, as_of: datetime.date, policy) -> list[Evaluation]:
    token = _evaluation_language.set(get_language())
    try:
        return [evaluate(org, as_of, policy) for org in organisations]
    finally:
        _evaluation_language.reset(token)


@dataclass(slots=True)
class OrganisationSummary:
    """What readers of the network's evaluations show of an organisation (pickled small for the cache)."""

    pk: int
    name: str
    short_name: str
    prefecture: str | None

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def __str__(self) -> str:
        return self.name


@dataclass(slots=True)
class _Candidate:
    """An organisation as the evaluators read it (its facts, its project start) and as the network's
    readers show it (``summary``)."""

    pk: int
    project_started_on: datetime.date | None
    summary: OrganisationSummary
    evaluation_facts: Facts | None = None


def evaluate_network(as_of: datetime.date, policy) -> list[Evaluation]:
    """Every active partner evaluated as of a date, shared by the overview and the hub's home panel.

    Cached until a criterion's data, membership or the policy changes (``mutualaid/signals.py``).
    The explanations are sentences in the reader's language, hence the language in the key. The
    cache keeps what the overview and the panel show: each organisation's summary and each result
    without its evidence (the checklist page and review rounds evaluate with ``evaluate_all``,
    evidence included), as plain tuples. Pickled whole, the model instances and evidence made the
    value 1 MB and took a quarter of a second each way; pickled as dataclasses with their statuses'
    enums, half a megabyte that took three times as long to read back as the tuples do.
    """
    from .signals import evaluation_version

    key = f"mutualaid:network:{evaluation_version()}:{policy.pk}:{policy.version}:{as_of}:{get_language()}"
    rows = cache.get(key)
    if rows is not None:
        return [
            Evaluation(
                OrganisationSummary(pk, name, short_name, prefecture),
                as_of,
                policy,
                [
                    CriterionResult(code, status, {}, explanation, required)
                    for code, status, explanation, required in results
                ],
            )
            for pk, name, short_name, prefecture, results in rows
        ]
    # Plain rows, not model instances: the fields the evaluators and the summaries read (a
    # thousand organisations cost a fifth of the evaluation as models with their prefectures).
    organisations = Organisation.objects.active().partners()
    candidates = [
        _Candidate(pk, started, OrganisationSummary(pk, name, short_name, prefecture))
        for pk, name, short_name, prefecture, started in organisations.values_list(
            "pk", "name", "short_name", "prefecture__name", "project_started_on"
        )
    ]
    load_facts(candidates, as_of, organisations)
    evaluations = _evaluate_each(candidates, as_of, policy)
    rows = []
    for evaluation in evaluations:
        org = evaluation.organisation = evaluation.organisation.summary
        for result in evaluation.results:
            result.evidence = {}
        rows.append(
            (
                org.pk,
                org.name,
                org.short_name,
                org.prefecture,
                tuple((str(r.code), str(r.status), r.explanation, r.required) for r in evaluation.results),
            )
        )
    cache.set(key, rows, 24 * 3600)
    return evaluations
