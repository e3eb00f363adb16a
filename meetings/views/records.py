"""What a meeting leaves behind: attendance, minutes, a supervision's diagnosis and action items."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from hubsite.core.exports import SafeExportMixin
from hubsite.core.permissions import HubRequiredMixin, PartnerOrHubMixin

from .. import actions
from ..choices import ActionStatus
from ..filtersets import ActionItemFilterSet
from ..forms import ActionItemForm, ActionStatusForm, AttendanceForm, DiagnosisForm, MinutesForm
from ..models import ActionItem, Minutes, SupervisionDiagnosis
from ..tables import ActionItemTable
from .base import MeetingFormPageView, MeetingMixin, PostedActionView


class MeetingRecordView(HubRequiredMixin, MeetingMixin, MeetingFormPageView):
    """Hub staff record something about a meeting, then go back to it."""

    def get_success_url(self):
        return self.meeting.get_absolute_url()


class AttendanceView(MeetingRecordView):
    """Who was present, excused or absent (one select per invitation); the meeting counts as held."""

    form_class = AttendanceForm
    template_name = "meetings/attendance_form.html"
    success_message = _("Attendance recorded.")

    def get_form_kwargs(self):
        invitations = self.meeting.invitations.select_related("person", "organisation").order_by(
            "organisation__name", "person__full_name"
        )
        return {**super().get_form_kwargs(), "invitations": invitations}

    def perform(self, form):
        actions.do_record_attendance(self.meeting, form.marks())


class MinutesView(MeetingRecordView):
    """What was said and decided (Markdown); saving them marks the meeting as held."""

    form_class = MinutesForm
    template_name = "meetings/minutes_form.html"
    success_message = _("Minutes saved.")

    def get_initial(self):
        # Only the empty form shows the stored minutes; a posted one shows what was posted.
        minutes = (
            Minutes.objects.filter(meeting=self.meeting).first() if self.request.method == "GET" else None
        )
        if minutes is None:
            return {}
        return {"text": minutes.text, "decisions": minutes.decisions, "version": minutes.version}

    def perform(self, form):
        actions.do_save_minutes(
            self.meeting,
            text=form.cleaned_data["text"],
            decisions=form.cleaned_data["decisions"],
            by=self.request.user,
            expected_version=form.cleaned_data["version"],
        )


class DiagnosisView(MeetingRecordView):
    """The structured diagnosis of a supervision (404 for other meetings)."""

    form_class = DiagnosisForm
    template_name = "meetings/diagnosis_form.html"
    success_message = _("Diagnosis saved.")

    def get_meeting(self):
        meeting = super().get_meeting()
        if not meeting.is_supervision:
            raise Http404
        return meeting

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET":
            # A post is saved by ``do_save_diagnosis``, which finds the diagnosis itself.
            kwargs["instance"] = SupervisionDiagnosis.objects.filter(meeting=self.meeting).first()
        return kwargs

    def perform(self, form):
        actions.do_save_diagnosis(
            self.meeting,
            data=form.cleaned_data,
            by=self.request.user,
            expected_version=form.cleaned_data["version"],
        )


class ActionItemCreateView(MeetingRecordView):
    """A follow-up agreed in the meeting, owned by an organisation (and maybe a person)."""

    form_class = ActionItemForm
    template_name = "meetings/action_item_form.html"
    success_message = _("Action item added.")

    def get_initial(self):
        return {"owner_organisation": self.meeting.organisation_id or self.meeting.host_id}

    def get_form_kwargs(self):
        # The item knows its meeting before it is validated: a supervision's owner must fit it.
        instance = ActionItem(meeting=self.meeting)
        return {**super().get_form_kwargs(), "meeting": self.meeting, "instance": instance}

    def perform(self, form):
        return actions.do_add_action_item(form.instance, by=self.request.user)


class ActionItemListView(PartnerOrHubMixin, SafeExportMixin, SingleTableMixin, FilterView):
    """Open action items by default; partners see their organisation's, the hub all."""

    table_class = ActionItemTable
    filterset_class = ActionItemFilterSet
    template_name = "meetings/action_item_list.html"
    table_pagination = {"per_page": 50}
    export_name = "action-items"
    # A filter that does not parse is ignored rather than emptying the list.
    strict = False

    def get_queryset(self):
        return ActionItem.objects.for_user(self.request.user).select_related(
            "meeting", "owner_organisation", "owner_person"
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = self.request.GET.copy()
        if not data:
            data["status"] = ActionStatus.OPEN
        return {**kwargs, "data": data, "user": self.request.user}


class ActionItemUpdateView(PartnerOrHubMixin, PostedActionView):
    """The owner organisation (or the hub) marks an item done, dropped or open again, then goes back
    to the page it came from (``next``, a path on this site) or the list."""

    form_class = ActionStatusForm
    invalid_message = _("Choose a valid status.")
    success_message = _("Action item updated.")

    def post(self, request, *args, **kwargs):
        self.item = get_object_or_404(
            ActionItem.objects.for_user(request.user).select_related("meeting"), pk=kwargs["pk"]
        )
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        actions.do_close_action_item(
            self.item,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )

    def get_redirect_url(self):
        back = self.request.POST.get("next", "")
        # Only a printable path on this site: not another host ("//host", "/\\host"), nor a bare word.
        if (
            back.startswith("/")
            and back.isprintable()
            and url_has_allowed_host_and_scheme(
                back, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
            )
        ):
            return back
        return reverse("meetings:action_list")
