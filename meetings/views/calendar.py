"""The network calendar (a month grid or a filtered list), a person's meetings and their feed."""

from __future__ import annotations

import calendar
import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from hubsite.core.charts import qr_svg
from hubsite.core.permissions import AnyRoleMixin

from .. import actions
from ..filtersets import MeetingFilterSet
from ..forms import MonthForm
from ..ics import calendar_bytes, webcal_url
from ..models import CalendarFeedToken, Invitation, Meeting
from ..tables import MeetingTable

WEEKDAYS = [
    pgettext_lazy("weekday", "Mon"),
    pgettext_lazy("weekday", "Tue"),
    pgettext_lazy("weekday", "Wed"),
    pgettext_lazy("weekday", "Thu"),
    pgettext_lazy("weekday", "Fri"),
    pgettext_lazy("weekday", "Sat"),
    pgettext_lazy("weekday", "Sun"),
]


def _parse_month(value: str | None) -> datetime.date:
    """The month asked for (YYYY-MM within the date bounds), else this month."""
    form = MonthForm({"month": value or ""})
    if form.is_valid() and form.cleaned_data["month"]:
        return form.cleaned_data["month"]
    return timezone.localdate().replace(day=1)


class MeetingListView(AnyRoleMixin, SingleTableMixin, FilterView):
    """The calendar as a filtered table (``?view=list``)."""

    table_class = MeetingTable
    filterset_class = MeetingFilterSet
    template_name = "meetings/meeting_list.html"
    table_pagination = {"per_page": 50}
    # A filter that does not parse is ignored rather than emptying the list.
    strict = False

    def get_queryset(self):
        return Meeting.objects.for_user(self.request.user).select_related("host", "organisation")


meeting_list = MeetingListView.as_view()


class CalendarView(AnyRoleMixin, TemplateView):
    """The network calendar: a month grid (phones get the day list under it) or a filtered table."""

    template_name = "meetings/calendar.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("view") == "list":
            return meeting_list(request, *args, **kwargs)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        first = _parse_month(self.request.GET.get("month"))
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
        meetings = list(
            Meeting.objects.for_user(self.request.user)
            .in_range(weeks[0][0], weeks[-1][-1])
            .select_related("host", "organisation")
            .order_by("starts_at")
        )
        invited = set(
            Invitation.objects.filter(
                person=self.request.user, meeting__in=[m.pk for m in meetings]
            ).values_list("meeting_id", flat=True)
        )
        by_day: dict[datetime.date, list] = {}
        for meeting in meetings:
            meeting.invited = meeting.pk in invited
            by_day.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
        context.update(
            first=first,
            grid=[[(day, by_day.get(day, [])) for day in week] for week in weeks],
            month_meetings=[m for m in meetings if timezone.localtime(m.starts_at).month == first.month],
            prev_month=(first - datetime.timedelta(days=1)).replace(day=1),
            next_month=(first + datetime.timedelta(days=32)).replace(day=1),
            today=timezone.localdate(),
            weekdays=WEEKDAYS,
        )
        return context


class MyMeetingsView(AnyRoleMixin, TemplateView):
    """The person's invitations: coming up (soonest first) and the last 30 past."""

    template_name = "meetings/my_meetings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitations = (
            Invitation.objects.filter(person=self.request.user)
            .select_related("meeting", "meeting__host", "meeting__organisation")
            .order_by("-meeting__starts_at")
        )
        now = timezone.now()
        upcoming = [i for i in invitations if i.meeting.ends_at >= now]
        upcoming.reverse()
        context.update(upcoming=upcoming, past=[i for i in invitations if i.meeting.ends_at < now][:30])
        return context


class FeedSettingsView(AnyRoleMixin, TemplateView):
    """A person's secret calendar link: shown, replaced by a new one, or turned off."""

    template_name = "meetings/feed_settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        token = CalendarFeedToken.objects.active().filter(person=self.request.user).first()
        url = reverse("meetings:feed", args=[token.token]) if token else None
        feed_url = self.request.build_absolute_uri(url) if url else None
        context.update(token=token, feed_url=feed_url)
        if feed_url:
            context.update(
                webcal_url=webcal_url(feed_url),
                # The phone scans the subscription address, so the calendar app opens on it.
                qr=qr_svg(webcal_url(feed_url), fit=True),
            )
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("op") == "revoke":
            actions.do_revoke_feed_tokens(request.user)
            messages.success(request, _("Your calendar link no longer works."))
        else:
            actions.do_issue_feed_token(request.user)
            messages.success(request, _("New calendar link created; the old one no longer works."))
        return redirect("meetings:feed_settings")


class CalendarFeedView(DetailView):
    """A person's meetings as iCalendar, for phone calendars (no log-in: the URL is the secret)."""

    slug_field = slug_url_kwarg = "token"

    def get_queryset(self):
        return CalendarFeedToken.objects.active().select_related("person")

    def get_object(self, queryset=None):
        feed_token = super().get_object(queryset)
        if not feed_token.person.is_active:
            raise Http404
        return feed_token

    def render_to_response(self, context, **response_kwargs):
        person = self.object.person
        since = timezone.now() - datetime.timedelta(days=365)
        meetings = Meeting.objects.for_user(person).filter(invitations__person=person, starts_at__gte=since)
        return HttpResponse(
            calendar_bytes(meetings, gettext("Hub meetings")), content_type="text/calendar; charset=utf-8"
        )
