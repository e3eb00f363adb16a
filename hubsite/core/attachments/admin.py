"""Attachments in the Django admin: a read-only list to find a file and check consent flags.

Files are added, flagged and removed on the owner's page, where the owner's policy decides; here
nothing is written, and the file opens only through the checked download view (never a media URL).
"""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "kind",
        "organisation",
        "centre",
        "content_type",
        "object_id",
        "size",
        "shows_children",
        "consent_recorded",
        "uploaded_by",
        "uploaded_at",
        "download",
    ]
    list_filter = ["kind", "content_type", "shows_children", "consent_recorded", "organisation"]
    list_select_related = ["organisation", "centre", "content_type", "uploaded_by"]
    search_fields = ["original_name", "organisation__name", "organisation__short_name"]
    date_hierarchy = "uploaded_at"
    fields = [
        "original_name",
        "kind",
        "organisation",
        "centre",
        "content_type",
        "object_id",
        "mime_type",
        "size",
        "width",
        "height",
        "shows_children",
        "consent_recorded",
        "uploaded_by",
        "uploaded_at",
        "download",
    ]
    readonly_fields = fields

    @admin.display(description=pgettext_lazy("attachment", "file"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Download"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
