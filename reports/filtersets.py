import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hubsite.core.forms import StyledForm
from partners.models import Prefecture

from .models import MonthlyReport


class ReviewQueueFilterSet(django_filters.FilterSet):
    """The review queue by organisation name and prefecture."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    prefecture = django_filters.ModelChoiceFilter(
        field_name="organisation__prefecture",
        queryset=Prefecture.objects.all(),
        label=_("Prefecture"),
        empty_label=_("All prefectures"),
    )

    class Meta:
        model = MonthlyReport
        form = StyledForm
        fields = ["q", "prefecture"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(organisation__name__icontains=value) | Q(organisation__short_name__icontains=value)
        )
