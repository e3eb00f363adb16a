"""List-page tables. Every count a column shows is annotated on the queryset by the view."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Centre, Organisation, User


class OrganisationTable(tables.Table):
    name = tables.Column(linkify=True, attrs={"td": {"class": "text-nowrap"}})
    short_name = tables.Column()
    prefecture = tables.Column(order_by=("prefecture__code",))
    status = tables.Column()
    stage = tables.Column()
    operating_centres = tables.Column(
        verbose_name=_("Operating centres"), attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}}
    )
    centres_total = tables.Column(
        verbose_name=_("All centres"), attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}}
    )
    contact_name = tables.Column()
    contact_phone = tables.Column()

    class Meta:
        model = Organisation
        fields = (
            "name",
            "short_name",
            "prefecture",
            "status",
            "stage",
            "operating_centres",
            "centres_total",
            "contact_name",
            "contact_phone",
        )
        empty_text = _("No organisation matches these filters.")
        per_page = 25


class CentreTable(tables.Table):
    name = tables.Column(linkify=True, attrs={"td": {"class": "text-nowrap"}})
    organisation = tables.Column(linkify=True, order_by=("organisation__name",))
    prefecture = tables.Column(order_by=("prefecture__code",))
    county = tables.Column()
    site_type = tables.Column()
    status = tables.Column()
    opened_on = tables.DateColumn(format="Y-m-d")
    rating = tables.Column()
    is_demonstration = tables.BooleanColumn()
    capacity = tables.Column(attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Centre
        fields = (
            "name",
            "organisation",
            "prefecture",
            "county",
            "site_type",
            "status",
            "opened_on",
            "rating",
            "is_demonstration",
            "capacity",
        )
        empty_text = _("No centre matches these filters.")
        per_page = 25


class PersonTable(tables.Table):
    full_name = tables.Column(
        verbose_name=pgettext_lazy("person", "Full name"),
        linkify=("partners:person_edit", {"pk": tables.A("pk")}),
    )
    email = tables.EmailColumn(verbose_name=pgettext_lazy("person", "E-mail address"))
    role = tables.Column()
    position = tables.Column()
    organisation = tables.Column(linkify=True, order_by=("organisation__name",))
    is_active = tables.BooleanColumn()
    last_login = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = User
        fields = ("full_name", "email", "role", "position", "organisation", "is_active", "last_login")
        empty_text = _("No person matches these filters.")
        per_page = 25
