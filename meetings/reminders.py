"""Meeting reminders: the invitation on confirmation (with the .ics), reminders before, the host's
topic, overdue minutes, and one daily digest of action items per person. Each is sent exactly once.

=====================  ======================================  ====================================
kind / step            when                                    to whom
=====================  ======================================  ====================================
invitation             the meeting is confirmed (and every     invitees who have not declined
                       sweep until it starts, for people
                       invited after the confirmation)
reminder / before-N    N days before (MEETING_REMINDER_DAYS_    invitees of a confirmed meeting who
                       BEFORE, default 3 and 1)                have not declined
topic / topic          MEETING_TOPIC_REMINDER_DAYS (10) days   the host organisation's partner
                       before a monthly topic meeting with     people (director and staff)
                       no proposal yet
minutes_overdue        MEETING_MINUTES_OVERDUE_DAYS (7) days   the hub person who created the
                       after a held (or confirmed and past)    meeting; if none (planner meetings
                       meeting without minutes                 created by a departed person), every
                                                               hub staff member
action_items / digest  every day with open items due within    the item's owner; an item without an
                       ACTION_ITEM_REMINDER_DAYS (3) days or   owner person goes to its
                       overdue: ONE e-mail per person per day  organisation's director (hub admins
                                                               for the hub's own items)
=====================  ======================================  ====================================

Missed beats and stale steps: every sweep sends what is due at ``now`` and unsent. ``before-3`` is
stale once ``before-1`` is due (the later reminder replaces it); reminders before a meeting and the
topic reminder stop once the meeting has started; overdue minutes are not chased beyond
MEETING_REMINDER_STALE_DAYS; an action-item digest belongs to its day (the next day's digest lists
the same open items, so a missed day is not sent afterwards).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hubsite.core.notifications import (
    Pending,
    enqueue_pending_emails,
    in_batches,
    notify,
    notify_many,
    object_key,
    register_kind,
)
from hubsite.core.notifications.mail import register_attachment
from hubsite.core.roles import HUB_ROLES, PARTNER_ROLES, Role
from partners.models import User

from .choices import UPCOMING_STATUSES, MeetingKind, MeetingStatus, Rsvp
from .ics import calendar_bytes
from .models import ActionItem, Invitation, Meeting, Minutes, TopicProposal

INVITATION = register_kind("meetings.invitation", gettext_lazy("Meeting invitation"), required=True)
REMINDER = register_kind("meetings.reminder", gettext_lazy("Meeting reminder before the meeting"))
# Who receives each kind: see the table in the module's docstring (invitations and reminders: anyone invited).
TOPIC = register_kind(
    "meetings.topic", gettext_lazy("Monthly topic to propose (host)"), required=True, roles=PARTNER_ROLES
)
MINUTES = register_kind("meetings.minutes_overdue", gettext_lazy("Meeting minutes overdue"), roles=HUB_ROLES)
ACTIONS = register_kind(
    "meetings.action_items",
    gettext_lazy("Action items due and overdue (daily digest)"),
    roles=HUB_ROLES | PARTNER_ROLES,
)
# Told at once by ``actions.do_add_action_item``: the owner should not wait for the daily digest.
ASSIGNED = register_kind(
    "meetings.action_item_assigned",
    gettext_lazy("Action item assigned to you"),
    roles=HUB_ROLES | PARTNER_ROLES,
)


def ics_attachment(notification):
    """The meeting's .ics for its invitation e-mail (None when the meeting no longer exists)."""
    label, _sep, pk = notification.object_key.partition(":")
    if label != Meeting._meta.label_lower or not pk.isdigit():
        return None
    meeting = Meeting.objects.filter(pk=int(pk)).first()
    if meeting is None:
        return None
    return f"meeting-{meeting.pk}.ics", calendar_bytes([meeting], meeting.title), "text/calendar"


register_attachment(INVITATION.code, ics_attachment)


def _days_before() -> list[int]:
    return sorted(getattr(settings, "MEETING_REMINDER_DAYS_BEFORE", [3, 1]))


def _stale_days() -> int:
    return getattr(settings, "MEETING_REMINDER_STALE_DAYS", 30)


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _when(meeting: Meeting) -> dict:
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    where = "、".join(filter(None, [meeting.place, meeting.online_link]))
    return {
        "title": meeting.title,
        "date": f"{start:%Y-%m-%d}",
        "time": f"{start:%H:%M}-{end:%H:%M}",
        # Lazy: translated when a message is formatted, in its recipient's language.
        "where": where or gettext_lazy("to be announced"),
        "topic": meeting.topic,
    }


# The messages are (subject, body) callables: notify_many writes them in each recipient's language.


def _invitation_message(meeting: Meeting) -> tuple:
    context = _when(meeting)

    def subject():
        return _("Invitation: %(title)s on %(date)s") % context

    def body():
        text = (
            _(
                "You are invited to %(title)s on %(date)s, %(time)s.\nPlace: %(where)s\n"
                "The calendar file is attached. Please reply on the meeting page whether you will attend."
            )
            % context
        )
        if meeting.topic:
            text += "\n" + _("Topic: %(topic)s") % context
        return text

    return subject, body


def _reminder_message(meeting: Meeting, days: int) -> tuple:
    context = {**_when(meeting), "days": days}

    def subject():
        return _("Reminder: %(title)s on %(date)s") % context

    def body():
        return _("%(title)s takes place on %(date)s, %(time)s.\nPlace: %(where)s") % context

    return subject, body


def _topic_message(meeting: Meeting) -> tuple:
    context = {**_when(meeting), "deadline": f"{meeting.topic_deadline:%Y-%m-%d}"}

    def subject():
        return _("Please propose the topic of %(title)s") % context

    def body():
        return (
            _(
                "Your organisation hosts %(title)s on %(date)s. Please propose its topic "
                "(the problem and why it matters) by %(deadline)s."
            )
            % context
        )

    return subject, body


def _minutes_message(meeting: Meeting, days: int) -> tuple:
    context = {**_when(meeting), "days": days}

    def subject():
        return _("Minutes overdue: %(title)s") % context

    def body():
        return (
            _("%(title)s took place on %(date)s; its minutes are still missing. Please record them.")
            % context
        )

    return subject, body


def _invitations(meetings_filter: Q):
    return (
        Invitation.objects.filter(meetings_filter, person__is_active=True)
        .exclude(rsvp=Rsvp.DECLINED)
        .select_related("meeting", "person")
    )


def _send_invitations(invitations, batch_size, pause=None) -> int:
    created = 0
    for batch in in_batches(invitations, batch_size):
        items = []
        for invitation in batch:
            meeting = invitation.meeting
            subject, body = _invitation_message(meeting)
            url = meeting.get_absolute_url()
            items.append(
                Pending(
                    INVITATION.code,
                    invitation.person,
                    object_key(meeting),
                    "invitation",
                    subject,
                    body,
                    url,
                )
            )
        created += notify_many(items, batch_size=batch_size)
        if pause:
            pause()
    return created


def invite_on_confirm(meeting: Meeting) -> int:
    """Called by ``actions.do_confirm_meeting`` inside its transaction: the invitations are created with the
    confirmation (all or nothing) and e-mailed after commit; with the broker down they stay pending
    and the periodic e-mail sweep sends them."""
    with translation.override(settings.LANGUAGE_CODE):
        created = _send_invitations(_invitations(Q(meeting=meeting)), None)
    enqueue_pending_emails()
    return created


def _before_step(days_left: int) -> str | None:
    """The reminder due ``days_left`` days before the meeting: the nearest configured one at or
    above it (an earlier one not sent in time is stale once a later one is due)."""
    for days in _days_before():
        if days_left <= days:
            return f"before-{days}"
    return None


def _reminders_before(now, today, batch_size, pause=None) -> int:
    days = _days_before()
    if not days:
        return 0
    horizon = _start_of(today + datetime.timedelta(days=max(days) + 1))
    invitations = _invitations(
        Q(meeting__status=MeetingStatus.CONFIRMED, meeting__starts_at__gt=now, meeting__starts_at__lt=horizon)
    )
    created = 0
    for batch in in_batches(invitations, batch_size):
        items = []
        for invitation in batch:
            meeting = invitation.meeting
            days_left = (timezone.localtime(meeting.starts_at).date() - today).days
            step = _before_step(days_left)
            if step is None:
                continue
            subject, body = _reminder_message(meeting, days_left)
            items.append(
                Pending(
                    REMINDER.code,
                    invitation.person,
                    object_key(meeting),
                    step,
                    subject,
                    body,
                    meeting.get_absolute_url(),
                )
            )
        created += notify_many(items, batch_size=batch_size)
        if pause:
            pause()
    return created


def _topic_reminders(now, today, batch_size) -> int:
    days = getattr(settings, "MEETING_TOPIC_REMINDER_DAYS", 10)
    meetings = list(
        Meeting.objects.filter(
            kind=MeetingKind.MONTHLY_TOPIC,
            status__in=UPCOMING_STATUSES,
            host__isnull=False,
            starts_at__gt=now,
            starts_at__lt=_start_of(today + datetime.timedelta(days=days + 1)),
        ).exclude(Exists(TopicProposal.objects.filter(meeting=OuterRef("pk"))))
    )
    if not meetings:
        return 0
    by_host: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        by_host.setdefault(meeting.host_id, []).append(meeting)
    people = User.objects.filter(is_active=True, role__in=PARTNER_ROLES, organisation_id__in=by_host)
    created = 0
    for batch in in_batches(people, batch_size):
        items = []
        for person in batch:
            for meeting in by_host[person.organisation_id]:
                subject, body = _topic_message(meeting)
                url = reverse("meetings:topic", args=[meeting.pk])
                items.append(Pending(TOPIC.code, person, object_key(meeting), "topic", subject, body, url))
        created += notify_many(items, batch_size=batch_size)
    return created


def _minutes_overdue(now, batch_size) -> int:
    days = getattr(settings, "MEETING_MINUTES_OVERDUE_DAYS", 7)
    due_before = now - datetime.timedelta(days=days)
    meetings = list(
        Meeting.objects.filter(
            status__in=[MeetingStatus.CONFIRMED, MeetingStatus.HELD],
            ends_at__lte=due_before,
            ends_at__gte=due_before - datetime.timedelta(days=_stale_days()),
        )
        # Training sessions keep attendance, not minutes (the training app's module page).
        .exclude(kind=MeetingKind.TRAINING_SESSION)
        .exclude(Exists(Minutes.objects.filter(meeting=OuterRef("pk"))))
        .select_related("created_by")
    )
    if not meetings:
        return 0
    hub = list(User.objects.filter(is_active=True, role__in=HUB_ROLES))
    items = []
    for meeting in meetings:
        owner = meeting.created_by
        owners = [owner] if owner and owner.is_active and owner.role in HUB_ROLES else hub
        subject, body = _minutes_message(meeting, days)
        url = reverse("meetings:minutes", args=[meeting.pk])
        items += [
            Pending(MINUTES.code, person, object_key(meeting), "minutes-overdue", subject, body, url)
            for person in owners
        ]
    return notify_many(items, batch_size=batch_size)


LEAD_ROLES = (Role.DIRECTOR, Role.HUB_ADMIN)


def _action_digests(today, batch_size, pause=None) -> int:
    days = getattr(settings, "ACTION_ITEM_REMINDER_DAYS", 3)
    items_due = ActionItem.objects.open().filter(due_on__lte=today + datetime.timedelta(days=days))
    people = User.objects.filter(is_active=True).filter(
        Exists(items_due.filter(owner_person=OuterRef("pk")))
        | Q(
            Exists(items_due.filter(owner_person__isnull=True, owner_organisation=OuterRef("organisation"))),
            role__in=LEAD_ROLES,
        )
    )
    url = reverse("meetings:action_list")
    created = 0
    for batch in in_batches(people, batch_size):
        mine, orphans = _open_items_of(batch, items_due)
        notifications = []
        for person in batch:
            listed = list(mine.get(person.pk, []))
            if person.role in LEAD_ROLES:
                listed += orphans.get(person.organisation_id, [])
            if listed:
                notifications.append(_action_digest(person, listed, today=today, days=days, url=url))
        created += notify_many(notifications, batch_size=batch_size)
        if pause:
            pause()
    return created


def _open_items_of(batch, items_due) -> tuple[dict[int, list], dict[int, list]]:
    """The batch's due items (1 query): by owner person, and by organisation for items nobody owns
    (those go to the organisation's leads)."""
    lead_orgs = {p.organisation_id for p in batch if p.role in LEAD_ROLES and p.organisation_id}
    mine: dict[int, list[ActionItem]] = {}
    orphans: dict[int, list[ActionItem]] = {}
    for item in items_due.filter(
        Q(owner_person__in=batch) | Q(owner_person__isnull=True, owner_organisation_id__in=lead_orgs)
    ).select_related("meeting"):
        if item.owner_person_id:
            mine.setdefault(item.owner_person_id, []).append(item)
        else:
            orphans.setdefault(item.owner_organisation_id, []).append(item)
    return mine, orphans


def _action_digest(person, listed: list, *, today, days: int, url: str) -> Pending:
    """One person's digest: overdue items first, then those due within ``days``, each by due date."""
    listed.sort(key=lambda item: (item.due_on, item.pk))
    overdue = [item for item in listed if item.due_on < today]
    soon = [item for item in listed if item.due_on >= today]
    context = {"overdue": len(overdue), "soon": len(soon)}

    # Written in the person's language by notify_many.
    def subject():
        return _("Action items: %(overdue)s overdue, %(soon)s due soon") % context

    def body():
        lines = []
        if overdue:
            lines.append(_("Overdue:"))
            lines += [f"- {i.what}（{i.meeting.title}，{i.due_on:%Y-%m-%d}）" for i in overdue]
        if soon:
            lines.append(_("Due within %(days)s days:") % {"days": days})
            lines += [f"- {i.what}（{i.meeting.title}，{i.due_on:%Y-%m-%d}）" for i in soon]
        return "\n".join(lines)

    return Pending(
        ACTIONS.code, person, f"meetings.actionitems:{today:%Y-%m-%d}", "digest", subject, body, url
    )


def sweep(now: datetime.datetime | None = None, *, batch_size: int | None = None, pause=None) -> dict:
    """Create every meeting reminder due at ``now`` that does not exist yet; returns counts by kind."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with translation.override(settings.LANGUAGE_CODE):
        counts = {
            "invitation": _send_invitations(
                _invitations(Q(meeting__status=MeetingStatus.CONFIRMED, meeting__starts_at__gt=now)),
                batch_size,
                pause,
            ),
            "before": _reminders_before(now, today, batch_size, pause),
            "topic": _topic_reminders(now, today, batch_size),
            "minutes": _minutes_overdue(now, batch_size),
            "action_items": _action_digests(today, batch_size, pause),
        }
    enqueue_pending_emails()
    return counts


def action_item_assigned(item, *, by=None) -> int:
    """The item's owner hears of it at once (an item nobody owns: its organisation's leads, as in the
    digest), never the person who wrote it down; returns how many were told."""
    if item.owner_person_id:
        people = User.objects.filter(pk=item.owner_person_id)
    else:
        people = User.objects.filter(organisation_id=item.owner_organisation_id, role__in=LEAD_ROLES)
    people = people.filter(is_active=True).order_by("pk")
    if by is not None:
        people = people.exclude(pk=by.pk)
    meeting = item.meeting
    values = {"what": item.what, "meeting": meeting.title, "due": f"{item.due_on:%Y-%m-%d}"}

    # Written in each person's language by notify.
    def subject():
        return _("Action item for you: %(what)s") % values

    def body():
        return _("Agreed in %(meeting)s: %(what)s. Due on %(due)s.") % values

    told = 0
    for person in people:
        told += bool(
            notify(
                ASSIGNED.code,
                person,
                key=object_key(item),
                step="assigned",
                subject=subject,
                body=body,
                url=meeting.get_absolute_url(),
            )
        )
    return told
