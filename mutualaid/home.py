"""Home-page panels: partners see their own checklist, hub staff what waits for them.

Each panel costs a fixed number of queries whatever the size of the network.
"""

from django.utils import timezone

from partners.models import Organisation

from .choices import ApplicationStatus, VisitStatus, WaitStatus
from .criteria import evaluate_all
from .models import CoachingRequest, EligibilityPolicy, ExpansionFundingApplication, Membership, StudyVisit


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


def _hub_panel() -> dict:
    today = timezone.localdate()
    policy = EligibilityPolicy.objects.current()
    members = set(Membership.objects.current(today).values_list("organisation_id", flat=True))
    evaluations = evaluate_all(as_of=today, policy=policy)
    candidates = [e for e in evaluations if e.qualifies and e.organisation.pk not in members]
    return {
        "template": "mutualaid/panel_hub.html",
        "policy": policy,
        "candidates": candidates,
        "missing_one": sum(1 for e in evaluations if e.missing_count == 1),
        "applications": ExpansionFundingApplication.objects.filter(
            status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW]
        ).count(),
        "visits": StudyVisit.objects.filter(status=VisitStatus.REQUESTED).count(),
        "waiting": CoachingRequest.objects.filter(status=WaitStatus.WAITING).count(),
    }
