import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import ApplicationStatus, VisitStatus
from .models import ExpansionFundingApplication, StudyVisit


class BootstrapFilterSet(django_filters.FilterSet):
    """Filters drawn small (the lists' filter bar), with Bootstrap's classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            is_select = field.widget.__class__.__name__.endswith("Select")
            field.widget.attrs.setdefault(
                "class", "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )


class ApplicationFilterSet(BootstrapFilterSet):
    """Applications by text (site or organisation) and status."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ApplicationStatus.choices)

    class Meta:
        model = ExpansionFundingApplication
        fields = ["status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(site_name__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(organisation__short_name__icontains=value)
        )


class VisitFilterSet(BootstrapFilterSet):
    """Study visits by text (visitors, centre or organisation) and status."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=VisitStatus.choices)

    class Meta:
        model = StudyVisit
        fields = ["status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(visitors__icontains=value)
            | Q(host_centre__name__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(organisation__short_name__icontains=value)
        )
