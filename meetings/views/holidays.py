"""Statutory holidays and adjusted working days entered by hub staff (the planner's calendar)."""

from __future__ import annotations

from django.contrib import messages
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DeleteView

from hubsite.core.permissions import HubRequiredMixin

from .. import planner
from ..forms import HolidayForm, YearFilterForm
from ..models import HolidayOverride


class HolidayListView(HubRequiredMixin, CreateView):
    """The days entered (filtered by year) and the form that adds one."""

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

    def form_valid(self, form):
        form.instance.entered_by = self.request.user
        response = super().form_valid(form)
        messages.success(self.request, _("Day saved."))
        return response

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class HolidayDeleteView(HubRequiredMixin, DeleteView):
    """Remove an entered day (the package's calendar applies to it again)."""

    model = HolidayOverride
    success_url = reverse_lazy("meetings:holidays")
    http_method_names = ["post", "options"]

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Day removed."))
        return response
