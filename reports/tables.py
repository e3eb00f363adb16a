import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Indicator, MonthlyReport, ValidationRule


class ReviewQueueTable(tables.Table):
    month = tables.DateColumn("Y-m", verbose_name=_("Month"), linkify=True)
    organisation = tables.Column(verbose_name=_("Organisation"), accessor="organisation__name")
    prefecture = tables.Column(verbose_name=_("Prefecture"), accessor="organisation__prefecture__name")
    status = tables.Column(verbose_name=_("Status"))
    submitted_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name=_("Submitted at"))
    late = tables.Column(verbose_name=_("Timeliness"), accessor="pk", orderable=False, empty_values=())
    actions = tables.TemplateColumn(
        template_name="reports/_queue_actions.html",
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = MonthlyReport
        fields = ("month", "organisation", "prefecture", "status", "submitted_at")
        sequence = ("month", "organisation", "prefecture", "status", "submitted_at", "late", "actions")
        order_by = ("submitted_at",)
        empty_text = _("No report is waiting for review.")

    def render_late(self, record):
        if record.is_late:
            return format_html('<span class="badge text-bg-warning">{}</span>', _("Late"))
        return format_html('<span class="badge text-bg-success">{}</span>', _("On time"))

    def value_late(self, record):
        return str(_("Late") if record.is_late else _("On time"))


class IndicatorTable(tables.Table):
    code = tables.Column(linkify=True)
    label = tables.Column(verbose_name=_("Label"), accessor="label_zh", order_by=("label_zh",))
    label_en = tables.Column()
    value_type = tables.Column()
    unit = tables.Column()
    required = tables.BooleanColumn()
    scope = tables.Column()
    valid_from = tables.DateColumn("Y-m")
    valid_until = tables.DateColumn("Y-m")

    class Meta:
        model = Indicator
        fields = (
            "order",
            "code",
            "label",
            "label_en",
            "scope",
            "value_type",
            "unit",
            "required",
            "valid_from",
            "valid_until",
        )
        sequence = fields
        order_by = ("scope", "order")


class ValidationRuleTable(tables.Table):
    name = tables.Column(linkify=True)
    expression = tables.Column(verbose_name=_("Rule"), accessor="left", orderable=False)
    severity = tables.Column()
    message = tables.Column(verbose_name=_("Message"), accessor="message_zh", orderable=False)
    active = tables.BooleanColumn()
    valid_from = tables.DateColumn("Y-m")
    valid_until = tables.DateColumn("Y-m")

    class Meta:
        model = ValidationRule
        fields = ("name", "scope", "severity", "active", "valid_from", "valid_until")
        sequence = (
            "name",
            "expression",
            "scope",
            "severity",
            "message",
            "active",
            "valid_from",
            "valid_until",
        )
        order_by = ("scope", "name")

    def render_expression(self, record):
        return format_html("<code>{}</code>", record.expression)

    def render_message(self, record):
        return record.message
