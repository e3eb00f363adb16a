from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin, SingleTableView

from hubsite.core.models import Notification, NotificationPreference
from hubsite.core.permissions import HubRequiredMixin

from . import KINDS, enqueue_email, required_kinds
from .filtersets import NotificationLogFilterSet
from .tables import NotificationLogTable, NotificationTable


class NotificationListView(LoginRequiredMixin, SingleTableView):
    table_class = NotificationTable
    template_name = "hubsite/notifications/list.html"
    paginate_by = 25

    def get_queryset(self):
        return Notification.objects.for_user(self.request.user)

    def post(self, request):
        Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
        messages.success(request, _("All notifications are marked as read."))
        return redirect("notifications:list")


class NotificationOpenView(LoginRequiredMixin, View):
    """Mark as read and go where the notification points."""

    def get(self, request, pk):
        notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
        notification.mark_read()
        if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
            return redirect(notification.url)
        return redirect("notifications:list")


class UnreadCountView(LoginRequiredMixin, View):
    """The bell's number, fetched by the page so that it costs no query on every page render."""

    def get(self, request):
        return JsonResponse({"unread": Notification.objects.for_user(request.user).unread().count()})


class PreferencesView(LoginRequiredMixin, View):
    template_name = "hubsite/notifications/preferences.html"

    def rows(self, user):
        required = required_kinds()
        disabled = set(
            NotificationPreference.objects.filter(user=user, email_enabled=False).values_list(
                "kind", flat=True
            )
        )
        return [
            {"code": code, "label": kind.label, "required": code in required, "enabled": code not in disabled}
            for code, kind in sorted(KINDS.items(), key=lambda item: str(item[1].label))
        ]

    def get(self, request):
        return render(request, self.template_name, {"rows": self.rows(request.user)})

    def post(self, request):
        wanted = set(request.POST.getlist("email"))
        required = required_kinds()
        with transaction.atomic():
            for code in KINDS:
                enabled = code in wanted or code in required
                NotificationPreference.objects.update_or_create(
                    user=request.user, kind=code, defaults={"email_enabled": enabled}
                )
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("notifications:preferences")


class NotificationLogView(HubRequiredMixin, SingleTableMixin, FilterView):
    """What was sent to whom and when; hub staff can resend."""

    table_class = NotificationLogTable
    filterset_class = NotificationLogFilterSet
    template_name = "hubsite/notifications/log.html"
    paginate_by = 50

    def get_queryset(self):
        return Notification.objects.select_related("recipient").order_by("-created_at", "-pk")


class ResendView(HubRequiredMixin, View):
    def post(self, request, pk):
        with transaction.atomic():
            notification = get_object_or_404(Notification.objects.select_for_update(), pk=pk)
            notification.email_status = Notification.EmailStatus.PENDING
            notification.email_attempts = 0
            notification.resent_count += 1
            notification.save(update_fields=["email_status", "email_attempts", "resent_count"])
            enqueue_email(notification.pk)
        messages.success(request, _("The e-mail will be sent again."))
        return redirect("notifications:log")
