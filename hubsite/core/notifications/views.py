from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin, SingleTableView

from hubsite.core.models import Delivery, MobileNumber, Notification, NotificationPreference
from hubsite.core.permissions import HubRequiredMixin
from hubsite.core.views import ActionFormView

from . import actions, kinds_for, required_kinds
from .channels import personal_channels, sms
from .filtersets import NotificationLogFilterSet
from .forms import MobileCodeForm, MobileNumberForm
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
    """Per kind: e-mail (on unless turned off, always for required kinds) and a column for each
    opt-in channel configured on this site (SMS, once the person's number is verified)."""

    template_name = "hubsite/notifications/preferences.html"

    def rows(self, user, channels):
        required = required_kinds()
        chosen = {
            preference.kind: preference for preference in NotificationPreference.objects.filter(user=user)
        }
        rows = []
        for code, kind in sorted(kinds_for(user).items(), key=lambda item: str(item[1].label)):
            preference = chosen.get(code)
            rows.append(
                {
                    "code": code,
                    "label": kind.label,
                    "required": code in required,
                    "enabled": preference is None or preference.email_enabled,
                    "channels": [
                        {"code": channel.code, "on": bool(preference and channel.code in preference.channels)}
                        for channel in channels
                    ],
                }
            )
        return rows

    def get(self, request):
        channels = personal_channels()
        mobile = MobileNumber.objects.filter(user=request.user).first() if sms.configured() else None
        return render(
            request,
            self.template_name,
            {
                "rows": self.rows(request.user, channels),
                "channels": channels,
                "sms_configured": sms.configured(),
                "mobile": mobile,
            },
        )

    def post(self, request):
        wanted = set(request.POST.getlist("email"))
        required = required_kinds()
        channels = personal_channels()
        chosen = {channel.code: set(request.POST.getlist(f"channel-{channel.code}")) for channel in channels}
        with transaction.atomic():
            # Choices of a channel this site does not offer now (SMS keys removed) are kept, not cleared.
            kept = {
                kind: [code for code in codes if code not in chosen]
                for kind, codes in NotificationPreference.objects.filter(user=request.user).values_list(
                    "kind", "channels"
                )
            }
            # Only the kinds this person can receive: the form offered no others.
            for code in kinds_for(request.user):
                enabled = code in wanted or code in required
                NotificationPreference.objects.update_or_create(
                    user=request.user,
                    kind=code,
                    defaults={
                        "email_enabled": enabled,
                        "channels": kept.get(code, [])
                        + [channel for channel, kinds in chosen.items() if code in kinds],
                    },
                )
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("notifications:preferences")


class MobileNumberView(LoginRequiredMixin, ActionFormView):
    """Step one of the SMS opt-in: the number, to which a code is sent."""

    form_class = MobileNumberForm
    page_title = gettext_lazy("Mobile number for SMS")
    subtitle = gettext_lazy("We send a six-digit code to this number; it is valid for ten minutes.")
    submit_label = gettext_lazy("Send the code")
    cancel_url = reverse_lazy("notifications:preferences")
    success_url = reverse_lazy("notifications:mobile_verify")
    success_message = gettext_lazy("A code is on its way to your phone.")

    def perform(self, form):
        return actions.do_request_mobile_code(self.request.user, form.cleaned_data["number"])


class MobileVerifyView(LoginRequiredMixin, ActionFormView):
    """Step two: the code from the SMS; five tries, then a new code."""

    form_class = MobileCodeForm
    page_title = gettext_lazy("Enter the code")
    submit_label = gettext_lazy("Verify")
    cancel_url = reverse_lazy("notifications:preferences")
    success_url = reverse_lazy("notifications:preferences")
    success_message = gettext_lazy(
        "Your mobile number is verified. Choose below which reminders come by SMS."
    )

    def perform(self, form):
        return actions.do_verify_mobile(self.request.user, form.cleaned_data["code"])


class NotificationLogView(HubRequiredMixin, SingleTableMixin, FilterView):
    """What was sent to whom and when; hub staff can resend."""

    table_class = NotificationLogTable
    filterset_class = NotificationLogFilterSet
    template_name = "hubsite/notifications/log.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            Notification.objects.select_related("recipient")
            .prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.order_by("pk")))
            .order_by("-created_at", "-pk")
        )


class ResendView(HubRequiredMixin, View):
    """Send again: the e-mail and any failed channel delivery, or (``only=deliveries``) just those."""

    def post(self, request, pk):
        notification = get_object_or_404(Notification, pk=pk)
        only_deliveries = request.POST.get("only") == "deliveries"
        actions.do_resend(notification.pk, email=not only_deliveries)
        if only_deliveries:
            messages.success(request, _("The failed messages will be sent again."))
        else:
            messages.success(request, _("The e-mail will be sent again."))
        return redirect("notifications:log")
