"""Who is invited to which kind of meeting, and keeping invitations in step with people.

The audience of a meeting follows from people's roles and organisations (README, "Meetings:
the four-tier cadence"):
monthly topic: partner staff of active partners and the host organisation's director; quarterly directors: directors of active partners;
half-year regional: all people of active partners; supervision: the organisation's team plus hub staff.
"Other" events are invited by hand. Partners are organisations other than the hub.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from hubsite.core.roles import HUB_ROLES, PARTNER_ROLES, Role
from partners.choices import OrganisationStatus

from .choices import AUDIENCE_KINDS, UPCOMING_STATUSES, MeetingKind
from .models import Invitation, Meeting

ACTIVE_PARTNER = Q(organisation__status=OrganisationStatus.ACTIVE, organisation__is_hub=False)


def audience_q(meeting: Meeting) -> Q | None:
    """The people a meeting of this kind invites, as a filter on User (None: invited by hand)."""
    if meeting.kind == MeetingKind.MONTHLY_TOPIC:
        return ACTIVE_PARTNER & (
            Q(role=Role.PARTNER_STAFF) | Q(role=Role.DIRECTOR, organisation_id=meeting.host_id)
        )
    if meeting.kind == MeetingKind.QUARTERLY_DIRECTORS:
        return ACTIVE_PARTNER & Q(role=Role.DIRECTOR)
    if meeting.kind == MeetingKind.HALF_YEAR_REGIONAL:
        return ACTIVE_PARTNER & Q(role__in=PARTNER_ROLES)
    if meeting.kind == MeetingKind.SUPERVISION:
        return Q(organisation_id=meeting.organisation_id, role__in=PARTNER_ROLES) | Q(role__in=HUB_ROLES)
    return None


def in_audience(meeting: Meeting, person) -> bool:
    """The same rule as ``audience_q`` for one person already loaded (with their organisation)."""
    if not person.is_active:
        return False
    org = person.organisation
    active_partner = org is not None and not org.is_hub and org.status == OrganisationStatus.ACTIVE
    if meeting.kind == MeetingKind.MONTHLY_TOPIC:
        # The host's director presents the organisation's topic with its staff.
        is_host_director = person.role == Role.DIRECTOR and person.organisation_id == meeting.host_id
        return active_partner and (person.role == Role.PARTNER_STAFF or is_host_director)
    if meeting.kind == MeetingKind.QUARTERLY_DIRECTORS:
        return active_partner and person.role == Role.DIRECTOR
    if meeting.kind == MeetingKind.HALF_YEAR_REGIONAL:
        return active_partner and person.role in PARTNER_ROLES
    if meeting.kind == MeetingKind.SUPERVISION:
        if person.role in HUB_ROLES:
            return True
        return person.role in PARTNER_ROLES and person.organisation_id == meeting.organisation_id
    return False


def invite_audience(meetings: list[Meeting]) -> int:
    """Create the missing invitations of the given meetings (three queries whatever their number)."""
    User = get_user_model()
    created = []
    existing = set(
        Invitation.objects.filter(meeting__in=[m.pk for m in meetings]).values_list("meeting_id", "person_id")
    )
    # Everyone who could be in any audience, once; each meeting then picks its own in Python.
    people = list(
        User.objects.filter(is_active=True)
        .filter((ACTIVE_PARTNER & Q(role__in=PARTNER_ROLES)) | Q(role__in=HUB_ROLES))
        .select_related("organisation")
    )
    for meeting in meetings:
        if meeting.kind not in AUDIENCE_KINDS:
            continue
        for person in people:
            if (meeting.pk, person.pk) not in existing and in_audience(meeting, person):
                created.append(
                    Invitation(meeting=meeting, person=person, organisation_id=person.organisation_id)
                )
    Invitation.objects.bulk_create(created, ignore_conflicts=True)
    return len(created)


def sync_person(person) -> tuple[int, int]:
    """Keep one person's invitations to meetings that have not started in step with the audience.

    Called when a person is saved (joins, changes role or organisation, leaves). Past meetings keep
    their invitations, so attendance history stays. Returns (added, removed).
    """
    if person.pk is None:
        return (0, 0)
    now = timezone.now()
    future = list(
        Meeting.objects.filter(kind__in=AUDIENCE_KINDS, starts_at__gt=now, status__in=UPCOMING_STATUSES).only(
            "pk", "kind", "organisation_id", "host_id"
        )
    )
    invited = dict(
        Invitation.objects.filter(person=person, meeting__in=[m.pk for m in future]).values_list(
            "meeting_id", "is_manual"
        )
    )
    to_add, to_remove = [], []
    for meeting in future:
        wanted = in_audience(meeting, person)
        if wanted and meeting.pk not in invited:
            to_add.append(Invitation(meeting=meeting, person=person, organisation_id=person.organisation_id))
        elif not wanted and meeting.pk in invited and not invited[meeting.pk]:
            to_remove.append(meeting.pk)
    Invitation.objects.bulk_create(to_add, ignore_conflicts=True)
    if to_remove:
        Invitation.objects.filter(person=person, meeting__in=to_remove).delete()
    return (len(to_add), len(to_remove))


def sync_organisation(organisation) -> None:
    """An organisation paused, exited or became active: re-check each of its people."""
    for person in organisation.people.select_related("organisation"):
        sync_person(person)
