"""Filters for the list pages; every queryset they narrow already went through ``for_user``."""

import django_filters
from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
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
    """A select drawn in one Python pass rather than through a template include per option: the
    centre list's 1,000 organisations cost more than the rest of its filters. The same options and
    attributes as ``forms.Select`` (a test compares them); choices in groups and multiple choice
    are left to it."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        values = self.format_value(value)
        options, chosen = [], False
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                return super().render(name, value, attrs, renderer)
            option_value = "" if option_value is None else str(option_value)
            # As ``Select.optgroups``: only the first option with the value is selected.
            selected = not chosen and option_value in values
            chosen = chosen or selected
            options.append(
                f'\n  <option value="{escape(option_value)}"{" selected" if selected else ""}>'
                f"{conditional_escape(label)}</option>"
            )
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # noqa: S308 (each value and label escaped above)
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
