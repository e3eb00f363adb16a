import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hubsite.core.forms import StyledForm

from .choices import ApplicationStatus, VisitStatus
from .models import ExpansionFundingApplication, StudyVisit

# The lists' filter bar is drawn small; StyledForm adds Bootstrap's base classes to these.
SMALL_TEXT = forms.TextInput(attrs={"class": "form-control-sm"})
SMALL_SELECT = forms.Select(attrs={"class": "form-select-sm"})


class ApplicationFilterSet(django_filters.FilterSet):
    """Applications by text (site or organisation) and status."""

    q = django_filters.CharFilter(label=_("Search"), method="search", widget=SMALL_TEXT)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ApplicationStatus.choices, widget=SMALL_SELECT
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
    status = django_filters.ChoiceFilter(label=_("Status"), choices=VisitStatus.choices, widget=SMALL_SELECT)

    class Meta:
        model = StudyVisit
        form = StyledForm
        fields = ["status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(visitors__icontains=value)
            | Q(host_centre__name__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(organisation__short_name__icontains=value)
        )
