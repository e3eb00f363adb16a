import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import ImportRun

NUMBER = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


class ImportRunTable(tables.Table):
    uploaded_at = tables.DateTimeColumn(linkify=True, format="Y-m-d H:i")
    kind = tables.Column()
    file_name = tables.Column(linkify=True)
    status = tables.Column()
    uploaded_by = tables.Column()
    imported_by = tables.Column()
    rows = tables.Column(attrs=NUMBER)
    created = tables.Column(attrs=NUMBER)
    updated = tables.Column(attrs=NUMBER)
    unchanged = tables.Column(attrs=NUMBER)
    errors = tables.Column(attrs=NUMBER)

    class Meta:
        model = ImportRun
        fields = (
            "uploaded_at",
            "kind",
            "file_name",
            "status",
            "uploaded_by",
            "imported_by",
            "rows",
            "created",
            "updated",
            "unchanged",
            "errors",
        )
        empty_text = _("Nothing has been imported yet.")
        per_page = 25
