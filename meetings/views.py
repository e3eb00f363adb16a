"""Meetings pages. Every object a partner can reach comes through a ``for_user`` queryset (404 else)."""

from __future__ import annotations

import calendar
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from hubsite.core.exports import SafeTableExport
from hubsite.core.models import StaleObjectError
from hubsite.core.permissions import AnyRoleMixin, HubRequiredMixin, PartnerOrHubMixin
from partners.models import Organisation

from . import actions, coverage, ideas, planner
from .choices import ActionStatus, Attendance, MeetingKind, MeetingStatus
from .filtersets import ActionItemFilterSet, MeetingFilterSet
from .forms import (
    ActionItemForm,
    ActionStatusForm,
    AttendanceForm,
    AttendanceRatesFilterForm,
    ConfirmPlanForm,
    DiagnosisForm,
    HolidayForm,
    MeetingForm,
    MinutesForm,
    MonthForm,
    PlanForm,
    PlanMoveForm,
    PlanSkipForm,
    PlanSwapForm,
    RotationSkipForm,
    RsvpForm,
    StatusForm,
    TopicProposalForm,
    YearFilterForm,
)
from .ics import calendar_bytes
from .models import (
    ActionItem,
    CalendarFeedToken,
    HolidayOverride,
    Invitation,
    Meeting,
    Minutes,
    PlanDraft,
    RotationSkip,
    SupervisionDiagnosis,
    TopicProposal,
)
from .tables import ActionItemTable, AttendanceRateTable, MeetingTable

STALE = _("Someone else changed this in the meantime; reload the page and try again.")


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _add_form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


# ---------------------------------------------------------------------------------------------
# Calendar


def _parse_month(value: str | None) -> datetime.date:
    """The month asked for (YYYY-MM within the date bounds), else this month."""
    form = MonthForm({"month": value or ""})
    if form.is_valid() and form.cleaned_data["month"]:
        return form.cleaned_data["month"]
    return timezone.localdate().replace(day=1)


class CalendarView(AnyRoleMixin, View):
    """The network calendar: a month grid (phones get the day list under it) or a filtered table."""

    def get(self, request):
        if request.GET.get("view") == "list":
            return self.as_list(request)
        first = _parse_month(request.GET.get("month"))
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
        meetings = list(
            Meeting.objects.for_user(request.user)
            .in_range(weeks[0][0], weeks[-1][-1])
            .select_related("host", "organisation")
            .order_by("starts_at")
        )
        invited = set(
            Invitation.objects.filter(person=request.user, meeting__in=[m.pk for m in meetings]).values_list(
                "meeting_id", flat=True
            )
        )
        by_day: dict[datetime.date, list] = {}
        for meeting in meetings:
            meeting.invited = meeting.pk in invited
            by_day.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
        grid = [[(day, by_day.get(day, [])) for day in week] for week in weeks]
        prev_month = (first - datetime.timedelta(days=1)).replace(day=1)
        next_month = (first + datetime.timedelta(days=32)).replace(day=1)
        return render(
            request,
            "meetings/calendar.html",
            {
                "first": first,
                "grid": grid,
                "month_meetings": [
                    m for m in meetings if timezone.localtime(m.starts_at).month == first.month
                ],
                "prev_month": prev_month,
                "next_month": next_month,
                "today": timezone.localdate(),
                "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
            },
        )

    def as_list(self, request):
        queryset = Meeting.objects.for_user(request.user).select_related("host", "organisation")
        filterset = MeetingFilterSet(request.GET, queryset=queryset)
        table = MeetingTable(filterset.qs)
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        return render(request, "meetings/meeting_list.html", {"filter": filterset, "table": table})


class MyMeetingsView(AnyRoleMixin, View):
    def get(self, request):
        invitations = (
            Invitation.objects.filter(person=request.user)
            .select_related("meeting", "meeting__host", "meeting__organisation")
            .order_by("-meeting__starts_at")
        )
        now = timezone.now()
        upcoming = [i for i in invitations if i.meeting.ends_at >= now]
        upcoming.reverse()
        past = [i for i in invitations if i.meeting.ends_at < now][:30]
        return render(request, "meetings/my_meetings.html", {"upcoming": upcoming, "past": past})


# ---------------------------------------------------------------------------------------------
# One meeting


def _meeting(request, pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.for_user(request.user).select_related("host", "organisation"), pk=pk
    )


class MeetingDetailView(AnyRoleMixin, View):
    def get(self, request, pk):
        meeting = _meeting(request, pk)
        user = request.user
        invitation = Invitation.objects.filter(meeting=meeting, person=user).first()
        own_supervision = meeting.is_supervision and user.organisation_id == meeting.organisation_id
        is_host = meeting.is_monthly_topic and user.is_partner and user.organisation_id == meeting.host_id
        # The network calendar shares titles and times; the rest is for invitees, the host and the hub.
        details = user.is_hub or invitation is not None or own_supervision or is_host
        context = {
            "meeting": meeting,
            "invitation": invitation,
            "details": details,
            "is_host": is_host,
            "rsvp_form": RsvpForm(),
            "status_form": StatusForm(),
        }
        if details:
            invitations = (
                Invitation.objects.for_user(user)
                .filter(meeting=meeting)
                .select_related("person", "organisation")
            )
            context.update(
                invitations=list(invitations),
                invitation_counts=meeting.invitations.aggregate(
                    total=Count("pk"),
                    accepted=Count("pk", filter=Q(rsvp="accepted")),
                    declined=Count("pk", filter=Q(rsvp="declined")),
                    present=Count("pk", filter=Q(attendance=Attendance.PRESENT)),
                ),
                minutes=Minutes.objects.filter(meeting=meeting).first(),
                proposal=TopicProposal.objects.filter(meeting=meeting).select_related("proposed_by").first(),
                action_items=list(
                    ActionItem.objects.for_user(user)
                    .filter(meeting=meeting)
                    .select_related("owner_organisation", "owner_person")
                ),
            )
            if meeting.is_supervision:
                context["diagnosis"] = SupervisionDiagnosis.objects.filter(meeting=meeting).first()
                context["carried_over"] = list(
                    ActionItem.objects.for_user(user)
                    .open()
                    .filter(
                        meeting__kind=MeetingKind.SUPERVISION,
                        meeting__organisation=meeting.organisation_id,
                        meeting__starts_at__lt=meeting.starts_at,
                    )
                    .select_related("meeting", "owner_person")
                )
        return render(request, "meetings/meeting_detail.html", context)


class MeetingIcsView(AnyRoleMixin, View):
    def get(self, request, pk):
        meeting = _meeting(request, pk)
        response = HttpResponse(
            calendar_bytes([meeting], meeting.title), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
        return response


class MeetingFormView(HubRequiredMixin, View):
    template = "meetings/meeting_form.html"

    def get(self, request, pk=None):
        meeting = _meeting(request, pk) if pk else None
        initial = {"kind": request.GET.get("kind", MeetingKind.OTHER)} if meeting is None else {}
        return render(
            request,
            self.template,
            {"form": MeetingForm(instance=meeting, initial=initial), "meeting": meeting},
        )

    def post(self, request, pk=None):
        meeting = _meeting(request, pk) if pk else None
        form = MeetingForm(request.POST, instance=meeting)
        if form.is_valid():
            try:
                saved = actions.do_save_meeting(
                    form.instance, by=request.user, expected_version=form.cleaned_data.get("expected_version")
                )
            except StaleObjectError:
                form.add_error(None, STALE)
            else:
                messages.success(request, _("Meeting saved."))
                return redirect(saved)
        return render(request, self.template, {"form": form, "meeting": meeting}, status=400)


class MeetingStatusView(HubRequiredMixin, View):
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        form = StatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose an action."))
            return redirect(meeting)
        try:
            action = form.cleaned_data["action"]
            if action == "confirm":
                meeting.confirm()
            elif action == "held":
                meeting.mark_held()
            else:
                meeting.cancel(form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request, _("Status changed to %(status)s.") % {"status": meeting.get_status_display()}
            )
        return redirect(meeting)


class RsvpView(AnyRoleMixin, View):
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        invitation = get_object_or_404(Invitation, meeting=meeting, person=request.user)
        invitation.meeting = meeting
        form = RsvpForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Choose whether you will attend."))
            invitation.reply(form.cleaned_data["rsvp"])
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Thank you, your reply is recorded."))
        return redirect(meeting)


class TopicProposalView(PartnerOrHubMixin, View):
    """The host organisation proposes the month's topic, with ideas from recent monthly reports."""

    template = "meetings/topic_form.html"

    def _meeting(self, request, pk):
        meeting = _meeting(request, pk)
        if not meeting.is_monthly_topic:
            raise Http404
        if not (request.user.is_hub or request.user.organisation_id == meeting.host_id):
            raise PermissionDenied
        return meeting

    def _render(self, request, meeting, form, status=200):
        context = {"meeting": meeting, "form": form, "ideas": ideas.recent_difficulties(self.request.user)}
        return render(request, self.template, context, status=status)

    def get(self, request, pk):
        meeting = self._meeting(request, pk)
        existing = TopicProposal.objects.filter(meeting=meeting).first()
        return self._render(request, meeting, TopicProposalForm(instance=existing))

    def post(self, request, pk):
        meeting = self._meeting(request, pk)
        form = TopicProposalForm(request.POST)
        if form.is_valid():
            try:
                actions.do_propose_topic(meeting, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _add_form_errors(form, error)
            else:
                messages.success(request, _("Topic proposed. Thank you!"))
                return redirect(meeting)
        return self._render(request, meeting, form, status=400)


class AttendanceView(HubRequiredMixin, View):
    template = "meetings/attendance_form.html"

    def _form(self, request, meeting, data=None):
        invitations = meeting.invitations.select_related("person", "organisation").order_by(
            "organisation__name", "person__full_name"
        )
        return AttendanceForm(data, invitations=invitations)

    def get(self, request, pk):
        meeting = _meeting(request, pk)
        return render(request, self.template, {"meeting": meeting, "form": self._form(request, meeting)})

    def post(self, request, pk):
        meeting = _meeting(request, pk)
        form = self._form(request, meeting, request.POST)
        if form.is_valid():
            try:
                actions.do_record_attendance(meeting, form.marks())
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Attendance recorded."))
                return redirect(meeting)
        return render(request, self.template, {"meeting": meeting, "form": form}, status=400)


class MinutesView(HubRequiredMixin, View):
    template = "meetings/minutes_form.html"

    def get(self, request, pk):
        meeting = _meeting(request, pk)
        minutes = Minutes.objects.filter(meeting=meeting).first()
        initial = (
            {"text": minutes.text, "decisions": minutes.decisions, "expected_version": minutes.version}
            if minutes
            else {}
        )
        return render(request, self.template, {"meeting": meeting, "form": MinutesForm(initial=initial)})

    def post(self, request, pk):
        meeting = _meeting(request, pk)
        form = MinutesForm(request.POST)
        if form.is_valid():
            try:
                actions.do_save_minutes(
                    meeting,
                    text=form.cleaned_data["text"],
                    decisions=form.cleaned_data["decisions"],
                    by=request.user,
                    expected_version=form.cleaned_data["expected_version"],
                )
            except StaleObjectError:
                form.add_error(None, STALE)
            except ValidationError as error:
                _add_form_errors(form, error)
            else:
                messages.success(request, _("Minutes saved."))
                return redirect(meeting)
        return render(request, self.template, {"meeting": meeting, "form": form}, status=400)


class DiagnosisView(HubRequiredMixin, View):
    template = "meetings/diagnosis_form.html"

    def _meeting(self, request, pk):
        meeting = _meeting(request, pk)
        if not meeting.is_supervision:
            raise Http404
        return meeting

    def get(self, request, pk):
        meeting = self._meeting(request, pk)
        diagnosis = SupervisionDiagnosis.objects.filter(meeting=meeting).first()
        form = DiagnosisForm(
            instance=diagnosis, initial={"expected_version": diagnosis.version if diagnosis else None}
        )
        return render(request, self.template, {"meeting": meeting, "form": form})

    def post(self, request, pk):
        meeting = self._meeting(request, pk)
        form = DiagnosisForm(request.POST)
        if form.is_valid():
            try:
                actions.do_save_diagnosis(
                    meeting,
                    data=form.cleaned_data,
                    by=request.user,
                    expected_version=form.cleaned_data["expected_version"],
                )
            except StaleObjectError:
                form.add_error(None, STALE)
            else:
                messages.success(request, _("Diagnosis saved."))
                return redirect(meeting)
        return render(request, self.template, {"meeting": meeting, "form": form}, status=400)


class ActionItemCreateView(HubRequiredMixin, View):
    template = "meetings/action_item_form.html"

    def get(self, request, pk):
        meeting = _meeting(request, pk)
        initial = {"owner_organisation": meeting.organisation_id or meeting.host_id}
        return render(
            request,
            self.template,
            {"meeting": meeting, "form": ActionItemForm(meeting=meeting, initial=initial)},
        )

    def post(self, request, pk):
        meeting = _meeting(request, pk)
        form = ActionItemForm(request.POST, meeting=meeting)
        form.instance.meeting = meeting
        if form.is_valid():
            form.save()
            messages.success(request, _("Action item added."))
            return redirect(meeting)
        return render(request, self.template, {"meeting": meeting, "form": form}, status=400)


# ---------------------------------------------------------------------------------------------
# Action items


class ActionItemListView(PartnerOrHubMixin, View):
    export_formats = ("csv", "xlsx")

    def get(self, request):
        queryset = ActionItem.objects.for_user(request.user).select_related(
            "meeting", "owner_organisation", "owner_person"
        )
        data = request.GET.copy()
        if not data:
            data["status"] = ActionStatus.OPEN
        filterset = ActionItemFilterSet(data, queryset=queryset, user=request.user)
        table = ActionItemTable(filterset.qs)
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        export = request.GET.get("_export")
        if export in self.export_formats:
            return SafeTableExport(export, table).response(f"action-items.{export}")
        return render(request, "meetings/action_item_list.html", {"filter": filterset, "table": table})


class ActionItemUpdateView(PartnerOrHubMixin, View):
    """The owner organisation (or the hub) marks an item done, dropped or open again."""

    def post(self, request, pk):
        item = get_object_or_404(ActionItem.objects.for_user(request.user).select_related("meeting"), pk=pk)
        form = ActionStatusForm(request.POST)
        back = request.POST.get("next") or reverse("meetings:action_list")
        if not back.startswith("/") or back.startswith("//") or not back.isprintable():
            back = reverse("meetings:action_list")
        if not form.is_valid():
            messages.error(request, _("Choose a valid status."))
            return redirect(back)
        try:
            item.close(
                form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except StaleObjectError:
            messages.error(request, STALE)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Action item updated."))
        return redirect(back)


# ---------------------------------------------------------------------------------------------
# Rotation, supervision, attendance, coverage


class RotationView(AnyRoleMixin, View):
    def get(self, request):
        today = timezone.localdate()
        queue = list(planner.rotation_candidates())
        skips = list(
            RotationSkip.objects.filter(month__gte=today.replace(day=1))
            .select_related("organisation")
            .order_by("month")
        )
        history = list(
            Meeting.objects.filter(kind=MeetingKind.MONTHLY_TOPIC)
            .exclude(status=MeetingStatus.CANCELLED)
            .select_related("host")
            .order_by("-starts_at")[:48]
        )
        context = {"queue": queue, "skips": skips, "history": history, "today": timezone.now()}
        if request.user.is_hub:
            context["skip_form"] = PlanSkipForm(initial={"expected_version": 0})
        return render(request, "meetings/rotation.html", context)


class RotationSkipView(HubRequiredMixin, View):
    def post(self, request):
        form = RotationSkipForm(request.POST)
        if form.is_valid():
            RotationSkip.objects.update_or_create(
                organisation=form.cleaned_data["organisation"],
                month=datetime.date(form.cleaned_data["year"], form.cleaned_data["month"], 1),
                defaults={"reason": form.cleaned_data["reason"], "created_by": request.user},
            )
            messages.success(request, _("The organisation is skipped for that month."))
        else:
            messages.error(request, _("Choose an organisation and a month, and say why."))
        return redirect("meetings:rotation")


class SupervisionHistoryView(PartnerOrHubMixin, View):
    def get(self, request, pk):
        organisation = get_object_or_404(Organisation.objects.internal_for(request.user), pk=pk)
        meetings = list(
            Meeting.objects.for_user(request.user)
            .filter(kind=MeetingKind.SUPERVISION, organisation=organisation)
            .select_related("diagnosis")
            .prefetch_related(
                Prefetch(
                    "action_items",
                    queryset=ActionItem.objects.for_user(request.user).select_related("owner_person"),
                )
            )
            .order_by("-starts_at")
        )
        return render(
            request,
            "meetings/supervision_history.html",
            {
                "organisation": organisation,
                "meetings": meetings,
                "frequency": planner.frequency_of(organisation, timezone.localdate()),
            },
        )


def attendance_rates(kind: str | None = None, year: int | None = None) -> list[dict]:
    """Per organisation: recorded invitations and how many were present (one query)."""
    recorded = Invitation.objects.exclude(attendance="").filter(organisation__isnull=False)
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


class AttendanceRatesView(HubRequiredMixin, View):
    def get(self, request):
        form = AttendanceRatesFilterForm(request.GET)
        form.is_valid()  # a filter that does not parse is ignored (cleaned_data keeps the others)
        kind, year = form.cleaned_data.get("kind") or None, form.cleaned_data.get("year")
        table = AttendanceRateTable(attendance_rates(kind, year), orderable=False)
        return render(
            request,
            "meetings/attendance_rates.html",
            {"table": table, "kinds": MeetingKind.choices, "kind": kind, "year": year or ""},
        )


class CoverageView(HubRequiredMixin, View):
    def get(self, request):
        return render(request, "meetings/coverage.html", coverage.checks())


# ---------------------------------------------------------------------------------------------
# Planner


class PlannerView(HubRequiredMixin, View):
    template = "meetings/planner.html"

    def _render(self, request, form, status=200):
        first, last = planner.known_years()
        drafts = PlanDraft.objects.select_related("created_by", "confirmed_by")[:20]
        return render(
            request,
            self.template,
            {"form": form, "drafts": drafts, "known_from": first, "known_to": last},
            status=status,
        )

    def get(self, request):
        return self._render(request, PlanForm(initial={"year": timezone.localdate().year + 1}))

    def post(self, request):
        form = PlanForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        draft = actions.do_create_plan(by=request.user, **form.cleaned_data)
        if not draft.calendar_known:
            messages.warning(
                request,
                _(
                    "The holiday calendar package does not know %(year)s yet: only weekends and the days "
                    "entered by hub staff are skipped. Enter the State Council's holidays and adjusted "
                    "working days, then plan again."
                )
                % {"year": draft.year},
            )
        return redirect(draft)


class PlanDetailView(HubRequiredMixin, View):
    def get(self, request, pk):
        draft = get_object_or_404(PlanDraft, pk=pk)
        return render(request, "meetings/plan_detail.html", plan_context(draft))


def plan_context(draft: PlanDraft, **extra) -> dict:
    org_ids = {i["host"] for i in draft.items if i["host"]} | {
        i["organisation"] for i in draft.items if i["organisation"]
    }
    orgs = Organisation.objects.in_bulk(org_ids)
    kinds = dict(MeetingKind.choices)
    rows = []
    for item in draft.items:
        rows.append(
            {
                **item,
                "kind_label": kinds[item["kind"]],
                "host_obj": orgs.get(item["host"]),
                "org_obj": orgs.get(item["organisation"]),
                "day": datetime.date.fromisoformat(item["date"]),
            }
        )
    months = [
        (i["key"], f"{i['month']:02d} · {orgs.get(i['host'], '—')}")
        for i in sorted(draft.items, key=lambda i: i["sequence"])
        if i["kind"] == MeetingKind.MONTHLY_TOPIC and not i["existing"]
    ]
    version = {"expected_version": draft.version}
    context = {
        "draft": draft,
        "rows": rows,
        "counts": {label: sum(1 for r in rows if r["kind"] == kind) for kind, label in MeetingKind.choices},
        "new_count": sum(1 for r in rows if not r["existing"]),
        "swap_form": PlanSwapForm(initial=version, months=months),
        "skip_form": PlanSkipForm(initial=version),
        "move_version": draft.version,
    }
    context.update(extra)
    return context


class PlanAdjustView(HubRequiredMixin, View):
    def post(self, request, pk):
        draft = get_object_or_404(PlanDraft, pk=pk)
        op = request.POST.get("op")
        try:
            if op == "move":
                form = PlanMoveForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Enter a valid date."))
                actions.do_move_plan_item(
                    draft,
                    key=form.cleaned_data["key"],
                    day=form.cleaned_data["date"],
                    expected_version=form.cleaned_data["expected_version"],
                )
            elif op == "swap":
                form = PlanSwapForm(request.POST, months=[(i["key"], i["key"]) for i in draft.items])
                if not form.is_valid():
                    raise ValidationError(_("Choose two months."))
                actions.do_swap_hosts(
                    draft,
                    first=form.cleaned_data["first"],
                    second=form.cleaned_data["second"],
                    expected_version=form.cleaned_data["expected_version"],
                )
            elif op == "skip":
                form = PlanSkipForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Choose an organisation and a month, and say why."))
                actions.do_skip_in_plan(
                    draft,
                    organisation=form.cleaned_data["organisation"],
                    month=form.cleaned_data["month"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                    expected_version=form.cleaned_data["expected_version"],
                )
            else:
                raise ValidationError(_("Unknown change."))
        except StaleObjectError:
            messages.error(request, STALE)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Plan updated."))
        return redirect(draft)


class PlanConfirmView(HubRequiredMixin, View):
    def post(self, request, pk):
        draft = get_object_or_404(PlanDraft, pk=pk)
        form = ConfirmPlanForm(request.POST)
        if not form.is_valid():
            messages.error(request, STALE)
            return redirect(draft)
        try:
            created = actions.do_confirm_plan(
                draft, by=request.user, expected_version=form.cleaned_data["expected_version"]
            )
        except StaleObjectError:
            messages.error(request, STALE)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request, _("%(count)s meetings created with their invitations.") % {"count": len(created)}
            )
        return redirect(draft)


class HolidayListView(HubRequiredMixin, View):
    template = "meetings/holidays.html"

    def _render(self, request, form, status=200):
        filters = YearFilterForm(request.GET)
        days = HolidayOverride.objects.select_related("entered_by")
        if filters.is_valid() and filters.cleaned_data["year"]:
            days = days.filter(date__year=filters.cleaned_data["year"])
        first, last = planner.known_years()
        context = {"form": form, "days": days, "known_from": first, "known_to": last}
        return render(request, self.template, context, status=status)

    def get(self, request):
        return self._render(request, HolidayForm())

    def post(self, request):
        form = HolidayForm(request.POST)
        if form.is_valid():
            form.instance.entered_by = request.user
            form.save()
            messages.success(request, _("Day saved."))
            return redirect("meetings:holidays")
        return self._render(request, form, status=400)


class HolidayDeleteView(HubRequiredMixin, View):
    def post(self, request, pk):
        get_object_or_404(HolidayOverride, pk=pk).delete()
        messages.success(request, _("Day removed."))
        return redirect("meetings:holidays")


# ---------------------------------------------------------------------------------------------
# Calendar feed


class FeedSettingsView(AnyRoleMixin, View):
    def get(self, request):
        token = CalendarFeedToken.objects.active().filter(person=request.user).first()
        url = request.build_absolute_uri(reverse("meetings:feed", args=[token.token])) if token else None
        return render(request, "meetings/feed_settings.html", {"token": token, "feed_url": url})

    def post(self, request):
        if request.POST.get("op") == "revoke":
            actions.do_revoke_feed_tokens(request.user)
            messages.success(request, _("Your calendar link no longer works."))
        else:
            actions.do_issue_feed_token(request.user)
            messages.success(request, _("New calendar link created; the old one no longer works."))
        return redirect("meetings:feed_settings")


def feed(request, token):
    """A person's meetings as iCalendar, for phone calendars (no log-in: the URL is the secret)."""
    feed_token = get_object_or_404(CalendarFeedToken.objects.active().select_related("person"), token=token)
    person = feed_token.person
    if not person.is_active:
        raise Http404
    since = timezone.now() - datetime.timedelta(days=365)
    meetings = Meeting.objects.for_user(person).filter(invitations__person=person, starts_at__gte=since)
    return HttpResponse(
        calendar_bytes(meetings, _("Hub meetings")), content_type="text/calendar; charset=utf-8"
    )
