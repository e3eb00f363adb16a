"""Statutory holidays and adjusted working days entered by hub staff (the planner's calendar): by
hand (a day or a range) or by pasting the State Council's notice, previewed before it is saved."""

from __future__ import annotations

from django.contrib import messages
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import DeleteView

from hubsite.core.permissions import HubRequiredMixin

from .. import actions, planner
from ..forms import HolidayForm, HolidayNoticeForm, YearFilterForm
from ..models import HolidayOverride
from .base import MeetingFormPageView


def saved_message(saved: actions.HolidaysSaved) -> str:
    return _("Days saved: %(created)s new, %(changed)s changed, %(unchanged)s already entered.") % {
        "created": saved.created,
        "changed": saved.changed,
        "unchanged": saved.unchanged,
    }


class HolidayListView(HubRequiredMixin, MeetingFormPageView):
    """The days entered (filtered by year) and the form that adds a day or a range of days."""

    form_class = HolidayForm
    template_name = "meetings/holidays.html"
    success_url = reverse_lazy("meetings:holidays")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = YearFilterForm(self.request.GET)
        days = HolidayOverride.objects.select_related("entered_by")
        if filters.is_valid() and filters.cleaned_data["year"]:
            days = days.filter(date__year=filters.cleaned_data["year"])
        first, last = planner.known_years()
        context.update(days=days, known_from=first, known_to=last)
        return context

    def perform(self, form):
        return actions.do_save_holiday_days(form.days(), by=self.request.user)

    def get_success_message(self):
        return saved_message(self.result)


class HolidayNoticeView(HubRequiredMixin, MeetingFormPageView):
    """Paste the State Council's notice: "Preview" shows the days it gives, "Save" saves them."""

    form_class = HolidayNoticeForm
    template_name = "meetings/holiday_notice.html"

    def form_valid(self, form):
        if "save" not in self.request.POST:
            return self.render_to_response(self.get_context_data(form=form, notice=form.notice))
        return super().form_valid(form)

    def perform(self, form):
        self.year = form.notice.year
        return actions.do_save_holiday_days(form.notice.days, by=self.request.user)

    def get_success_message(self):
        return saved_message(self.result)

    def get_success_url(self):
        return f"{reverse('meetings:holidays')}?year={self.year}"


class HolidayDeleteView(HubRequiredMixin, DeleteView):
    """Remove an entered day (the package's calendar applies to it again)."""

    model = HolidayOverride
    success_url = reverse_lazy("meetings:holidays")
    http_method_names = ["post", "options"]

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Day removed."))
        return response
