import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hubsite.core.forms import DateInput, StyledForm
from partners.models import Organisation

from .choices import ActionStatus, MeetingKind, MeetingStatus
from .models import ActionItem, Meeting


class MeetingFilterSet(django_filters.FilterSet):
    """The calendar's list: by text, kind, status and year."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=MeetingKind.choices, empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=MeetingStatus.choices, empty_label=_("All statuses")
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="starts_at", lookup_expr="year")

    class Meta:
        model = Meeting
        form = StyledForm
        fields = ["q", "kind", "status", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(topic__icontains=value) | Q(place__icontains=value)
        )


class ActionItemFilterSet(django_filters.FilterSet):
    """Action items by text, owner, status and due date; "only mine" needs the person (``user``)."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    owner_organisation = django_filters.ModelChoiceFilter(
        label=_("Owner organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("All organisations"),
    )
    mine = django_filters.BooleanFilter(label=_("Only mine"), method="only_mine", widget=forms.CheckboxInput)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ActionStatus.choices, empty_label=_("All statuses")
    )
    due_before = django_filters.DateFilter(
        label=_("Due before"),
        field_name="due_on",
        lookup_expr="lte",
        widget=DateInput,
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"), method="only_overdue", widget=forms.CheckboxInput
    )

    class Meta:
        model = ActionItem
        form = StyledForm
        fields = ["q", "owner_organisation", "mine", "status", "due_before", "overdue"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["owner_organisation"].queryset = Organisation.objects.internal_for(user).order_by("name")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(what__icontains=value) | Q(note__icontains=value) | Q(meeting__title__icontains=value)
        )

    def only_mine(self, queryset, name, value):
        return queryset.filter(owner_person=self.user) if value else queryset

    def only_overdue(self, queryset, name, value):
        from django.utils import timezone

        if not value:
            return queryset
        return queryset.filter(status=ActionStatus.OPEN, due_on__lt=timezone.localdate())
