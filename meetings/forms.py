import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubsite.core import validators as bounds
from hubsite.core.validators import BoundsMixin
from partners.models import Organisation

from .choices import ActionStatus, Attendance, DayKind, MeetingKind, Rsvp, Weekday, WeekOfMonth
from .models import ActionItem, HolidayOverride, Meeting, SupervisionDiagnosis, TopicProposal

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput


class MeetingForm(BoundsMixin, forms.ModelForm):
    """Hub staff create or edit one meeting; ``version`` detects a concurrent edit."""

    expected_version = VersionField(required=False)
    online_link = forms.URLField(label=_("online link"), required=False, assume_scheme="https")

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every organisation is offered so that a wrong choice gets the model's clear message.
        organisations = Organisation.objects.order_by("-is_hub", "name")
        self.fields["host"].queryset = organisations
        self.fields["organisation"].queryset = organisations
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            if self.instance.year:
                # The planner's natural key (kind, year, sequence) must not change under it.
                self.fields["kind"].disabled = True


class StatusForm(BoundsMixin, forms.Form):
    ACTIONS = [("confirm", _("Confirm")), ("held", _("Mark as held")), ("cancel", _("Cancel"))]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    reason = forms.CharField(
        label=_("Reason for cancelling"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RsvpForm(BoundsMixin, forms.Form):
    rsvp = forms.ChoiceField(
        label=_("Reply"), choices=[(Rsvp.ACCEPTED, Rsvp.ACCEPTED.label), (Rsvp.DECLINED, Rsvp.DECLINED.label)]
    )


class TopicProposalForm(BoundsMixin, forms.ModelForm):
    class Meta:
        model = TopicProposal
        fields = ["title", "problem", "why_it_matters"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "why_it_matters": forms.Textarea(attrs={"rows": 3}),
        }


class MinutesForm(BoundsMixin, forms.Form):
    text = forms.CharField(
        label=_("Meeting minutes"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: blank line between paragraphs, '- ' for list items."),
    )
    decisions = forms.CharField(
        label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    expected_version = VersionField(required=False)


class DiagnosisForm(BoundsMixin, forms.ModelForm):
    expected_version = VersionField(required=False)

    class Meta:
        model = SupervisionDiagnosis
        fields = ["teaching", "operations", "integration", "needs"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


class ActionItemForm(BoundsMixin, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["what", "owner_organisation", "owner_person", "due_on"]
        widgets = {"due_on": DATE}

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.order_by("-is_hub", "name")
        if meeting is not None and meeting.is_supervision:
            orgs = orgs.filter(pk__in=[meeting.organisation_id]) | orgs.filter(is_hub=True)
        self.fields["owner_organisation"].queryset = orgs
        self.fields["owner_person"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, organisation__isnull=False)
            .select_related("organisation")
        )
        self.fields["owner_person"].label_from_instance = lambda u: f"{u.full_name} ({u.organisation})"
        self.fields["due_on"].initial = timezone.localdate() + datetime.timedelta(days=30)


class ActionStatusForm(BoundsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    expected_version = VersionField()


class AttendanceForm(BoundsMixin, forms.Form):
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


class PlanForm(BoundsMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), validators=[bounds.PLAN_YEAR])
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=Weekday.choices, coerce=int, initial=Weekday.WEDNESDAY
    )
    week_of_month = forms.TypedChoiceField(
        label=_("Week of the month"), choices=WeekOfMonth.choices, coerce=int, initial=WeekOfMonth.SECOND
    )


class PlanMoveForm(BoundsMixin, forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    date = forms.DateField(label=_("New date"), widget=DATE)
    expected_version = VersionField()


class PlanSwapForm(BoundsMixin, forms.Form):
    first = forms.ChoiceField(label=_("Month"))
    second = forms.ChoiceField(label=_("Swap with"))
    expected_version = VersionField()

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first"].choices = months
        self.fields["second"].choices = months


class PlanSkipForm(BoundsMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    month = forms.TypedChoiceField(label=_("Month"), choices=[(m, m) for m in range(1, 13)], coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    expected_version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.partners().active().order_by("name")


class RotationSkipForm(PlanSkipForm):
    """A skip on the rotation page names its year (this year when left empty)."""

    year = forms.IntegerField(label=_("Year"), required=False, validators=[bounds.PLAN_YEAR])

    def clean_year(self):
        return self.cleaned_data["year"] or timezone.localdate().year


class ConfirmPlanForm(BoundsMixin, forms.Form):
    expected_version = VersionField()


class AttendanceRatesFilterForm(BoundsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *MeetingKind.choices], required=False)
    year = forms.IntegerField(label=_("Year"), required=False, validators=[bounds.YEAR])


class YearFilterForm(BoundsMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, validators=[bounds.PLAN_YEAR])


class MonthForm(BoundsMixin, forms.Form):
    """The calendar's month (YYYY-MM); outside the bounds the calendar shows this month."""

    month = bounds.MonthField(required=False)


class HolidayForm(BoundsMixin, forms.ModelForm):
    class Meta:
        model = HolidayOverride
        fields = ["date", "kind", "name"]
        widgets = {"date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = DayKind.choices


MEETING_KIND_CHOICES = MeetingKind.choices
