"""Forms of the growth file: stage decisions, support cycles and their goals, graduation, and the
yearly needs questionnaire. None carries an organisation: the page's URL names it, the server sets it."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubsite.core.forms import DateInput, StyledForm, StyledModelForm, VersionedModelForm, add_css, widget_css

from .choices import DevelopmentStage, GraduationDecision, stage_label
from .models import CycleGoal, SupportCycle

SCORE_CHOICES = [
    (1, _("1 - no need")),
    (2, _("2 - small need")),
    (3, _("3 - some need")),
    (4, _("4 - strong need")),
    (5, _("5 - urgent need")),
]


def not_in_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return day


class StageChangeForm(StyledForm):
    """The hub's decision on an organisation's development stage, with its date and reason."""

    stage = forms.ChoiceField(label=_("New stage"), choices=())
    effective_on = forms.DateField(label=_("Effective on"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [
            (value, stage_label(value)) for value in DevelopmentStage.values if value != organisation.stage
        ]
        self.fields["effective_on"].initial = timezone.localdate()

    def clean_effective_on(self):
        return not_in_future(self.cleaned_data["effective_on"])


class SupportCycleForm(VersionedModelForm):
    """A support cycle's dates, the support planned and the two reviews (hub staff)."""

    class Meta:
        model = SupportCycle
        fields = [
            "starts_on",
            "ends_on",
            "planned_support",
            "mid_reviewed_on",
            "mid_review",
            "end_reviewed_on",
            "end_review",
        ]
        widgets = {
            "starts_on": DateInput,
            "ends_on": DateInput,
            "mid_reviewed_on": DateInput,
            "end_reviewed_on": DateInput,
            "planned_support": forms.Textarea(attrs={"rows": 4}),
            "mid_review": forms.Textarea(attrs={"rows": 4}),
            "end_review": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        for day, text in (("mid_reviewed_on", "mid_review"), ("end_reviewed_on", "end_review")):
            if cleaned.get(text, "").strip() and not cleaned.get(day):
                self.add_error(day, _("Give the date of this review."))
            not_in_future_error(self, day, cleaned.get(day))
        return cleaned


def not_in_future_error(form, field, day):
    if day and day > timezone.localdate():
        form.add_error(field, _("The date cannot be in the future."))


class SupportCycleCreateForm(SupportCycleForm):
    """A new cycle: no version yet, and its reviews come later."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        for name in ("mid_reviewed_on", "mid_review", "end_reviewed_on", "end_review"):
            del self.fields[name]


class CycleGoalForm(StyledModelForm):
    """One goal of a cycle in one area; at the review, how far it got."""

    class Meta:
        model = CycleGoal
        fields = ["area", "goal", "progress", "note"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 3}), "note": forms.Textarea(attrs={"rows": 3})}


class GraduationForm(StyledForm):
    """The graduation decision (出壳) and the evidence it rests on."""

    decision = forms.ChoiceField(label=_("Decision"), choices=GraduationDecision.choices)
    decided_on = forms.DateField(label=pgettext_lazy("growth", "Decided on"), widget=DateInput)
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea,
        help_text=_("What shows it: reviews, ratings, finances, the centres it runs on its own."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()

    def clean_decided_on(self):
        return not_in_future(self.cleaned_data["decided_on"])


class NeedsForm(StyledForm):
    """One year's questionnaire: a 1-5 score and an optional comment per question."""

    def __init__(self, *args, questions, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        answers = answers or {}
        for question in self.questions:
            answer = answers.get(question.pk)
            self.fields[f"score_{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                initial=answer.score if answer else None,
                error_messages={"required": _("Choose a score from 1 to 5.")},
            )
            self.fields[f"comment_{question.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=answer.comment if answer else "",
            )
        # StyledForm styled the fields it found at construction; these came after.
        for name, field in self.fields.items():
            if name.startswith(("score_", "comment_")) and (css := widget_css(field.widget)):
                add_css(field.widget.attrs, css)

    def answers(self):
        """(question, score, comment) for every question, once the form is valid."""
        return [
            (
                question,
                self.cleaned_data[f"score_{question.pk}"],
                self.cleaned_data[f"comment_{question.pk}"].strip(),
            )
            for question in self.questions
        ]
