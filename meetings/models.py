"""The four-tier meeting cadence: meetings, invitations, minutes, follow-ups and the planner's inputs.

Scoping: every query a partner can trigger goes through ``for_user`` on these querysets. The network
calendar (titles and times of network meetings) is shared; an organisation's supervision, its
diagnosis and its action items are internal to it and the hub.
"""

from __future__ import annotations

import datetime
import re
import secrets

import markdown
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from hubsite.core import validators as bounds
from hubsite.core.models import TimeStampedModel, VersionedModel
from hubsite.core.scoping import ScopedQuerySet
from partners.choices import OrganisationStatus

from . import titles
from .choices import (
    REGIONAL_REVIEW_KINDS,
    UPCOMING_STATUSES,
    ActionStatus,
    Attendance,
    DayKind,
    Frequency,
    MeetingKind,
    MeetingStatus,
    Rsvp,
    Weekday,
    WeekOfMonth,
)

TOPIC_DEADLINE_DAYS = getattr(settings, "MEETINGS_TOPIC_DEADLINE_DAYS", 10)


def _is_local(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def _drop_outside_images(tag: str, attribute: str, value: str) -> str | None:
    # An image from another site is fetched by every reader's browser (it tells that site who reads
    # the minutes) and is usually blocked in mainland China, showing a broken icon: only the site's
    # own images are kept.
    if tag == "img" and attribute == "src" and not _is_local(value):
        return None
    return value


IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*?(?:\salt=\"(?P<alt>[^\"]*)\")?[^>]*>")


def render_markdown(text: str) -> str:
    """Markdown (with tables) to HTML, sanitised by nh3 (an allow-list), so stored text can never
    inject markup; images from other sites leave only their description."""
    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"])
    # nh3 removes every tag and attribute outside its allow-list (no script, no on* handlers).
    html = nh3.clean(
        html,
        attribute_filter=_drop_outside_images,
        set_tag_attribute_values={"table": {"class": "table table-sm table-bordered"}},
    )
    html = IMAGE_WITHOUT_SOURCE.sub(lambda match: match.group("alt") or "", html)
    # A wide table scrolls inside its own box on a phone instead of widening the page.
    html = html.replace("<table", '<div class="table-responsive"><table').replace(
        "</table>", "</table></div>"
    )
    return mark_safe(html)  # noqa: S308


# ---------------------------------------------------------------------------------------------
# Meetings


class MeetingQuerySet(ScopedQuerySet):
    """Meetings: the network calendar is shared, a supervision is internal to its organisation."""

    def visible_to(self, user) -> Q:
        """Others than the hub see the network calendar and their own organisation's supervision;
        another organisation's supervision does not exist for them."""
        visible = ~Q(kind=MeetingKind.SUPERVISION)
        if user.is_partner and user.organisation_id:
            visible |= Q(kind=MeetingKind.SUPERVISION, organisation_id=user.organisation_id)
        return visible

    def editable_to(self, user) -> None:
        """Only hub staff plan and change meetings."""
        return None

    def upcoming(self, now=None) -> MeetingQuerySet:
        now = now or timezone.now()
        return self.filter(
            ends_at__gte=now, status__in=[MeetingStatus.PLANNED, MeetingStatus.CONFIRMED]
        ).order_by("starts_at")

    def in_range(self, first: datetime.date, last: datetime.date) -> MeetingQuerySet:
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return self.filter(starts_at__gte=start, starts_at__lt=end)


class Meeting(VersionedModel, TimeStampedModel):
    """One meeting of the cadence (or another event).

    Natural key of planned meetings: (kind, year, sequence) for network meetings and
    (kind, year, organisation, sequence) for supervision, so that the planner can run twice without
    creating a meeting twice. Status moves through ``confirm``, ``mark_held`` and ``cancel``.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("Markdown: paragraphs and lists."))
    starts_at = models.DateTimeField(_("starts at"), validators=[bounds.DATE])
    ends_at = models.DateTimeField(_("ends at"), validators=[bounds.DATE])
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    host = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host organisation"),
        help_text=_("The partner that proposes and leads a monthly topic meeting."),
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervisions",
        verbose_name=_("organisation supervised"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[bounds.YEAR], null=True, blank=True, editable=False
    )
    sequence = models.PositiveSmallIntegerField(
        _("sequence in the year"), validators=[bounds.ORDER], null=True, blank=True, editable=False
    )
    topic_due_on = models.DateField(_("topic due on"), validators=[bounds.DATE], null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(kind=MeetingKind.SUPERVISION) | Q(organisation__isnull=False),
                name="supervision_has_organisation",
            ),
            models.UniqueConstraint(
                fields=["kind", "year", "sequence"],
                condition=Q(sequence__isnull=False, organisation__isnull=True),
                name="unique_network_meeting_in_year",
            ),
            models.UniqueConstraint(
                fields=["kind", "year", "organisation", "sequence"],
                condition=Q(sequence__isnull=False, organisation__isnull=False),
                name="unique_supervision_in_year",
            ),
        ]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The title in the reader's language when the planner wrote it (see meetings.titles)."""
        return titles.localized(self.title, self.kind)

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The meeting must end after it starts.")
        if self.kind == MeetingKind.SUPERVISION and not self.organisation_id:
            errors["organisation"] = _("A supervision needs the organisation it supervises.")
        if self.kind != MeetingKind.SUPERVISION and self.organisation_id:
            errors["organisation"] = _("Only a supervision has an organisation supervised.")
        if self.kind == MeetingKind.MONTHLY_TOPIC and self.host_id:
            errors.update(self._host_errors())
        if self.kind != MeetingKind.MONTHLY_TOPIC and self.host_id:
            errors["host"] = _("Only a monthly topic meeting has a host organisation.")
        if self.status == MeetingStatus.CANCELLED and not self.cancel_reason.strip():
            errors["cancel_reason"] = _("Say why the meeting is cancelled.")
        if errors:
            raise ValidationError(errors)

    def _host_errors(self) -> dict:
        """The host must be a partner on the meeting's day, by its status history: a partner that
        paused since still hosted the meetings before its pause."""
        from .planner import membership

        host = self.host
        if host.is_hub:
            return {"host": _("The host must be an active partner organisation.")}
        if self.starts_at is None:
            is_active = host.status == OrganisationStatus.ACTIVE
            return {} if is_active else {"host": _("The host must be an active partner organisation.")}
        day = timezone.localtime(self.starts_at).date()
        if not membership(host).on(day):
            return {
                "host": _("%(organisation)s is not an active partner on %(date)s (see its status history).")
                % {"organisation": host, "date": day.isoformat()}
            }
        return {}

    # --- state -----------------------------------------------------------------------------

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_supervision(self) -> bool:
        return self.kind == MeetingKind.SUPERVISION

    @property
    def is_monthly_topic(self) -> bool:
        return self.kind == MeetingKind.MONTHLY_TOPIC

    @property
    def is_regional_review(self) -> bool:
        """The quarterly directors' and half-year regional meetings, which review the network's figures
        (the reports app attaches its report pack to them)."""
        return self.kind in REGIONAL_REVIEW_KINDS

    @property
    def is_planned(self) -> bool:
        return self.status == MeetingStatus.PLANNED

    @property
    def is_open(self) -> bool:
        """Planned or confirmed: neither held nor cancelled yet."""
        return self.status in UPCOMING_STATUSES

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def topic_deadline(self) -> datetime.date | None:
        if not self.is_monthly_topic:
            return None
        return self.topic_due_on or bounds.shift_days(
            timezone.localtime(self.starts_at).date(), -TOPIC_DEADLINE_DAYS
        )

    def _set_status(self, status: str, **fields) -> None:
        self.status = status
        for name, value in fields.items():
            setattr(self, name, value)
        self.version += 1
        self.save(update_fields=["status", "version", "updated_at", *fields])

    def confirm(self) -> None:
        """Planned -> confirmed: the date holds (``actions.do_confirm_meeting`` sends the invitations)."""
        if self.status != MeetingStatus.PLANNED:
            raise ValidationError(_("Only a planned meeting can be confirmed."))
        self._set_status(MeetingStatus.CONFIRMED)

    def mark_held(self) -> None:
        if self.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("A cancelled meeting cannot be marked as held."))
        if not self.has_started:
            raise ValidationError(_("A meeting can only be marked as held once it has started."))
        if self.status != MeetingStatus.HELD:
            self._set_status(MeetingStatus.HELD)

    def cancel(self, reason: str) -> None:
        if not (reason or "").strip():
            raise ValidationError({"cancel_reason": _("Say why the meeting is cancelled.")})
        if self.status == MeetingStatus.HELD:
            raise ValidationError(_("A meeting that was held cannot be cancelled."))
        self._set_status(MeetingStatus.CANCELLED, cancel_reason=reason.strip())

    def agenda_html(self) -> str:
        return render_markdown(self.agenda)


class TopicProposal(VersionedModel, TimeStampedModel):
    """The host organisation's proposed topic for a monthly meeting (due ``topic_deadline``)."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="topic_proposal", verbose_name=_("meeting")
    )
    title = models.CharField(_("topic title"), max_length=200)
    problem = models.TextField(_("the problem"))
    why_it_matters = models.TextField(_("why it matters"))
    deadline = models.DateField(_("deadline"), validators=[bounds.DATE])
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), validators=[bounds.DATE], default=timezone.now)

    class Meta:
        verbose_name = _("topic proposal")
        verbose_name_plural = _("topic proposals")

    def __str__(self) -> str:
        return self.title

    @property
    def is_late(self) -> bool:
        return timezone.localtime(self.proposed_at).date() > self.deadline


class InvitationQuerySet(ScopedQuerySet):
    """Invitations: partners see those of their organisation's people, anyone else their own."""

    def visible_to(self, user) -> Q:
        if user.is_partner and user.organisation_id:
            return Q(person__organisation_id=user.organisation_id)
        return Q(person_id=user.pk)

    def editable_to(self, user) -> Q:
        """Only the invitee replies to an invitation."""
        return Q(person_id=user.pk)


class Invitation(TimeStampedModel):
    """A person invited to a meeting, their reply and (after the meeting) their attendance.

    ``organisation`` keeps the organisation the person belonged to when invited, so attendance
    rates per organisation stay right after people move.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    rsvp = models.CharField(_("reply"), max_length=10, choices=Rsvp.choices, default=Rsvp.PENDING)
    rsvp_at = models.DateTimeField(_("replied at"), validators=[bounds.DATE], null=True, blank=True)
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices, blank=True)
    is_manual = models.BooleanField(
        _("invited by hand"), default=False, help_text=_("Kept even when the person leaves the audience.")
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "person__full_name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="unique_invitation")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.meeting}"

    def reply(self, answer: str) -> None:
        """The invitee's answer; refused once the meeting has started."""
        if answer not in (Rsvp.ACCEPTED, Rsvp.DECLINED):
            raise ValidationError({"rsvp": _("Choose whether you will attend.")})
        if self.meeting.has_started:
            raise ValidationError(_("The meeting has already started; replies are closed."))
        if self.meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("The meeting is cancelled."))
        self.rsvp = answer
        self.rsvp_at = timezone.now()
        self.save(update_fields=["rsvp", "rsvp_at", "updated_at"])


class Minutes(VersionedModel, TimeStampedModel):
    """What was said and decided (Markdown, rendered through ``render_markdown``)."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("meeting")
    )
    text = models.TextField(_("minutes"), help_text=_("Markdown: paragraphs, lists (- item), **bold**."))
    decisions = models.TextField(
        _("decisions"), blank=True, help_text=_("Markdown: one decision per list item.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{self.meeting}"

    def text_html(self) -> str:
        return render_markdown(self.text)

    def decisions_html(self) -> str:
        return render_markdown(self.decisions)


class ActionItemQuerySet(ScopedQuerySet):
    """Action items are internal to their owner organisation and the hub."""

    organisation_field = "owner_organisation"

    def open(self) -> ActionItemQuerySet:
        return self.filter(status=ActionStatus.OPEN)


class ActionItem(VersionedModel, TimeStampedModel):
    """A follow-up agreed in a meeting: what, who owns it, by when, and how it ended."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("meeting")
    )
    what = models.CharField(_("what"), max_length=300)
    owner_organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name=_("owner organisation"),
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), validators=[bounds.DATE])
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    note = models.TextField(_("note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), validators=[bounds.DATE], null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.what

    def clean(self):
        if self.owner_person_id and self.owner_organisation_id:
            person = self.owner_person
            if person.organisation_id != self.owner_organisation_id:
                raise ValidationError({"owner_person": _("The owner must belong to the owner organisation.")})

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < timezone.localdate()

    def close(self, status: str, *, note: str = "", expected_version: int | None = None) -> None:
        """Done or dropped (dropping needs a note); reopening sets it open again."""
        if status not in ActionStatus.values:
            raise ValidationError({"status": _("Choose a valid status.")})
        if status == ActionStatus.DROPPED and not note.strip():
            raise ValidationError({"note": _("Say why the item is dropped.")})
        self.status = status
        if note.strip():
            self.note = note.strip()
        self.closed_at = None if status == ActionStatus.OPEN else timezone.now()
        self.save_versioned(self.version if expected_version is None else expected_version)


class SupervisionDiagnosis(VersionedModel, TimeStampedModel):
    """The structured diagnosis of an individual supervision (internal to the organisation and hub)."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="diagnosis", verbose_name=_("meeting")
    )
    teaching = models.TextField(_("teaching"), blank=True)
    operations = models.TextField(_("operations"), blank=True)
    integration = models.TextField(_("integration with the organisation's other projects"), blank=True)
    needs = models.TextField(_("the organisation's needs"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("supervision diagnosis")
        verbose_name_plural = _("supervision diagnoses")

    def __str__(self) -> str:
        return f"{self.meeting}"

    def clean(self):
        if self.meeting_id and not self.meeting.is_supervision:
            raise ValidationError(_("Only a supervision has a diagnosis."))


# ---------------------------------------------------------------------------------------------
# Planner inputs


class SupervisionFrequency(TimeStampedModel):
    """How often the hub supervises one organisation, when it differs from the default
    (monthly in the organisation's first year as a partner, quarterly after)."""

    organisation = models.OneToOneField(
        "partners.Organisation",
        on_delete=models.CASCADE,
        related_name="supervision_frequency",
        verbose_name=_("organisation"),
    )
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("supervision frequency")
        verbose_name_plural = _("supervision frequencies")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_frequency_display()}"


class RotationSkip(TimeStampedModel):
    """An organisation left out of the host rotation for one month, with the reason."""

    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.CASCADE,
        related_name="rotation_skips",
        verbose_name=_("organisation"),
    )
    month = models.DateField(
        _("month"), validators=[bounds.DATE], help_text=_("The first day of the month skipped.")
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-month"]
        verbose_name = _("rotation skip")
        verbose_name_plural = _("rotation skips")
        constraints = [models.UniqueConstraint(fields=["organisation", "month"], name="unique_rotation_skip")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.month:%Y-%m}"


class HolidayOverride(TimeStampedModel):
    """A statutory holiday or adjusted working day entered by hub staff; it takes precedence over
    the ``chinese_calendar`` package (and is the only source for years the package does not know)."""

    date = models.DateField(_("date"), validators=[bounds.DATE], unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday or adjusted day")
        verbose_name_plural = _("holidays and adjusted days")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class PlanDraft(VersionedModel, TimeStampedModel):
    """A proposed year of meetings that hub staff adjust before confirming.

    Kept in the database rather than the session: two staff members may look at the same draft,
    it survives a log-out or a phone switching to a laptop, and versioning detects concurrent edits.
    ``items`` is a list of dicts (see ``meetings.planner``); confirming turns them into meetings.
    """

    year = models.PositiveSmallIntegerField(_("year"), validators=[bounds.YEAR])
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, default=Weekday.WEDNESDAY
    )
    week_of_month = models.PositiveSmallIntegerField(
        _("week of the month"), choices=WeekOfMonth.choices, default=WeekOfMonth.SECOND
    )
    items = models.JSONField(_("proposed meetings"), default=list)
    calendar_known = models.BooleanField(_("holidays known to the package"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), validators=[bounds.DATE], null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("plan draft")
        verbose_name_plural = _("plan drafts")

    def __str__(self) -> str:
        return f"{self.year}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:plan_detail", args=[self.pk])

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class CalendarFeedTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class CalendarFeedToken(TimeStampedModel):
    """A person's secret calendar-feed URL; revoking it makes the URL answer 404 for good."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_tokens",
        verbose_name=_("person"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), validators=[bounds.DATE], null=True, blank=True)

    objects = CalendarFeedTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(revoked_at__isnull=True), name="one_active_feed_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}"

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at", "updated_at"])
