"""Meetings forms, on the project's one form base (``hubsite.core.forms``).

Edits of a versioned record carry its ``version`` (``VersionedFormMixin``): a save over someone
else's answers ``STALE_MESSAGE`` instead of overwriting it.
"""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubsite.core import validators as bounds
from hubsite.core.forms import DateInput, StyledForm, StyledModelForm, VersionedFormMixin, https_urls
from partners.choices import OrganisationStatus
from partners.models import Organisation

from . import holidays
from .choices import (
    UPCOMING_STATUSES,
    ActionStatus,
    Attendance,
    DayKind,
    MeetingKind,
    Rsvp,
    StatusChange,
    Weekday,
    WeekOfMonth,
)
from .models import ActionItem, Meeting, SupervisionDiagnosis, TopicProposal

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OptionalVersionMixin(VersionedFormMixin):
    """The version of a record that may not exist yet (a new meeting, the first minutes): empty
    means "I loaded nothing", which ``save_versioned`` refuses once someone else has created it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = False


class MeetingForm(OptionalVersionMixin, StyledModelForm):
    """Hub staff create or edit one meeting; ``version`` detects a concurrent edit."""

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "topic",
            "agenda",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "host",
            "organisation",
        ]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME, "agenda": forms.Textarea(attrs={"rows": 5})}
        formfield_callback = https_urls

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.order_by("-is_hub", "name")
        # Only partners host (the hub convenes; prospects and applicants have never been partners);
        # ``Meeting.clean`` checks that the host was a partner on the meeting's day.
        self.fields["host"].queryset = organisations.partners().exclude(
            status__in=[OrganisationStatus.PROSPECT, OrganisationStatus.APPLICANT]
        )
        self.fields["organisation"].queryset = organisations
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if self.instance.pk and self.instance.year:
            # The planner's natural key (kind, year, sequence) must not change under it.
            self.fields["kind"].disabled = True

    def clean(self):
        data = super().clean()
        # People need to know where to go before the meeting; a held or cancelled one is history.
        nowhere = not (data.get("place") or data.get("online_link"))
        unchecked = "place" not in self.errors and "online_link" not in self.errors
        if self.instance.status in UPCOMING_STATUSES and nowhere and unchecked:
            self.add_error("place", _("Enter a place or an online link (or both)."))
        return data


class StatusForm(StyledForm):
    """Confirm, mark as held or cancel (with a reason) a meeting."""

    action = forms.ChoiceField(label=pgettext_lazy("meetings", "Action"), choices=StatusChange.choices)
    reason = forms.CharField(
        label=_("Reason for cancelling"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RsvpForm(StyledForm):
    """The invitee's answer."""

    rsvp = forms.ChoiceField(
        label=_("Reply"), choices=[(Rsvp.ACCEPTED, Rsvp.ACCEPTED.label), (Rsvp.DECLINED, Rsvp.DECLINED.label)]
    )


class TopicProposalForm(StyledModelForm):
    """The host organisation's proposed topic."""

    class Meta:
        model = TopicProposal
        fields = ["title", "problem", "why_it_matters"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "why_it_matters": forms.Textarea(attrs={"rows": 3}),
        }


class MinutesForm(OptionalVersionMixin, StyledForm):
    """The minutes of a meeting (Markdown), created or edited."""

    text = forms.CharField(
        label=_("Meeting minutes"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: blank line between paragraphs, '- ' for list items."),
    )
    decisions = forms.CharField(
        label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class DiagnosisForm(OptionalVersionMixin, StyledModelForm):
    """The structured diagnosis of a supervision, created or edited."""

    class Meta:
        model = SupervisionDiagnosis
        fields = ["teaching", "operations", "integration", "needs"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


class ActionItemForm(StyledModelForm):
    """A follow-up agreed in a meeting; a supervision's items belong to its organisation or the hub."""

    class Meta:
        model = ActionItem
        fields = ["what", "owner_organisation", "owner_person", "due_on"]
        widgets = {"due_on": DateInput}

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.order_by("-is_hub", "name")
        if meeting is not None and meeting.is_supervision:
            orgs = orgs.filter(pk__in=[meeting.organisation_id]) | orgs.filter(is_hub=True)
        self.fields["owner_organisation"].queryset = orgs
        people = list(
            get_user_model()
            .objects.filter(is_active=True, organisation__in=orgs)
            .select_related("organisation")
            .order_by("organisation__name", "full_name")
        )
        self.fields["owner_person"].queryset = get_user_model().objects.filter(pk__in=[p.pk for p in people])
        self.fields["owner_person"].choices = [("", self.fields["owner_person"].empty_label)] + [
            (person.pk, f"{person.full_name} ({person.organisation})") for person in people
        ]
        # Which organisation each person offered belongs to: the page filters the list by it.
        self.owner_people = {str(person.pk): person.organisation_id for person in people}
        self.fields["due_on"].initial = timezone.localdate() + datetime.timedelta(days=30)


class ActionStatusForm(VersionedFormMixin, StyledForm):
    """An action item marked done, dropped or open again."""

    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AttendanceForm(StyledForm):
    """One select per invitation, built from the meeting's invitations."""

    def __init__(self, *args, invitations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = list(invitations)
        for invitation in self.invitations:
            self.fields[f"inv_{invitation.pk}"] = forms.ChoiceField(
                label=str(invitation.person),
                choices=Attendance.choices,
                required=False,
                initial=invitation.attendance,
            )

    def rows(self):
        return [(invitation, self[f"inv_{invitation.pk}"]) for invitation in self.invitations]

    def marks(self) -> dict[int, str]:
        return {i.pk: self.cleaned_data.get(f"inv_{i.pk}") or "" for i in self.invitations}


class PlanForm(StyledForm):
    """The year to plan and the meeting day of the month."""

    year = forms.IntegerField(label=_("Year"), validators=[bounds.PLAN_YEAR])
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=Weekday.choices, coerce=int, initial=Weekday.WEDNESDAY
    )
    week_of_month = forms.TypedChoiceField(
        label=_("Week of the month"), choices=WeekOfMonth.choices, coerce=int, initial=WeekOfMonth.SECOND
    )


class PlanMoveForm(VersionedFormMixin, StyledForm):
    """One proposed meeting of a plan moved to another day."""

    key = forms.CharField(widget=forms.HiddenInput)
    date = forms.DateField(label=_("New date"), widget=DateInput)


class PlanSwapForm(VersionedFormMixin, StyledForm):
    """The hosts of two monthly topic meetings of a plan swapped."""

    first = forms.ChoiceField(label=_("Month"))
    second = forms.ChoiceField(label=_("Swap with"))

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first"].choices = months
        self.fields["second"].choices = months
        # Two sides on the same month would be a swap that does nothing.
        if len(months) > 1:
            self.fields["first"].initial = months[0][0]
            self.fields["second"].initial = months[1][0]


class SkipForm(StyledForm):
    """An active partner left out of the host rotation for one month, and why."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    month = forms.TypedChoiceField(label=_("Month"), choices=[(m, m) for m in range(1, 13)], coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.partners().active().order_by("name")


class PlanSkipForm(VersionedFormMixin, SkipForm):
    """A skip made on a plan, which re-rotates the plan's hosts."""


class RotationSkipForm(SkipForm):
    """A skip on the rotation page names its year (this year when left empty)."""

    year = forms.IntegerField(label=_("Year"), required=False, validators=[bounds.PLAN_YEAR])

    def clean_year(self):
        return self.cleaned_data["year"] or timezone.localdate().year


class ConfirmPlanForm(VersionedFormMixin, StyledForm):
    """Confirming a plan names the version the confirmer saw."""


class AttendanceRatesFilterForm(StyledForm):
    """The attendance rates' filters (ignored when they do not parse)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *MeetingKind.choices], required=False)
    year = forms.IntegerField(label=_("Year"), required=False, validators=[bounds.YEAR])


class YearFilterForm(StyledForm):
    """The holiday list's year filter."""

    year = forms.IntegerField(label=_("Year"), required=False, validators=[bounds.PLAN_YEAR])


class MonthForm(StyledForm):
    """The calendar's month (YYYY-MM); outside the bounds the calendar shows this month."""

    month = bounds.MonthField(required=False)


class HolidayForm(StyledForm):
    """Holidays or adjusted working days entered by hand: one day, or a range up to ``until``."""

    MAX_DAYS = 31

    date = forms.DateField(label=_("Date"), widget=DateInput, validators=[bounds.DATE])
    until = forms.DateField(
        label=pgettext_lazy("meetings", "Until (optional)"),
        widget=DateInput,
        required=False,
        validators=[bounds.DATE],
        help_text=_("For a range of days, the last one."),
    )
    kind = forms.ChoiceField(label=pgettext_lazy("meetings", "Kind of day"), choices=DayKind.choices)
    name = forms.CharField(label=pgettext_lazy("meetings", "Name"), max_length=60, required=False)

    def clean(self):
        data = super().clean()
        first, last = data.get("date"), data.get("until")
        if first and last:
            if last < first:
                self.add_error("until", _("The last day must not come before the first."))
            elif (last - first).days >= self.MAX_DAYS:
                self.add_error("until", _("Enter at most %(days)s days at a time.") % {"days": self.MAX_DAYS})
        return data

    def days(self):
        data = self.cleaned_data
        return holidays.day_range(data["date"], data["until"] or data["date"], data["kind"], data["name"])


class HolidayNoticeForm(StyledForm):
    """The State Council's holiday notice pasted by hub staff; ``notice`` holds what it says."""

    text = forms.CharField(
        label=_("Text of the notice"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Paste the notice from its title to its last numbered item; text around it is ignored."),
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        validators=[bounds.PLAN_YEAR],
        help_text=_("Only needed when the pasted text has no title."),
    )

    def clean(self):
        data = super().clean()
        if "text" in data:
            try:
                self.notice = holidays.parse_notice(data["text"], data.get("year"))
            except ValidationError as error:
                self.add_error("text", error)
            else:
                try:
                    bounds.PLAN_YEAR(self.notice.year)
                except ValidationError as error:
                    self.add_error("text", error)
                if data.get("year") and self.notice.year != data["year"]:
                    self.add_error("year", _("The notice is for %(year)s.") % {"year": self.notice.year})
        return data
