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

    # A kind nobody receives (the group test message) is not for a robot to take.
    return [
        (code, kind.label)
        for code, kind in sorted(KINDS.items(), key=lambda item: str(item[1].label))
        if kind.roles is None or kind.roles
    ]


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
    list_display = ["name", "active", "last_test", "created_at"]
    list_filter = ["active"]
    search_fields = ["name"]
    actions = ["send_test_message"]

    def get_queryset(self, request):
        # Each robot's newest test delivery, in the list's own query.
        from django.db.models import OuterRef, Subquery

        from .models import Delivery
        from .notifications.group_test import GROUP_TEST

        newest = Delivery.objects.filter(notification__kind=GROUP_TEST.code, target=OuterRef("webhook_url"))
        newest = newest.order_by("-pk")
        return (
            super()
            .get_queryset(request)
            .annotate(
                test_status=Subquery(newest.values("status")[:1]),
                test_at=Subquery(newest.values("created_at")[:1]),
                test_error=Subquery(newest.values("last_error")[:1]),
            )
        )

    @admin.display(description=_("last test message"))
    def last_test(self, robot):
        from django.utils import formats, timezone

        from .models import Delivery

        status = getattr(robot, "test_status", None)
        if status is None:
            return "—"
        when = formats.date_format(timezone.localtime(robot.test_at), "Y-m-d H:i")
        label = Delivery.Status(status).label
        if status == Delivery.Status.SENT:
            return f"{label} · {when}"
        return f"{label} · {when} · {robot.test_error}" if robot.test_error else f"{label} · {when}"

    @admin.action(description=_("Send a test message to the selected groups"))
    def send_test_message(self, request, queryset):
        """Through the WeCom channel's own code (a delivery sent by its task after commit); the list's
        'last test message' column then says whether it was sent or why it failed."""
        from django.contrib import messages

        from .notifications.channels.wecom import DisallowedWebhook
        from .notifications.group_test import do_send_group_test

        for robot in queryset:
            try:
                do_send_group_test(by=request.user, webhook_url=robot.webhook_url, group=robot.name)
            except DisallowedWebhook as error:
                self.message_user(request, f"{robot.name}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(name)s: test message on its way; reload the list to see whether it arrived.")
                    % {"name": robot.name},
                    messages.SUCCESS,
                )
