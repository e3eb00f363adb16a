import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from hubsite.core.models import Notification

from . import kind_label


class KindColumn(tables.Column):
    def render(self, value):
        return kind_label(value)


class NotificationTable(tables.Table):
    subject = tables.Column(linkify=("notifications:open", {"pk": tables.A("pk")}), verbose_name=_("subject"))
    kind = KindColumn(verbose_name=_("kind"))
    created_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("created at"))
    read_at = tables.BooleanColumn(verbose_name=_("read"), accessor="read_at", yesno="✓,")

    class Meta:
        model = Notification
        fields = ("subject", "kind", "created_at", "read_at")
        row_attrs = {"class": lambda record: "" if record.read_at else "fw-semibold"}
        empty_text = _(
            "No notifications yet. Reminders and decisions about your reports, meetings and requests "
            "appear here; choose which also come by e-mail in your reminder settings."
        )


class NotificationLogTable(tables.Table):
    recipient = tables.Column(accessor="recipient__full_name", verbose_name=_("recipient"))
    kind = KindColumn(verbose_name=_("kind"))
    subject = tables.Column(verbose_name=_("subject"))
    created_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("created at"))
    email_status = tables.Column(verbose_name=_("e-mail"))
    emailed_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("e-mailed at"))
    deliveries = tables.TemplateColumn(
        template_name="hubsite/notifications/_deliveries.html", verbose_name=_("channels"), orderable=False
    )
    resend = tables.TemplateColumn(
        template_name="hubsite/notifications/_resend.html", verbose_name="", orderable=False
    )

    class Meta:
        model = Notification
        fields = (
            "created_at",
            "recipient",
            "kind",
            "subject",
            "email_status",
            "emailed_at",
            "email_attempts",
        )
        empty_text = _("Nothing has been sent yet.")
