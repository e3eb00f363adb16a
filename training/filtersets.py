"""Filters for the list pages; every queryset they narrow already went through ``for_user``."""

import django_filters
from django.utils.translation import gettext_lazy as _

from partners.filtersets import YES_NO, SearchFilterSet
from partners.forms import FilterForm

from .choices import ApplicationStatus
from .models import Application, Certificate, Module


class ApplicationFilterSet(SearchFilterSet):
    search_fields = ("applicant__full_name", "organisation__name", "organisation__short_name", "module__name")

    module = django_filters.ModelChoiceFilter(
        queryset=Module.objects.select_related("programme"), label=_("Module"), empty_label=_("All modules")
    )
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices, empty_label=_("All statuses"))

    class Meta:
        model = Application
        form = FilterForm
        fields = ["q", "module", "status"]


class TalentPoolFilterSet(SearchFilterSet):
    search_fields = (
        "application__applicant__full_name",
        "application__organisation__name",
        "application__organisation__short_name",
        "application__module__name",
    )

    module = django_filters.ModelChoiceFilter(
        field_name="application__module",
        queryset=Module.objects.select_related("programme"),
        label=_("Module"),
        empty_label=_("All modules"),
    )
    honour = django_filters.BooleanFilter(label=_("Honour certificate"), widget=YES_NO)

    class Meta:
        model = Certificate
        form = FilterForm
        fields = ["q", "module", "honour"]
