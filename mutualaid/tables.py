"""List-page tables. What a column shows is loaded by the view's ``select_related``."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Activity, HelpHours, Mentor

RIGHT = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


class MentorTable(tables.Table):
    person = tables.Column(
        verbose_name=_("Mentor"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("person__full_name",),
    )
    organisation = tables.Column(accessor="organisation__display_name", order_by=("organisation__name",))
    areas = tables.Column(orderable=False)
    format = tables.Column(verbose_name=pgettext_lazy("help", "Format"))
    availability = tables.Column(orderable=False)
    hours = tables.Column(verbose_name=_("Hours given"), attrs=RIGHT)

    class Meta:
        model = Mentor
        fields = ("person", "organisation", "areas", "format", "availability", "hours")
        empty_text = _("No mentor matches these filters.")
        per_page = 25

    def render_person(self, record):
        return record.person.full_name

    def render_areas(self, record):
        return "、".join(record.area_labels())


class ActivityTable(tables.Table):
    title = tables.Column(linkify=lambda record: record.get_absolute_url())
    kind = tables.Column()
    organisation = tables.Column(
        verbose_name=_("Provider"), accessor="organisation__display_name", order_by=("organisation__name",)
    )
    capacity = tables.Column(attrs=RIGHT)
    format = tables.Column(verbose_name=pgettext_lazy("help", "Format"))
    deliveries = tables.Column(verbose_name=_("Deliveries"), attrs=RIGHT)

    class Meta:
        model = Activity
        fields = ("title", "kind", "organisation", "capacity", "format", "deliveries")
        empty_text = _("No activity matches these filters.")
        per_page = 25


class HoursTable(tables.Table):
    given_on = tables.DateColumn(format="Y-m-d")
    kind = tables.Column(linkify=lambda record: record.request.get_absolute_url())
    giver = tables.Column(accessor="giver__display_name", order_by=("giver__name",))
    giver_person = tables.Column(
        verbose_name=_("Person who helped"),
        accessor="giver_person__full_name",
        order_by=("giver_person__full_name",),
    )
    receiver = tables.Column(accessor="receiver__display_name", order_by=("receiver__name",))
    hours = tables.Column(attrs=RIGHT)
    people_served = tables.Column(attrs=RIGHT)

    class Meta:
        model = HelpHours
        fields = ("given_on", "kind", "giver", "giver_person", "receiver", "hours", "people_served")
        empty_text = _("No help hours recorded for this year yet.")
        per_page = 50
