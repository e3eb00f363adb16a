"""Forms of the annual report's words: which period, the text, a story, a consent answer."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubsite.core import validators as bounds
from hubsite.core.forms import StyledForm, VersionedFormMixin, VersionedModelForm
from partners.choices import OrganisationStatus
from partners.models import Organisation

from ..models import AnnualNarrative, AnnualStory
from ..periods import parse_month
from . import periods
from .choices import PeriodKind

ANNUAL_KINDS = [(PeriodKind.YEAR, PeriodKind.YEAR.label), (PeriodKind.HALF_YEAR, PeriodKind.HALF_YEAR.label)]


class NarrativeCreateForm(StyledForm):
    """A year or half-year; the hub may name a partner (empty: the region's text). A director gets no
    organisation field: the text is its own organisation's."""

    period_kind = forms.ChoiceField(label=_("Period"), choices=ANNUAL_KINDS, initial=PeriodKind.YEAR)
    period = forms.CharField(
        label=_("Month within the period"),
        help_text=_("Any month of the period: a year report for 2025 can say 2025-01."),
        widget=forms.DateInput(attrs={"type": "month", "placeholder": "2025-01"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(is_hub=False)
        .exclude(status__in=[OrganisationStatus.PROSPECT, OrganisationStatus.APPLICANT])
        .order_by("name"),
        required=False,
        empty_label=_("The whole region"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["period"].initial = periods.containing_previous(PeriodKind.YEAR, today).strftime("%Y-%m")
        if not user.is_hub:
            del self.fields["organisation"]

    def clean_period(self):
        month = parse_month(self.cleaned_data["period"])
        if month is None:
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        bounds.DATE(month)
        return month

    def clean(self):
        data = super().clean()
        kind, month = data.get("period_kind"), data.get("period")
        if kind and month:
            start = periods.normalise(kind, month)
            # Writing may start before the period ends (in December), never for one not begun.
            if start > timezone.localdate():
                self.add_error("period", _("This period has not begun yet."))
            data["start"] = start
        return data


class NarrativeForm(VersionedModelForm):
    class Meta:
        model = AnnualNarrative
        fields = ["foreword", "highlights", "challenges", "next_plan", "thanks", "funders", "contact"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 6}) for name in ["foreword", "highlights", "challenges"]
        }


class StoryPickForm(StyledForm):
    report = forms.ModelChoiceField(
        label=_("Monthly report"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = reports


class PhotoChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.original_name


class StoryForm(VersionedModelForm):
    photo = PhotoChoiceField(
        label=_("photo"), queryset=None, required=False, widget=forms.RadioSelect, empty_label=_("No photo")
    )

    class Meta:
        model = AnnualStory
        fields = ["title", "body", "position", "photo"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, photos, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].queryset = photos
        self.fields["position"].validators.append(bounds.ORDER)


class ConsentAnswerForm(VersionedFormMixin, StyledForm):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            ("agree", _("We agree: the story may be printed")),
            ("decline", _("We decline: do not print it")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the hub"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example what to change before you would agree."),
    )


class ShareForm(StyledForm):
    action = forms.ChoiceField(
        label=pgettext_lazy("share link", "What to do with the link"),
        choices=[
            ("create", pgettext_lazy("share link", "Create")),
            ("revoke", pgettext_lazy("share link", "Revoke")),
        ],
    )


class PublishForm(StyledForm):
    action = forms.ChoiceField(
        choices=[
            ("publish", pgettext_lazy("annual report", "Publish")),
            ("withdraw", pgettext_lazy("annual report", "Withdraw")),
        ]
    )
