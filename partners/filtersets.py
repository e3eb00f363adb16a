"""Filters for the list pages; every queryset they narrow already went through ``for_user``."""

import django_filters
from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from hubsite.core.roles import Role

from .choices import CentreStatus, DevelopmentStage, OrganisationStatus, Rating, SiteType
from .forms import FilterForm
from .models import Centre, Organisation, Prefecture, User


class YesNo(forms.Select):
    """All / yes / no, instead of NullBooleanSelect's "unknown" which reads oddly in a filter."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))])


YES_NO = YesNo


class QuickSelect(forms.Select):
    """A select drawn in Python rather than through a template include per option: the centre
    list's 1,000 organisations cost more than the rest of its filters. The same options and
    attributes as ``forms.Select`` (a test compares them); choices in groups are left to it."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (str(option["value"]), flatatt(option["attrs"]), option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}\n</select>', widget["name"], flatatt(widget["attrs"]), options
        )


def _visible_organisations(request):
    if request is None:
        return Organisation.objects.none()
    return Organisation.objects.for_user(request.user).only("pk", "name", "short_name", "is_hub")


class SearchFilterSet(django_filters.FilterSet):
    """A FilterSet with a free-text ``q`` over ``search_fields`` (icontains, any of them)."""

    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(method="search", label=_("Search"))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class OrganisationFilterSet(SearchFilterSet):
    search_fields = (
        "name",
        "short_name",
        "contact_name",
        "contact_phone",
        "contact_email",
        "address",
    )

    prefecture = django_filters.ModelChoiceFilter(
        queryset=Prefecture.objects.all(), label=_("Prefecture"), empty_label=_("All prefectures")
    )
    status = django_filters.ChoiceFilter(
        choices=OrganisationStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    stage = django_filters.ChoiceFilter(
        choices=DevelopmentStage.choices, label=_("Development stage"), empty_label=_("All stages")
    )
    is_hub = django_filters.BooleanFilter(label=_("Is the hub"), widget=YES_NO)

    class Meta:
        model = Organisation
        form = FilterForm
        fields = ["q", "prefecture", "status", "stage", "is_hub"]


class CentreFilterSet(SearchFilterSet):
    search_fields = (
        "name",
        "address",
        "organisation__name",
        "organisation__short_name",
        "county__name",
    )

    prefecture = django_filters.ModelChoiceFilter(
        queryset=Prefecture.objects.all(),
        label=_("Prefecture"),
        empty_label=_("All prefectures"),
        widget=QuickSelect,
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=_visible_organisations,
        label=_("Organisation"),
        empty_label=_("All organisations"),
        widget=QuickSelect,
    )
    status = django_filters.ChoiceFilter(
        choices=CentreStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    site_type = django_filters.ChoiceFilter(
        choices=SiteType.choices, label=_("Site type"), empty_label=_("All site types")
    )
    is_demonstration = django_filters.BooleanFilter(label=_("Demonstration centre"), widget=YES_NO)
    rating = django_filters.ChoiceFilter(
        choices=Rating.choices, label=_("Latest rating"), empty_label=_("All ratings")
    )

    class Meta:
        model = Centre
        form = FilterForm
        fields = ["q", "prefecture", "organisation", "status", "site_type", "is_demonstration", "rating"]


class PersonFilterSet(SearchFilterSet):
    search_fields = ("full_name", "email", "phone")

    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"), empty_label=_("All roles"))
    organisation = django_filters.ModelChoiceFilter(
        queryset=_visible_organisations, label=_("Organisation"), empty_label=_("All organisations")
    )
    is_active = django_filters.BooleanFilter(label=_("Active"), widget=YES_NO)

    class Meta:
        model = User
        form = FilterForm
        fields = ["q", "role", "organisation", "is_active"]
