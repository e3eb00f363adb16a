"""Forms on the shared bases (``hubsite.core.forms``): styled, bounded; the module edit is versioned."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hubsite.core.forms import DateInput, StyledForm, StyledModelForm, VersionedFormMixin, https_urls
from hubsite.core.validators import PAST_DATE
from meetings.choices import MeetingKind
from meetings.models import Meeting

from .choices import Decision, Education
from .models import RATING, SCORE, Module, Programme

# Evidence files: documents and photos of an activity, never anything a browser would run.
EVIDENCE_EXTENSIONS = (".pdf", ".doc", ".docx", ".jpg", ".jpeg", ".png", ".txt")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, to the minute (windows close "at 18:00")."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ProgrammeForm(StyledModelForm):
    """A new programme: its year, name and the incentive cap per learner."""

    class Meta:
        model = Programme
        fields = ["year", "name", "description", "incentive_cap"]


class ModuleForm(StyledModelForm):
    """A module's places, application window and rules."""

    class Meta:
        model = Module
        fields = [
            "name",
            "description",
            "places",
            "opens_at",
            "closes_at",
            "min_years",
            "min_education",
            "required_certificate",
            "evidence_label",
            "min_attendance_percent",
            "min_practice_records",
            "min_rating",
        ]
        widgets = {"opens_at": DateTimeInput, "closes_at": DateTimeInput}

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Applications must close after they open."))
        return cleaned


class ModuleEditForm(VersionedFormMixin, ModuleForm):
    """An edit of a module: one made over someone else's is refused (409), not merged."""


class ApplyForm(StyledForm):
    """A partner person's application to one or several open modules (never their organisation:
    the server takes it from the person)."""

    modules = forms.ModelMultipleChoiceField(
        label=_("Modules"), queryset=Module.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    years_in_child_services = forms.IntegerField(
        label=_("Years in child services"), min_value=0, max_value=60
    )
    education = forms.TypedChoiceField(label=_("Education"), choices=Education.choices, coerce=int)
    certificates = forms.CharField(
        label=_("Certificates held"),
        required=False,
        max_length=200,
        help_text=_("e.g. social worker certificate, child development training"),
    )
    holds_required_certificate = forms.BooleanField(
        label=_("I hold the certificate the module asks for"), required=False
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("An activity summary or a case record (PDF, Word or a photo, up to 10 MB)."),
    )
    motivation = forms.CharField(label=_("Why this module"), required=False, widget=forms.Textarea)

    def __init__(self, *args, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].queryset = modules

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if not evidence:
            return evidence
        if not evidence.name.lower().endswith(EVIDENCE_EXTENSIONS):
            raise forms.ValidationError(_("Upload a PDF, Word document, text file or photo."))
        if evidence.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return evidence


class ScoreForm(StyledForm):
    """The hub's initial assessment of an application (0-100)."""

    score = forms.IntegerField(
        label=_("Initial assessment score"), min_value=0, max_value=100, validators=[SCORE]
    )
    note = forms.CharField(label=_("Assessment note"), required=False, widget=forms.Textarea)


class DecisionForm(StyledForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)


class PracticeRecordForm(StyledForm):
    """A supervised service record: when, and what was done for which children and parents."""

    served_on = forms.DateField(label=_("Served on"), widget=DateInput, validators=[PAST_DATE])
    description = forms.CharField(label=_("What was done"), widget=forms.Textarea)


def rating_field(label):
    return forms.DecimalField(
        label=label, min_value=1, max_value=5, max_digits=2, decimal_places=1, validators=[RATING]
    )


class RatingForm(StyledForm):
    """The feedback ratings, 1 to 5: from the learner, their supervisor and a parent."""

    learner = rating_field(_("Learner's rating"))
    supervisor = rating_field(_("Supervisor's rating"))
    parent = rating_field(_("Parent's rating"))


class DeferForm(StyledForm):
    reason = forms.CharField(label=_("Reason for deferral"), widget=forms.Textarea)


class CompleteForm(StyledForm):
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput, validators=[PAST_DATE])
    honour = forms.BooleanField(
        label=_("Excellent learner: honour certificate and the talent pool's mark"), required=False
    )


class IncentiveForm(StyledForm):
    amount = forms.DecimalField(label=_("Incentive (yuan)"), min_value=0, max_digits=9, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput, required=False, validators=[PAST_DATE])


class SessionForm(StyledModelForm):
    """A new session of a module: when and where (a meeting of the calendar, kind "training
    session"); the module's learners are invited."""

    confirm = forms.BooleanField(
        label=_("Confirm now and send the invitations"),
        required=False,
        initial=True,
        help_text=_("Otherwise the session stays planned until it is confirmed on its meeting page."),
    )

    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "place", "online_link", "agenda"]
        widgets = {
            "starts_at": DateTimeInput,
            "ends_at": DateTimeInput,
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }
        formfield_callback = https_urls

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's own rules (an end after the start) are checked for this kind.
        self.instance.kind = MeetingKind.TRAINING_SESSION
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("place") or "").strip() and not cleaned.get("online_link"):
            self.add_error("place", _("Give the place or an online link."))
        return cleaned
