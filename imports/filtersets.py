import django_filters
from django.utils.translation import gettext_lazy as _

from partners.filtersets import SearchFilterSet
from partners.forms import FilterForm

from .choices import ImportKind, RunStatus
from .models import ImportRun


class ImportRunFilterSet(SearchFilterSet):
    search_fields = ("file_name", "uploaded_by__full_name", "imported_by__full_name")

    kind = django_filters.ChoiceFilter(
        choices=ImportKind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        choices=RunStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )

    class Meta:
        model = ImportRun
        form = FilterForm
        fields = ["q", "kind", "status"]
