"""The host rotation, an organisation's supervision history, attendance rates and the meeting checks."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from hubsite.core.permissions import AnyRoleMixin, HubRequiredMixin, PartnerOrHubMixin
from partners.filtersets import QuickSelect
from partners.models import Organisation

from .. import actions, checks, planner
from ..choices import Attendance, Frequency, MeetingKind, MeetingStatus
from ..forms import AttendanceRatesFilterForm, RotationSkipForm, SkipForm
from ..models import ActionItem, Invitation, Meeting, RotationSkip
from ..tables import AttendanceRateTable
from .base import PostedActionView

# Four years of monthly meetings each way.
HISTORY_MONTHS = 48


class RotationView(AnyRoleMixin, TemplateView):
    """Who hosts the monthly topic next, the months skipped and who hosted before."""

    template_name = "meetings/rotation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        today = timezone.localdate(now)
        # The queue's order counts planned meetings too (a partner planned for March is not "next"),
        # but the page tells the months already held apart from those still planned.
        hosted = Q(hosted_meetings__kind=MeetingKind.MONTHLY_TOPIC) & ~Q(
            hosted_meetings__status=MeetingStatus.CANCELLED
        )
        queue = planner.rotation_candidates().annotate(
            held_last=Max(
                "hosted_meetings__starts_at", filter=hosted & Q(hosted_meetings__starts_at__lte=now)
            ),
            planned_next=Min(
                "hosted_meetings__starts_at", filter=hosted & Q(hosted_meetings__starts_at__gt=now)
            ),
        )
        monthly = (
            Meeting.objects.filter(kind=MeetingKind.MONTHLY_TOPIC)
            .exclude(status=MeetingStatus.CANCELLED)
            .select_related("host")
        )
        # Planned and held months are capped apart: a long plan must not push the history off the page.
        planned = list(monthly.filter(starts_at__gt=now).order_by("starts_at")[:HISTORY_MONTHS])
        history = list(monthly.filter(starts_at__lte=now).order_by("-starts_at")[:HISTORY_MONTHS])
        # Months already planned come first, soonest first, so the first row is the real next host;
        # the rotation's own order (least recently hosted) follows for the months after the plan.
        queue = sorted(queue, key=lambda org: (org.planned_next is None, org.planned_next or now))
        context.update(
            queue=queue,
            skips=list(
                RotationSkip.objects.filter(month__gte=today.replace(day=1))
                .select_related("organisation")
                .order_by("month")
            ),
            # Soonest first: the next host is the first row.
            planned=planned,
            history=history,
        )
        if self.request.user.is_hub:
            context["skip_form"] = skip_form(queue)
        return context


def skip_form(queue) -> SkipForm:
    """The skip form, its organisations taken from the queue (the same active partners) by name,
    rather than queried again, and written in one Python pass (``QuickSelect``): a thousand options
    through Django's per-option template took most of the page's time on the 100x network."""
    form = SkipForm()
    field = form.fields["organisation"]
    field.widget = QuickSelect(attrs=field.widget.attrs)
    field.choices = [
        ("", field.empty_label),
        *((org.pk, str(org)) for org in sorted(queue, key=lambda o: o.name)),
    ]
    return form


class RotationSkipView(HubRequiredMixin, PostedActionView):
    """Hub staff leave an organisation out of one month's rotation (this year's unless named)."""

    form_class = RotationSkipForm
    invalid_message = _("Choose an organisation and a month, and say why.")
    success_message = _("The organisation is skipped for that month.")

    def perform(self, form):
        data = form.cleaned_data
        actions.do_skip_rotation(
            organisation=data["organisation"],
            month=datetime.date(data["year"], data["month"], 1),
            reason=data["reason"],
            by=self.request.user,
        )

    def get_redirect_url(self):
        return reverse("meetings:rotation")


class SupervisionHistoryView(PartnerOrHubMixin, DetailView):
    """An organisation's supervisions with their diagnoses and action items (internal to it)."""

    template_name = "meetings/supervision_history.html"
    context_object_name = "organisation"
    paginate_by = 10

    def get_queryset(self):
        return Organisation.objects.internal_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, organisation = self.request.user, self.object
        supervisions = (
            Meeting.objects.for_user(user)
            .filter(kind=MeetingKind.SUPERVISION, organisation=organisation)
            .select_related("diagnosis")
            .prefetch_related(
                Prefetch(
                    "action_items",
                    queryset=ActionItem.objects.for_user(user).select_related("owner_person"),
                )
            )
            .order_by("-starts_at", "-pk")
        )
        # Every supervision since the organisation joined made a page thousands of pixels long.
        page = Paginator(supervisions, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(meetings=page.object_list, page=page)
        context["frequency"] = Frequency(planner.frequency_of(organisation, timezone.localdate())).label
        return context


def attendance_rates(kind: str | None = None, year: int | None = None) -> list[dict]:
    """Per organisation: recorded invitations and how many were present (one query)."""
    recorded = Invitation.objects.exclude(attendance=Attendance.UNRECORDED).filter(organisation__isnull=False)
    if kind:
        recorded = recorded.filter(meeting__kind=kind)
    if year:
        recorded = recorded.filter(meeting__starts_at__year=year)
    rows = (
        recorded.values("organisation", "organisation__name", "organisation__short_name")
        .annotate(
            invited=Count("pk"),
            present=Count("pk", filter=Q(attendance=Attendance.PRESENT)),
            excused=Count("pk", filter=Q(attendance=Attendance.EXCUSED)),
            absent=Count("pk", filter=Q(attendance=Attendance.ABSENT)),
        )
        .order_by("organisation__name")
    )
    return [
        {
            "organisation": row["organisation__short_name"] or row["organisation__name"],
            "invited": row["invited"],
            "present": row["present"],
            "excused": row["excused"],
            "absent": row["absent"],
            "rate": row["present"] / row["invited"] if row["invited"] else None,
        }
        for row in rows
    ]


class AttendanceRatesView(HubRequiredMixin, TemplateView):
    """Attendance per organisation, by meeting kind and year."""

    template_name = "meetings/attendance_rates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AttendanceRatesFilterForm(self.request.GET)
        form.is_valid()  # a filter that does not parse is ignored (cleaned_data keeps the others)
        kind, year = form.cleaned_data.get("kind") or None, form.cleaned_data.get("year")
        context.update(
            table=AttendanceRateTable(attendance_rates(kind, year), orderable=False),
            kinds=MeetingKind.choices,
            kind=kind,
            year=year or "",
        )
        return context


class MeetingChecksView(HubRequiredMixin, TemplateView):
    """The three meeting checks: supervision overdue, absences, minutes missing."""

    template_name = "meetings/checks.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **checks.checks()}
