from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .attachments import admin as attachments_admin  # noqa: F401 - registers Attachment (read only)
from .models import GroupRobot, NotificationKindSetting


@admin.register(NotificationKindSetting)
class NotificationKindSettingAdmin(admin.ModelAdmin):
    """Hub admins decide which reminder kinds nobody may turn off (README: Notifications)."""

    list_display = ["kind", "required"]
    list_filter = ["required"]
    search_fields = ["kind"]


def _kind_choices():
    from hubsite.core.notifications import KINDS

    return [(code, kind.label) for code, kind in sorted(KINDS.items(), key=lambda item: str(item[1].label))]


class GroupRobotForm(forms.ModelForm):
    """The kinds as ticks of the registered kinds, not a JSON list typed by hand."""

    webhook_url = forms.URLField(
        label=_("webhook URL"),
        max_length=300,
        assume_scheme="https",
        help_text=_(
            "In the WeCom group: ⋯ > Group robots > Add > copy its webhook address "
            "(https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…)."
        ),
    )
    kinds = forms.MultipleChoiceField(
        label=_("kinds posted"), choices=_kind_choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = GroupRobot
        fields = ["name", "webhook_url", "kinds", "active"]


@admin.register(GroupRobot)
class GroupRobotAdmin(admin.ModelAdmin):
    """The hub's WeCom groups and which notifications each hears of (hub admins only: the webhook key
    is a secret and decides where the server posts)."""

    form = GroupRobotForm
    list_display = ["name", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name"]
