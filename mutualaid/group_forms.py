"""Forms of the group's plan, topic voting and joint actions. None carries the acting organisation:
the actions take it from the user."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubsite.core import validators as bounds
from hubsite.core.forms import DateInput, StyledForm, VersionedFormMixin
from hubsite.core.roles import PARTNER_ROLES
from meetings.choices import MeetingKind
from meetings.models import Meeting
from partners.models import Organisation, User

from .group_models import SCORE_MAX, SCORE_MIN, JointActivity, StageGoal

SCORES = [(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
# No score is preset: a vote saved without touching the boxes must not count as 1 and 1.
SCORE_CHOICES = [("", pgettext_lazy("score", "Choose a score"))] + SCORES
MAX_SUB_ACTIVITIES = 20


def _text(label, *, rows=3, required=True, help_text=""):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=bounds.MAX_TEXT,
        required=required,
        help_text=help_text,
    )


def _not_in_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))


class PeriodMixin:
    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end cannot be before the start."))
        return data


class PlanForm(VersionedFormMixin, PeriodMixin, StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("From"), widget=DateInput(), validators=[bounds.DATE])
    ends_on = forms.DateField(label=_("Until"), widget=DateInput(), validators=[bounds.DATE])
    meeting = forms.ModelChoiceField(
        label=_("Agreed in meeting"),
        queryset=Meeting.objects.none(),
        help_text=_("The plan's action items are follow-ups of this meeting."),
    )
    ways_of_working = _text(_("Ways of working"), rows=5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The network's own meetings where a plan can be agreed (not a supervision of one partner).
        self.fields["meeting"].queryset = Meeting.objects.filter(
            kind__in=[MeetingKind.QUARTERLY_DIRECTORS, MeetingKind.HALF_YEAR_REGIONAL, MeetingKind.OTHER]
        ).order_by("-starts_at")
        self.fields["version"].required = False


class GoalForm(StyledForm):
    title = forms.CharField(label=_("Goal"), max_length=200)
    description = _text(_("Description"), required=False)
    due_on = forms.DateField(label=_("Reached by"), widget=DateInput(), validators=[bounds.DATE])


class GoalEditForm(VersionedFormMixin, GoalForm):
    """The goal as the hub corrects it, with the version it loaded."""


class ConfirmForm(VersionedFormMixin, StyledForm):
    """Nothing to fill in: the button confirms (a delete or a removal) what the page names; the
    version refuses it when someone changed the row since the page was opened."""


class CoreRoleForm(VersionedFormMixin, StyledForm):
    role = forms.CharField(label=_("Role in the core team"), max_length=100)


class ActivityForm(VersionedFormMixin, StyledForm):
    title = forms.CharField(label=_("Sub-activity"), max_length=200)


class GoalReachedForm(StyledForm):
    reached_on = forms.DateField(
        label=_("Reached on"), widget=DateInput(), validators=[_not_in_future, bounds.PAST_DATE]
    )


def partner_people():
    return (
        User.objects.filter(role__in=PARTNER_ROLES, is_active=True, organisation__isnull=False)
        .select_related("organisation")
        .order_by("organisation__name", "full_name")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} · {obj.organisation.display_name}"


class CoreTeamForm(StyledForm):
    person = PersonChoiceField(label=_("Person"), queryset=User.objects.none())
    role = forms.CharField(label=_("Role in the core team"), max_length=100)

    def __init__(self, *args, **kwargs):
        from .models import Membership

        super().__init__(*args, **kwargs)
        members = Membership.objects.current().values("organisation")
        self.fields["person"].queryset = partner_people().filter(organisation__in=members)


class PlanItemForm(StyledForm):
    what = forms.CharField(label=_("What"), max_length=300)
    owner_organisation = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none()
    )
    owner_person = PersonChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput(), validators=[bounds.DATE])
    goal = forms.ModelChoiceField(label=_("Stage goal"), queryset=StageGoal.objects.none(), required=False)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = Organisation.objects.partners().order_by("name")
        self.fields["owner_person"].queryset = partner_people()
        if plan is not None:
            self.fields["goal"].queryset = plan.goals.all()

    def clean(self):
        data = super().clean()
        person, organisation = data.get("owner_person"), data.get("owner_organisation")
        if person and organisation and person.organisation_id != organisation.pk:
            self.add_error("owner_person", _("The owner must belong to the owner organisation."))
        return data


class TopicForm(StyledForm):
    title = forms.CharField(label=_("Topic"), max_length=200)
    description = _text(
        _("The problem"), help_text=_("What happens in the centres, and what you would like to learn.")
    )


class VoteForm(StyledForm):
    recommendation = forms.TypedChoiceField(
        label=_("Recommendation score"),
        choices=SCORE_CHOICES,
        coerce=int,
        help_text=_("5: the network needs this topic most."),
    )
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty score"),
        choices=SCORE_CHOICES,
        coerce=int,
        help_text=_("5: the hardest to solve in one meeting."),
    )


class ChooseTopicForm(StyledForm):
    """Nothing to fill in: the button confirms the choice (the page says which meeting)."""


class JointActionForm(PeriodMixin, StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = _text(_("Description"), rows=4)
    starts_on = forms.DateField(label=_("From"), widget=DateInput(), validators=[bounds.DATE])
    ends_on = forms.DateField(label=_("Until"), widget=DateInput(), validators=[bounds.DATE])
    activities = _text(_("Sub-activities"), rows=5, help_text=_("One per line."))

    def clean_activities(self):
        lines = [line.strip() for line in self.cleaned_data["activities"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("Name at least one sub-activity."))
        if len(lines) > MAX_SUB_ACTIVITIES:
            raise forms.ValidationError(
                _("At most %(count)d sub-activities.") % {"count": MAX_SUB_ACTIVITIES}
            )
        if any(len(line) > 200 for line in lines):
            raise forms.ValidationError(_("Each sub-activity is at most 200 characters."))
        return list(dict.fromkeys(lines))


class InviteForm(StyledForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Organisation.objects.active().partners().order_by("name")
        if action is not None:
            queryset = queryset.exclude(pk__in=action.participants.values("organisation"))
        self.fields["organisation"].queryset = queryset


class PartForm(VersionedFormMixin, StyledForm):
    activity = forms.ModelChoiceField(label=_("Sub-activity"), queryset=JointActivity.objects.none())
    held_on = forms.DateField(
        label=_("Date"), widget=DateInput(), validators=[_not_in_future, bounds.PAST_DATE]
    )
    sessions = forms.IntegerField(
        label=pgettext_lazy("joint action", "Sessions"), min_value=1, max_value=1_000
    )
    people_served = forms.IntegerField(label=_("People served"), min_value=0, max_value=100_000)
    volunteers = forms.IntegerField(label=_("Volunteers"), min_value=0, max_value=10_000, initial=0)
    materials = forms.IntegerField(
        label=_("Materials handed out"), min_value=0, max_value=1_000_000, initial=0
    )
    note = _text(_("What was done"), required=False)

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = False
        if action is not None:
            self.fields["activity"].queryset = action.activities.all()
