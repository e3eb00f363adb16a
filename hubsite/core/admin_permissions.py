"""What each role may do in the Django admin: the one place that says so.

Rights follow the role and nothing else. ``is_superuser``, groups and per-person permissions are
ignored on purpose: they are rows a person could edit, so honouring them would let a form hand out
rights (issue 11: hub staff made themselves superuser through the user admin).

- Hub admins: everything.
- Hub staff: ``HUB_STAFF_ADMIN`` below, the network data they maintain day to day. Never people
  (read only: logins, roles and e-mail addresses are the hub admin's), e-mail addresses, groups,
  permissions, Celery beat, indicator definitions, the eligibility policy or the reminder kinds the
  hub makes required: those are hub-admin-only rules of the site, and the admin must not be a way
  around them. Records that have a lifecycle on the site (reports, review rounds, applications,
  visits, assessments, status history) are read only here, so their history stays whole.
- Partner people and viewers: nothing (``User.is_staff`` keeps them out of the admin anyway).

This module must stay free of model imports: ``partners.models`` imports it while apps load.
"""

from __future__ import annotations

from hubsite.core.roles import Role

VIEW = ("view",)
MAINTAIN = ("view", "add", "change")
ALL = ("view", "add", "change", "delete")

# "app_label.model_name" -> the Django actions hub staff may take. Adding a model to the admin gives
# hub staff nothing until it is listed here; hubsite/tests/test_admin_permissions.py walks every URL.
HUB_STAFF_ADMIN: dict[str, tuple[str, ...]] = {
    # Geography comes from administrative codes; staff keep names and populations up to date.
    "partners.province": VIEW,
    "partners.prefecture": ("view", "change"),
    "partners.county": ("view", "change"),
    # Organisations and centres change status on the site (history kept) and are never deleted here.
    "partners.organisation": MAINTAIN,
    "partners.centre": MAINTAIN,
    "partners.organisationstatuschange": VIEW,
    "partners.centreassessment": VIEW,
    "partners.award": ALL,
    "partners.expansionplan": ALL,
    "partners.sharedexperience": ALL,
    # The growth file: staff keep cycles and the needs questionnaire (questions are data); stages and
    # graduation are decided on the site, where each decision notifies and joins the history.
    "partners.supportcycle": MAINTAIN,
    "partners.cyclegoal": MAINTAIN,
    "partners.needsquestion": MAINTAIN,
    # Raw-id lookups (report authors, invitees) need the list; changing people is the hub admin's.
    "partners.user": VIEW,
    # People who asked to join through the public page: staff follow them up; deleting one (a privacy
    # request under PIPL) is the hub admin's.
    "partners.interest": VIEW,
    # Reports move through submit/review/reopen on the site, each step in their history.
    "reports.indicator": VIEW,
    "reports.monthlyreport": VIEW,
    # Attachments are added, flagged and removed on their owner's page; the admin lists them read only.
    "hubsite.attachment": VIEW,
    "reports.reportvalue": VIEW,
    "reports.reportevent": VIEW,
    "meetings.meeting": MAINTAIN,
    "meetings.invitation": ALL,
    "meetings.actionitem": ALL,
    "meetings.holidayoverride": ALL,
    "meetings.rotationskip": ALL,
    "meetings.supervisionfrequency": ALL,
    "meetings.minutes": MAINTAIN,
    "meetings.topicproposal": MAINTAIN,
    "meetings.supervisiondiagnosis": MAINTAIN,
    "meetings.plandraft": VIEW,
    "mutualaid.eligibilitypolicy": VIEW,
    "mutualaid.reviewround": VIEW,
    "mutualaid.reviewresult": VIEW,
    "mutualaid.membership": MAINTAIN,
    "mutualaid.expansionfundingapplication": VIEW,
    "mutualaid.studyvisit": VIEW,
    "mutualaid.studyvisitbudget": MAINTAIN,
    "mutualaid.coachingsession": ALL,
    "mutualaid.coachingrequest": ("view", "change"),
    # Programmes and modules are set up by staff; applications, practice and certificates move
    # through their decisions on the site (each one notifies), so they are read only here.
    "training.programme": MAINTAIN,
    "training.module": MAINTAIN,
    "training.application": VIEW,
    "training.practicerecord": VIEW,
    "training.certificate": VIEW,
    "hubsite.notificationkindsetting": VIEW,
}


def _as_permissions(table: dict[str, tuple[str, ...]]) -> frozenset[str]:
    permissions = set()
    for label, actions in table.items():
        app_label, model_name = label.split(".")
        permissions.update(f"{app_label}.{action}_{model_name}" for action in actions)
    return frozenset(permissions)


HUB_STAFF_PERMISSIONS = _as_permissions(HUB_STAFF_ADMIN)
HUB_STAFF_APPS = frozenset(label.split(".")[0] for label in HUB_STAFF_ADMIN)


def role_has_perm(user, perm: str) -> bool:
    if not user.is_active:
        return False
    if user.role == Role.HUB_ADMIN:
        return True
    if user.role == Role.HUB_STAFF:
        return perm in HUB_STAFF_PERMISSIONS
    return False


def role_has_module_perms(user, app_label: str) -> bool:
    if not user.is_active:
        return False
    if user.role == Role.HUB_ADMIN:
        return True
    if user.role == Role.HUB_STAFF:
        return app_label in HUB_STAFF_APPS
    return False


def role_permissions(user) -> set[str]:
    """Every permission the user's role grants, as ``app_label.codename`` strings."""
    if not user.is_active:
        return set()
    if user.role == Role.HUB_ADMIN:
        from django.contrib.auth.models import Permission

        return {
            f"{app_label}.{codename}"
            for app_label, codename in Permission.objects.values_list("content_type__app_label", "codename")
        }
    if user.role == Role.HUB_STAFF:
        return set(HUB_STAFF_PERMISSIONS)
    return set()
