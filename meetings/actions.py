"""Writes with side effects, each in one transaction (Zulip ``do_*`` style).

Views and the demo call these; nothing else writes meetings, invitations or follow-ups in bulk.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hubsite.core.models import StaleObjectError
from partners.models import Organisation

from . import planner
from .audience import invite_audience
from .choices import Attendance, MeetingKind, MeetingStatus, StatusChange
from .models import (
    ActionItem,
    CalendarFeedToken,
    HolidayOverride,
    Invitation,
    Meeting,
    Minutes,
    PlanDraft,
    RotationSkip,
    SupervisionDiagnosis,
    TopicProposal,
)
from .reminders import invite_on_confirm


def _aware(day: datetime.date, hhmm: str) -> datetime.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


# --- Planner ---------------------------------------------------------------------------------


def do_create_plan(*, year: int, weekday: int, week_of_month: int, by) -> PlanDraft:
    """Propose the year; an unconfirmed draft of the same year is replaced (re-planning after
    entering the holidays must not leave two drafts to choose from), a confirmed one is kept."""
    proposal = planner.build_proposal(year, weekday, week_of_month)
    values = {
        "weekday": weekday,
        "week_of_month": week_of_month,
        "items": proposal.items,
        "calendar_known": proposal.calendar_known,
        "created_by": by,
    }
    with transaction.atomic():
        drafts = list(
            PlanDraft.objects.select_for_update().filter(year=year, confirmed_at__isnull=True).order_by("-pk")
        )
        if not drafts:
            return PlanDraft.objects.create(year=year, **values)
        draft, *older = drafts
        PlanDraft.objects.filter(pk__in=[d.pk for d in older]).delete()
        for name, value in values.items():
            setattr(draft, name, value)
        # A new version: a swap or skip posted from the page of the replaced proposal is refused.
        draft.save_versioned(draft.version)
        return draft


def _item(draft: PlanDraft, key: str) -> dict:
    for item in draft.items:
        if item["key"] == key:
            return item
    raise ValidationError(_("This meeting is not in the plan."))


def _editable(draft: PlanDraft, expected_version: int) -> None:
    if draft.is_confirmed:
        raise ValidationError(_("This plan is already confirmed."))
    if draft.version != expected_version:
        raise StaleObjectError(draft)


def do_move_plan_item(draft: PlanDraft, *, key: str, day: datetime.date, expected_version: int) -> None:
    """Staff move one proposed meeting to another day of the plan's year (a working weekday)."""
    _editable(draft, expected_version)
    item = _item(draft, key)
    if item["existing"]:
        raise ValidationError(_("This meeting already exists; change it on its own page."))
    if day.year != draft.year:
        raise ValidationError({"date": _("Choose a day in %(year)s.") % {"year": draft.year}})
    if not planner.HolidayCalendar(draft.year).is_meeting_day(day):
        raise ValidationError({"date": _("This day is a weekend, a holiday or an adjusted working day.")})
    item["date"] = day.isoformat()
    item["moved"] = True
    draft.save_versioned(expected_version)


def do_swap_hosts(draft: PlanDraft, *, first: str, second: str, expected_version: int) -> None:
    """Swap the hosts of two monthly topic meetings of the plan."""
    _editable(draft, expected_version)
    a, b = _item(draft, first), _item(draft, second)
    if first == second:
        raise ValidationError({"second": _("Choose two different months.")})
    if a["kind"] != MeetingKind.MONTHLY_TOPIC or b["kind"] != MeetingKind.MONTHLY_TOPIC:
        raise ValidationError(_("Only monthly topic meetings have hosts to swap."))
    if a["existing"] or b["existing"]:
        raise ValidationError(_("This meeting already exists; change it on its own page."))
    members = planner.memberships({a["host"], b["host"]} - {None})
    errors = {}
    # Each month's field names the organisation that would move onto it and was no partner then.
    for field, item, host in (("first", a, b["host"]), ("second", b, a["host"])):
        day = datetime.date.fromisoformat(item["date"])
        if host and not members[host].on(day):
            errors[field] = _not_a_partner(Organisation.objects.get(pk=host), day)
    if errors:
        raise ValidationError(errors)
    a["host"], b["host"] = b["host"], a["host"]
    draft.save_versioned(expected_version)


def _not_a_partner(organisation, day: datetime.date) -> str:
    return _("%(organisation)s is not an active partner in %(month)s (see its status history).") % {
        "organisation": organisation,
        "month": day.strftime("%Y-%m"),
    }


def do_skip_in_plan(
    draft: PlanDraft, *, organisation, month: int, reason: str, by, expected_version: int
) -> None:
    """Leave an organisation out of one month's rotation (kept as a RotationSkip) and re-rotate."""
    _editable(draft, expected_version)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the organisation is skipped.")})
    with transaction.atomic():
        do_skip_rotation(
            organisation=organisation, month=datetime.date(draft.year, month, 1), reason=reason, by=by
        )
        skips = set(
            RotationSkip.objects.filter(month__year=draft.year).values_list("organisation_id", "month")
        )
        pool = planner.rotation_pool(draft.year)
        planner.rotate(draft.items, [o.pk for o in pool], skips, {o.pk: o.membership for o in pool})
        draft.save_versioned(expected_version)


def do_skip_rotation(*, organisation, month: datetime.date, reason: str, by) -> RotationSkip:
    """Leave an organisation out of the host rotation for the month starting on ``month``; refused for
    a month in which it is not a partner (it has no turn there to skip)."""
    if not planner.membership(organisation).during(month, planner.month_end(month)):
        raise ValidationError({"month": _not_a_partner(organisation, month)})
    skip, _created = RotationSkip.objects.update_or_create(
        organisation=organisation, month=month, defaults={"reason": reason.strip(), "created_by": by}
    )
    return skip


def do_confirm_plan(draft: PlanDraft, *, by, expected_version: int) -> list[Meeting]:
    """Create the plan's meetings and their invitations, all or nothing.

    Meetings whose natural key already exists are left alone, so confirming a second plan of the same
    year never duplicates them; the unique constraints stop a concurrent confirmation too.
    """
    with transaction.atomic():
        locked = PlanDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.is_confirmed:
            raise ValidationError(_("This plan is already confirmed."))
        if locked.version != expected_version:
            raise StaleObjectError(locked)
        existing = set(
            Meeting.objects.filter(year=locked.year, sequence__isnull=False).values_list(
                "kind", "sequence", "organisation_id"
            )
        )
        # With their status history: each host is checked on its meeting's day, without a query each.
        orgs = planner.with_history(Organisation.objects).in_bulk(
            {i["host"] for i in locked.items if i["host"]}
            | {i["organisation"] for i in locked.items if i["organisation"]}
        )
        hub = Organisation.objects.filter(is_hub=True).order_by("pk").first()
        created = [
            _planned_meeting(item, year=locked.year, orgs=orgs, hub=hub, by=by)
            for item in locked.items
            if (item["kind"], item["sequence"], item["organisation"]) not in existing
        ]
        try:
            Meeting.objects.bulk_create(created)
        except IntegrityError as error:
            raise ValidationError(
                _("Another confirmation of this year came first; reload the plan.")
            ) from error
        invite_audience(created)
        locked.confirmed_at = timezone.now()
        locked.confirmed_by = by
        locked.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
    draft.refresh_from_db()
    return created


def _planned_meeting(item: dict, *, year: int, orgs: dict, hub, by) -> Meeting:
    """One plan item as an unsaved, validated meeting; a ValidationError names the item's title."""
    if item["kind"] == MeetingKind.MONTHLY_TOPIC and not item["host"]:
        raise ValidationError(_("%(title)s has no host organisation.") % {"title": item["title"]})
    day = datetime.date.fromisoformat(item["date"])
    meeting = Meeting(
        kind=item["kind"],
        title=item["title"],
        year=year,
        sequence=item["sequence"],
        starts_at=_aware(day, item["start"]),
        ends_at=_aware(day, item["end"]),
        host=orgs.get(item["host"]) if item["host"] else None,
        organisation=orgs.get(item["organisation"]) if item["organisation"] else None,
        created_by=by,
    )
    # Where it happens, until staff say otherwise: at the supervised or hosting organisation, else
    # at the hub that convenes the network meetings.
    if meeting.kind == MeetingKind.SUPERVISION:
        meeting.place = meeting.organisation.address
    elif meeting.host is not None:
        meeting.place = meeting.host.address
    elif hub is not None:
        meeting.place = hub.address
    if meeting.is_monthly_topic:
        meeting.topic_due_on = meeting.topic_deadline
    try:
        meeting.full_clean(exclude=["version"])
    except ValidationError as error:
        raise ValidationError(
            _("%(title)s: %(errors)s") % {"title": item["title"], "errors": " ".join(error.messages)}
        ) from error
    return meeting


# --- One meeting -----------------------------------------------------------------------------


def do_save_meeting(meeting: Meeting, *, by, expected_version: int | None = None) -> Meeting:
    """Create or edit a meeting by hand; a new one invites its kind's audience."""
    with transaction.atomic():
        is_new = meeting.pk is None
        if is_new:
            meeting.created_by = by
            meeting.save()
            invite_audience([meeting])
        else:
            meeting.save_versioned(expected_version)
            if meeting.is_open and not meeting.has_started:
                # A new host's director joins its monthly topic meeting.
                invite_audience([meeting])
    return meeting


def do_change_status(meeting: Meeting, change: str, *, reason: str = "") -> None:
    """Confirm (which invites, see ``do_confirm_meeting``), mark as held or cancel a meeting."""
    if change == StatusChange.CONFIRM:
        do_confirm_meeting(meeting)
    elif change == StatusChange.HELD:
        meeting.mark_held()
    elif change == StatusChange.CANCEL:
        meeting.cancel(reason)
    else:
        raise ValidationError(_("Choose an action."))


def do_confirm_meeting(meeting: Meeting) -> None:
    """Planned -> confirmed; the invitations (with the .ics) are created in the same transaction and
    e-mailed once it commits (``meetings.reminders.invite_on_confirm``)."""
    with transaction.atomic():
        meeting.confirm()
        invite_on_confirm(meeting)


def do_reply(invitation: Invitation, answer: str) -> None:
    """The invitee accepts or declines (refused once the meeting has started or is cancelled)."""
    invitation.reply(answer)


def do_propose_topic(meeting: Meeting, *, by, title: str, problem: str, why_it_matters: str) -> TopicProposal:
    """The host organisation proposes (or revises) its topic; refused once the meeting started."""
    if not meeting.is_monthly_topic:
        raise ValidationError(_("Only monthly topic meetings have a proposed topic."))
    if not (by.is_hub or (by.is_partner and by.organisation_id == meeting.host_id)):
        raise ValidationError(_("Only the host organisation proposes the topic."))
    if meeting.has_started or meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting has started or is cancelled; the topic can no longer change."))
    with transaction.atomic():
        proposal, _created = TopicProposal.objects.update_or_create(
            meeting=meeting,
            defaults={
                "title": title.strip(),
                "problem": problem.strip(),
                "why_it_matters": why_it_matters.strip(),
                "deadline": meeting.topic_deadline,
                "proposed_by": by,
                "proposed_at": timezone.now(),
            },
        )
        Meeting.objects.filter(pk=meeting.pk).update(topic=proposal.title, updated_at=timezone.now())
        meeting.topic = proposal.title
    return proposal


def do_record_attendance(meeting: Meeting, marks: dict[int, str]) -> None:
    """Hub staff mark attendance after the meeting started; the meeting counts as held."""
    if not meeting.has_started:
        raise ValidationError(_("Attendance can be recorded once the meeting has started."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    with transaction.atomic():
        invitations = {i.pk: i for i in meeting.invitations.order_by("pk").select_for_update()}
        changed = []
        for pk, value in marks.items():
            if pk in invitations and value in Attendance.values and invitations[pk].attendance != value:
                invitations[pk].attendance = value
                changed.append(invitations[pk])
        Invitation.objects.bulk_update(changed, ["attendance"])
        meeting.mark_held()


def do_save_minutes(
    meeting: Meeting, *, text: str, decisions: str, by, expected_version: int | None
) -> Minutes:
    if not text.strip():
        raise ValidationError({"text": _("Write the minutes.")})
    with transaction.atomic():
        minutes = Minutes.objects.filter(meeting=meeting).first() or Minutes(meeting=meeting)
        minutes.text = text
        minutes.decisions = decisions
        minutes.recorded_by = by
        if minutes.pk:
            minutes.save_versioned(expected_version)
        else:
            minutes.save()
        if meeting.status != MeetingStatus.HELD:
            meeting.mark_held()
    return minutes


def do_save_diagnosis(
    meeting: Meeting, *, data: dict, by, expected_version: int | None
) -> SupervisionDiagnosis:
    if not meeting.is_supervision:
        raise ValidationError(_("Only a supervision has a diagnosis."))
    diagnosis = SupervisionDiagnosis.objects.filter(meeting=meeting).first() or SupervisionDiagnosis(
        meeting=meeting
    )
    for field in ("teaching", "operations", "integration", "needs"):
        setattr(diagnosis, field, data.get(field, ""))
    diagnosis.recorded_by = by
    # One write: save_versioned is its own transaction (a new diagnosis is a single INSERT).
    if diagnosis.pk:
        diagnosis.save_versioned(expected_version)
    else:
        diagnosis.save()
    return diagnosis


@transaction.atomic
def do_add_action_item(item: ActionItem, *, by=None) -> ActionItem:
    """A follow-up agreed in a meeting; the caller's form (or ``full_clean``) has validated it. Its
    owner is told at once, in the same transaction (``by``, who wrote it down, is not)."""
    from .reminders import action_item_assigned

    item.save()
    action_item_assigned(item, by=by)
    return item


def do_close_action_item(item: ActionItem, *, status: str, note: str, expected_version: int) -> None:
    """Done, dropped (with a note) or open again; refused when someone changed it meanwhile."""
    item.close(status, note=note, expected_version=expected_version)


# --- Feeds ------------------------------------------------------------------------------------


def do_issue_feed_token(person) -> CalendarFeedToken:
    """A new secret feed URL; the previous one (if any) stops working."""
    with transaction.atomic():
        for token in CalendarFeedToken.objects.select_for_update().active().filter(person=person):
            token.revoke()
        return CalendarFeedToken.objects.create(person=person, token=CalendarFeedToken.new_secret())


def do_revoke_feed_tokens(person) -> None:
    with transaction.atomic():
        for token in CalendarFeedToken.objects.select_for_update().active().filter(person=person):
            token.revoke()


# --- Holidays --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HolidaysSaved:
    """How many of the days given were new, changed or already entered as given."""

    created: int
    changed: int
    unchanged: int


def do_save_holiday_days(days, *, by) -> HolidaysSaved:
    """Save holidays and adjusted working days (a parsed notice or a range entered by hand) in one
    transaction; a day already entered with the same kind and name is left untouched, so saving the
    same notice twice changes nothing."""
    days = list(days)
    with transaction.atomic():
        entered = {
            row.date: row
            for row in HolidayOverride.objects.select_for_update().filter(date__in=[d.date for d in days])
        }
        created = changed = 0
        for day in days:
            row = entered.get(day.date)
            if row is None:
                HolidayOverride.objects.create(date=day.date, kind=day.kind, name=day.name, entered_by=by)
                created += 1
            elif (row.kind, row.name) != (day.kind, day.name):
                row.kind, row.name, row.entered_by = day.kind, day.name, by
                row.save(update_fields=["kind", "name", "entered_by", "updated_at"])
                changed += 1
    return HolidaysSaved(created, changed, len(days) - created - changed)
