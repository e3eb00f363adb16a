from django.contrib import admin

from .models import NotificationKindSetting


@admin.register(NotificationKindSetting)
class NotificationKindSettingAdmin(admin.ModelAdmin):
    """Hub admins decide which reminder kinds nobody may turn off (README: Notifications)."""

    list_display = ["kind", "required"]
    list_filter = ["required"]
    search_fields = ["kind"]
