import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import ActionItem, Meeting


class MeetingTable(tables.Table):
    starts_at = tables.DateTimeColumn(verbose_name=_("When"), format="Y-m-d H:i")
    title = tables.Column(linkify=True)
    kind = tables.Column()
    status = tables.Column()
    host = tables.Column(verbose_name=_("Host / organisation"), empty_values=(), orderable=False)

    class Meta:
        model = Meeting
        fields = ["starts_at", "title", "kind", "status", "host"]
        order_by = "starts_at"
        empty_text = _("No meeting matches these filters. Clear a filter, or see the month view.")

    def render_title(self, record):
        return record.display_title

    def value_title(self, record):
        return record.display_title

    def render_host(self, record):
        return record.host or record.organisation or "—"


class ActionItemTable(tables.Table):
    what = tables.Column()
    meeting = tables.Column(linkify=True)
    owner_organisation = tables.Column()
    owner_person = tables.Column()
    due_on = tables.DateColumn(format="Y-m-d")
    status = tables.Column()

    class Meta:
        model = ActionItem
        fields = ["what", "meeting", "owner_organisation", "owner_person", "due_on", "status", "note"]
        order_by = "due_on"
        row_attrs = {"class": lambda record: "table-warning" if record.is_overdue else ""}
        empty_text = _(
            "No action item matches these filters. Action items are agreed in a meeting and written down "
            "on the meeting's page."
        )


class AttendanceRateTable(tables.Table):
    organisation = tables.Column(verbose_name=_("Organisation"))
    invited = tables.Column(verbose_name=_("Invitations recorded"))
    present = tables.Column(verbose_name=pgettext_lazy("meetings", "Present"))
    excused = tables.Column(verbose_name=_("Excused"))
    absent = tables.Column(verbose_name=_("Absent"))
    rate = tables.Column(verbose_name=_("Attendance rate"))

    class Meta:
        empty_text = _(
            "No attendance recorded yet: it is recorded on each meeting's page once the meeting is held."
        )

    def render_rate(self, value):
        return f"{value:.0%}" if value is not None else "—"
