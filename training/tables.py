"""List-page tables. What a column shows is loaded by the view's ``select_related``."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Application, Certificate

RIGHT = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


class ApplicationTable(tables.Table):
    applicant = tables.Column(
        linkify=lambda record: record.get_absolute_url(), order_by=("applicant__full_name",)
    )
    organisation = tables.Column(order_by=("organisation__name",))
    module = tables.Column(linkify=True, order_by=("module__name",))
    status = tables.Column()
    score = tables.Column(attrs=RIGHT)
    created_at = tables.DateColumn(verbose_name=_("Applied on"), format="Y-m-d")

    class Meta:
        model = Application
        fields = ("applicant", "organisation", "module", "status", "score", "created_at")
        empty_text = _("No application matches these filters.")
        per_page = 25


class TalentPoolTable(tables.Table):
    person = tables.Column(
        verbose_name=_("Person"),
        accessor="application__applicant",
        order_by=("application__applicant__full_name",),
    )
    organisation = tables.Column(
        verbose_name=_("Organisation"),
        accessor="application__organisation",
        order_by=("application__organisation__name",),
    )
    module = tables.Column(
        verbose_name=_("Module"), accessor="application__module", order_by=("application__module__name",)
    )
    issued_on = tables.DateColumn(format="Y-m-d")
    honour = tables.BooleanColumn()

    class Meta:
        model = Certificate
        fields = ("person", "organisation", "module", "issued_on", "honour")
        empty_text = _("Nobody in the talent pool matches these filters.")
        per_page = 25
