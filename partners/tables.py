"""List-page tables. Every count a column shows is annotated on the queryset by the view."""

import django_tables2 as tables
from django.utils.dateformat import format as date_format
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
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
    # Short words never break into a character a line on a phone: the table scrolls sideways instead.
    prefecture = tables.Column(order_by=("prefecture__code",), attrs={"td": {"class": "text-nowrap"}})
    county = tables.Column(attrs={"td": {"class": "text-nowrap"}})
    site_type = tables.Column(attrs={"td": {"class": "text-nowrap"}})
    status = tables.Column(attrs={"td": {"class": "text-nowrap"}})
    opened_on = tables.DateColumn(format="Y-m-d", attrs={"td": {"class": "text-nowrap"}})
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
        # The rows come from ``body_html`` rather than the template's loop over cells.
        template_name = "partners/_centre_table.html"

    def _link(self, obj) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj)

    def _cells(self, centre) -> dict:
        """The row's cells by column, as django-tables2 draws them: a choice by its label, a blank as
        the table's default (None), links to the centre and to its organisation."""
        return {
            "name": self._link(centre) if centre.name else None,
            "organisation": self._link(centre.organisation),
            "prefecture": centre.prefecture,
            "county": centre.county,
            "site_type": centre.get_site_type_display(),
            "status": centre.get_status_display(),
            "opened_on": date_format(centre.opened_on, "Y-m-d") if centre.opened_on else None,
            "rating": centre.get_rating_display(),
            "is_demonstration": format_html(
                '<span class="{}">{}</span>', *(("true", "✔") if centre.is_demonstration else ("false", "✘"))
            ),
            "capacity": centre.capacity,
        }

    def body_html(self) -> str:
        """The page's rows, drawn in one Python pass: 250 cells through the template's loop (each
        cell's value looked up, its render function's signature inspected) cost more than the rest
        of the page. The same cells as django-tables2's own (a test compares the two)."""
        columns = list(self.columns)  # the shown ones, in order
        tds = [(column.name, f"<td {column.attrs['td'].as_html()}>") for column in columns]
        default = conditional_escape(self.default)
        rows = []
        for n, row in enumerate(self.paginated_rows):
            values = self._cells(row.record)
            cells = "".join(
                f"{td}{default if values[name] in (None, '') else conditional_escape(localize(values[name]))}</td>"
                for name, td in tds
            )
            rows.append(f'<tr class="{"odd" if n % 2 else "even"}">{cells}</tr>')
        if not rows and self.empty_text:
            rows.append(format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), self.empty_text))
        return mark_safe("\n".join(rows))  # noqa: S308 (every value escaped above)


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
