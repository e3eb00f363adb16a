"""Home-page panels: partners see their own checklist, hub staff what waits for them.

Each panel costs a fixed number of queries whatever the size of the network.
"""

from django.core.cache import cache
from django.utils import timezone

from partners.models import Organisation

from .choices import ApplicationStatus, VisitStatus, WaitStatus
from .criteria import evaluate_all, evaluate_network
from .models import CoachingRequest, EligibilityPolicy, ExpansionFundingApplication, Membership, StudyVisit
from .signals import evaluation_version

# The box names the first few organisations that qualify but are not members, with a link to the
# overview for the rest (the overview lists qualifying organisations first): at 100x they are 210.
CANDIDATES_SHOWN = 10


def panels(request) -> list[dict]:
    user = request.user
    if user.is_hub:
        return [_hub_panel()]
    if user.is_partner and user.organisation_id:
        return [_partner_panel(user)]
    return []


def _partner_panel(user) -> dict:
    policy = EligibilityPolicy.objects.current()
    evaluations = evaluate_all(Organisation.objects.filter(pk=user.organisation_id).partners(), policy=policy)
    return {
        "template": "mutualaid/panel_partner.html",
        "evaluation": evaluations[0] if evaluations else None,
        "policy": policy,
        "is_member": Membership.objects.filter(organisation_id=user.organisation_id).current().exists(),
    }


def _evaluation_summary(today, policy) -> dict:
    members = set(Membership.objects.current(today).values_list("organisation_id", flat=True))
    evaluations = evaluate_network(today, policy)
    return {
        "candidates": [
            (e.organisation.pk, e.organisation.display_name)
            for e in evaluations
            if e.qualifies and e.organisation.pk not in members
        ],
        "missing_one": sum(1 for e in evaluations if e.missing_count == 1),
    }


def _hub_panel() -> dict:
    today = timezone.localdate()
    policy = EligibilityPolicy.objects.current()
    # Evaluating every organisation takes about a second at 100x the demo network: cached until a
    # criterion's data, membership or the policy changes (mutualaid/signals.py), or the day turns.
    key = f"mutualaid:hub-panel:{evaluation_version()}:{policy.version}:{today}"
    summary = cache.get(key)
    if summary is None:
        summary = _evaluation_summary(today, policy)
        cache.set(key, summary, 24 * 3600)
    candidates = summary["candidates"]
    return {
        "template": "mutualaid/panel_hub.html",
        "policy": policy,
        **summary,
        "candidates": candidates[:CANDIDATES_SHOWN],
        "candidates_count": len(candidates),
        "candidates_more": max(0, len(candidates) - CANDIDATES_SHOWN),
        "applications": ExpansionFundingApplication.objects.filter(
            status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW]
        ).count(),
        "visits": StudyVisit.objects.filter(status=VisitStatus.REQUESTED).count(),
        "waiting": CoachingRequest.objects.filter(status=WaitStatus.WAITING).count(),
    }
