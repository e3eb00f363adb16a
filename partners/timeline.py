"""An organisation's support timeline: what every app contributes through ``timeline_sources``
(status and stage changes, cycles and needs from here; supervisions, meetings, reports, mutual aid,
training from the apps above, registered in their ``AppConfig.ready``), newest first."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .choices import GraduationDecision, stage_label
from .hooks import timeline_sources
from .models import (
    Award,
    ExpansionPlan,
    NeedsAssessment,
    OrganisationStageChange,
    OrganisationStatusChange,
    SupportCycle,
)


def as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def organisation_timeline(organisation, user, since: datetime.date, until: datetime.date) -> list[dict]:
    """Every source's events between ``since`` and ``until`` (both included), newest first."""
    events = []
    for event in timeline_sources.collect(organisation, user, since, until):
        day = as_date(event["date"])
        if since <= day <= until:
            events.append({"detail": "", "url": "", **event, "date": day})
    events.sort(key=lambda event: event["date"], reverse=True)
    return events


def day_range(field: str, since, until) -> Q:
    return Q(**{f"{field}__gte": since, f"{field}__lte": until})


# --- The partners app's own sources (one query each)


def status_changes(organisation, user, since, until) -> list[dict]:
    changes = OrganisationStatusChange.objects.filter(organisation=organisation).filter(
        day_range("effective_on", since, until)
    )
    return [
        {
            "date": change.effective_on,
            "category": _("Status"),
            "title": f"{change.get_from_status_display() or '-'} → {change.get_to_status_display()}",
            "detail": change.reason,
        }
        for change in changes
    ]


def stage_changes(organisation, user, since, until) -> list[dict]:
    changes = OrganisationStageChange.objects.filter(organisation=organisation).filter(
        day_range("effective_on", since, until)
    )
    return [
        {
            "date": change.effective_on,
            "category": _("Development stage"),
            "title": f"{stage_label(change.from_stage) or '-'} → {stage_label(change.to_stage)}",
            "detail": change.reason,
        }
        for change in changes
    ]


def awards(organisation, user, since, until) -> list[dict]:
    # An award has a year only: it shows at the end of that year.
    return [
        {
            "date": datetime.date(award.year, 12, 31),
            "category": _("Award"),
            "title": award.title,
            "detail": award.issuer,
        }
        for award in Award.objects.filter(
            organisation=organisation, year__gte=since.year, year__lte=until.year
        )
    ]


def expansion(organisation, user, since, until) -> list[dict]:
    plans = ExpansionPlan.objects.filter(organisation=organisation).filter(
        day_range("created_at__date", since, until)
    )
    return [
        {
            "date": plan.created_at,
            "category": _("Expansion"),
            "title": _("Expansion plan: %(sites)s site(s), %(status)s")
            % {"sites": plan.planned_sites, "status": plan.get_status_display()},
            "detail": plan.description,
        }
        for plan in plans
    ]


def support_cycles(organisation, user, since, until) -> list[dict]:
    """A cycle's start, reviews and graduation decision, each on its own day."""
    cycles = (
        SupportCycle.objects.for_user(user)
        .filter(organisation=organisation)
        .filter(
            day_range("starts_on", since, until)
            | day_range("mid_reviewed_on", since, until)
            | day_range("end_reviewed_on", since, until)
            | day_range("graduation_decided_on", since, until)
        )
    )
    events = []
    for cycle in cycles:
        url = cycle.get_absolute_url()
        category = _("Support cycle")
        events.append(
            {
                "date": cycle.starts_on,
                "category": category,
                "title": _("Support cycle starts (until %(day)s)") % {"day": f"{cycle.ends_on:%Y-%m-%d}"},
                "detail": cycle.planned_support,
                "url": url,
            }
        )
        if cycle.mid_reviewed_on:
            events.append(
                {
                    "date": cycle.mid_reviewed_on,
                    "category": category,
                    "title": _("Mid-cycle review"),
                    "detail": cycle.mid_review,
                    "url": url,
                }
            )
        if cycle.end_reviewed_on:
            events.append(
                {
                    "date": cycle.end_reviewed_on,
                    "category": category,
                    "title": _("End-of-cycle review"),
                    "detail": cycle.end_review,
                    "url": url,
                }
            )
        if cycle.graduation_decided_on:
            events.append(
                {
                    "date": cycle.graduation_decided_on,
                    "category": pgettext("growth", "Graduation"),
                    "title": GraduationDecision(cycle.graduation).label,
                    "detail": cycle.graduation_evidence,
                    "url": url,
                }
            )
    return events


def needs_assessments(organisation, user, since, until) -> list[dict]:
    assessments = (
        NeedsAssessment.objects.for_user(user)
        .filter(organisation=organisation)
        .filter(day_range("submitted_at__date", since, until))
    )
    return [
        {
            "date": assessment.submitted_at,
            "category": _("Needs assessment"),
            "title": _("Needs assessment %(year)s answered") % {"year": assessment.year},
            "url": reverse("partners:needs_detail", args=[assessment.pk]),
        }
        for assessment in assessments
    ]


def register() -> None:
    for source in (status_changes, stage_changes, awards, expansion, support_cycles, needs_assessments):
        timeline_sources.register(source)


# --- The growth file page


def growth_file(user, organisation) -> dict:
    """The growth file's records besides the timeline (for the hub and the organisation's own
    people): the stage history, the support cycles and the needs assessments; three queries."""
    return {
        "stage_changes": list(organisation.stage_changes.select_related("decided_by")),
        "support_cycles": list(
            SupportCycle.objects.for_user(user)
            .filter(organisation=organisation)
            .annotate(goal_count=Count("goals"))
        ),
        "needs_assessments": list(NeedsAssessment.objects.for_user(user).filter(organisation=organisation)),
    }
