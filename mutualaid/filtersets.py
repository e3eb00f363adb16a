import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubsite.core.forms import StyledForm

from .choices import (
    ActivityKind,
    ApplicationStatus,
    ClaimStatus,
    HelpFormat,
    HelpKind,
    MentorArea,
    VisitStatus,
)
from .models import Activity, ExpansionFundingApplication, HelpHours, Mentor, StudyVisit

# The lists' filter bar is drawn small; StyledForm adds Bootstrap's base classes to these.
SMALL_TEXT = forms.TextInput(attrs={"class": "form-control-sm"})
SMALL_SELECT = forms.Select(attrs={"class": "form-select-sm"})


class ApplicationFilterSet(django_filters.FilterSet):
    """Applications by text (site or organisation) and status."""

    q = django_filters.CharFilter(label=_("Search"), method="search", widget=SMALL_TEXT)
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=ApplicationStatus.choices,
        widget=SMALL_SELECT,
        empty_label=_("All statuses"),
    )

    class Meta:
        model = ExpansionFundingApplication
        form = StyledForm
        fields = ["status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(site_name__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(organisation__short_name__icontains=value)
        )


class VisitFilterSet(django_filters.FilterSet):
    """Study visits by text (visitors, centre or organisation) and status."""

    q = django_filters.CharFilter(label=_("Search"), method="search", widget=SMALL_TEXT)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=VisitStatus.choices, widget=SMALL_SELECT, empty_label=_("All statuses")
    )
    claim_status = django_filters.ChoiceFilter(
        label=pgettext_lazy("claim", "Claim"),
        choices=ClaimStatus.choices[1:],
        widget=SMALL_SELECT,
        empty_label=_("All claims"),
    )

    class Meta:
        model = StudyVisit
        form = StyledForm
        fields = ["status", "claim_status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(visitors__icontains=value)
            | Q(host_centre__name__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(organisation__short_name__icontains=value)
        )


class MentorFilterSet(django_filters.FilterSet):
    """The mentor pool by text (name, organisation, what they share), area and format."""

    q = django_filters.CharFilter(label=_("Search"), method="search", widget=SMALL_TEXT)
    area = django_filters.ChoiceFilter(
        label=_("Area"),
        choices=MentorArea.choices,
        method="in_area",
        widget=SMALL_SELECT,
        empty_label=_("All areas"),
    )
    format = django_filters.ChoiceFilter(
        label=pgettext_lazy("help", "Format"),
        choices=HelpFormat.choices,
        method="in_format",
        widget=SMALL_SELECT,
        empty_label=_("All formats"),
    )

    class Meta:
        model = Mentor
        form = StyledForm
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(person__full_name__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(organisation__short_name__icontains=value)
            | Q(introduction__icontains=value)
        )

    def in_area(self, queryset, name, value):
        return queryset.filter(areas__contains=[value])

    def in_format(self, queryset, name, value):
        # "Either" mentors suit whoever asks for on site or online.
        if value == HelpFormat.EITHER:
            return queryset
        return queryset.filter(format__in=[value, HelpFormat.EITHER])


class ActivityFilterSet(django_filters.FilterSet):
    """The activity library by text (title, description, provider) and kind."""

    q = django_filters.CharFilter(label=_("Search"), method="search", widget=SMALL_TEXT)
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ActivityKind.choices, widget=SMALL_SELECT, empty_label=_("All kinds")
    )

    class Meta:
        model = Activity
        form = StyledForm
        fields = ["kind"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(organisation__short_name__icontains=value)
        )


class HoursFilterSet(django_filters.FilterSet):
    """The ledger by text (either organisation, the person, the note) and kind; the year is the view's."""

    q = django_filters.CharFilter(label=_("Search"), method="search", widget=SMALL_TEXT)
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=HelpKind.choices, widget=SMALL_SELECT, empty_label=_("All kinds")
    )
    # Kept in the filter bar so filtering stays in the year shown; the view applies it.
    year = django_filters.NumberFilter(label=_("Year"), method="in_view", widget=SMALL_TEXT)

    class Meta:
        model = HelpHours
        form = StyledForm
        fields = ["kind"]

    def in_view(self, queryset, name, value):
        return queryset

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(giver__name__icontains=value)
            | Q(giver__short_name__icontains=value)
            | Q(receiver__name__icontains=value)
            | Q(receiver__short_name__icontains=value)
            | Q(giver_person__full_name__icontains=value)
            | Q(note__icontains=value)
        )
