import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Prefecture

from .models import MonthlyReport


class ReviewQueueFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    prefecture = django_filters.ModelChoiceFilter(
        field_name="organisation__prefecture", queryset=Prefecture.objects.all(), label=_("Prefecture")
    )

    class Meta:
        model = MonthlyReport
        fields = ["q", "prefecture"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.form.fields.values():
            f.widget.attrs["class"] = "form-select" if isinstance(f.widget, forms.Select) else "form-control"

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(organisation__name__icontains=value) | Q(organisation__short_name__icontains=value)
        )
