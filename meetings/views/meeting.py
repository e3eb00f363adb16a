"""One meeting: its page, its .ics, the hub's edit form and status changes, replies and the topic."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from hubsite.core.permissions import AnyRoleMixin, HubRequiredMixin, PartnerOrHubMixin
from partners.needs import common_needs

from .. import actions, ideas
from ..choices import Attendance, MeetingKind, Rsvp
from ..forms import MeetingForm, RsvpForm, StatusForm, TopicProposalForm
from ..hooks import meeting_panels
from ..ics import calendar_bytes
from ..models import ActionItem, Invitation, Meeting, Minutes, SupervisionDiagnosis, TopicProposal
from .base import MeetingFormPageView, MeetingMixin, PostedActionView


class MeetingQuerysetMixin:
    """Meetings the person may read, with what every meeting page shows of them."""

    def get_queryset(self):
        return Meeting.objects.for_user(self.request.user).select_related("host", "organisation")


class MeetingDetailView(AnyRoleMixin, MeetingQuerysetMixin, DetailView):
    """A meeting: titles and times for everyone who may read it; the rest for invitees, the host and
    the hub (and, for a supervision, its organisation)."""

    template_name = "meetings/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, user = self.object, self.request.user
        invitation = Invitation.objects.filter(meeting=meeting, person=user).first()
        own_supervision = meeting.is_supervision and user.organisation_id == meeting.organisation_id
        is_host = meeting.is_monthly_topic and user.is_partner and user.organisation_id == meeting.host_id
        # The network calendar shares titles and times; the rest is for invitees, the host and the hub.
        details = user.is_hub or invitation is not None or own_supervision or is_host
        context.update(invitation=invitation, details=details, is_host=is_host)
        context["panels"] = meeting_panels.collect(self.request, meeting)
        if details:
            context.update(self.details(meeting, user))
        return context

    def details(self, meeting, user) -> dict:
        invitations = (
            Invitation.objects.for_user(user).filter(meeting=meeting).select_related("person", "organisation")
        )
        context = {
            "invitations": list(invitations),
            "invitation_counts": meeting.invitations.aggregate(
                total=Count("pk"),
                accepted=Count("pk", filter=Q(rsvp=Rsvp.ACCEPTED)),
                declined=Count("pk", filter=Q(rsvp=Rsvp.DECLINED)),
                present=Count("pk", filter=Q(attendance=Attendance.PRESENT)),
            ),
            "minutes": Minutes.objects.filter(meeting=meeting).first(),
            "proposal": TopicProposal.objects.filter(meeting=meeting).select_related("proposed_by").first(),
            "action_items": list(
                ActionItem.objects.for_user(user)
                .filter(meeting=meeting)
                .select_related("owner_organisation", "owner_person")
            ),
        }
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
        return context


class MeetingIcsView(AnyRoleMixin, MeetingQuerysetMixin, DetailView):
    """One meeting as an .ics file, for a calendar that does not subscribe to the feed."""

    def render_to_response(self, context, **response_kwargs):
        meeting = self.object
        response = HttpResponse(
            calendar_bytes([meeting], meeting.title), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
        return response


class MeetingFormView(HubRequiredMixin, MeetingMixin, MeetingFormPageView):
    """Hub staff create a meeting (which invites its kind's audience) or edit one."""

    form_class = MeetingForm
    template_name = "meetings/meeting_form.html"
    success_message = _("Meeting saved.")

    def get_meeting(self):
        return super().get_meeting() if "pk" in self.kwargs else None

    def get_initial(self):
        if self.meeting is None:
            return {"kind": self.request.GET.get("kind", MeetingKind.OTHER)}
        return {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.meeting}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The half-year regional meeting sets trainings from needs common to several organisations.
        form = context.get("form")
        kind = form["kind"].value() if form is not None and "kind" in form.fields else None
        if kind == MeetingKind.HALF_YEAR_REGIONAL:
            year = (
                timezone.localdate(self.meeting.starts_at).year if self.meeting else timezone.localdate().year
            )
            context.update(training_needs=common_needs(year), needs_year=year)
        return context

    def perform(self, form):
        return actions.do_save_meeting(
            form.instance, by=self.request.user, expected_version=form.cleaned_data["version"]
        )

    def get_success_url(self):
        return self.result.get_absolute_url()


class MeetingStatusView(HubRequiredMixin, MeetingMixin, PostedActionView):
    """Hub staff confirm (which sends the invitations), mark as held or cancel a meeting."""

    form_class = StatusForm
    invalid_message = _("Choose an action.")

    def perform(self, form):
        actions.do_change_status(
            self.meeting, form.cleaned_data["action"], reason=form.cleaned_data["reason"]
        )

    def get_success_message(self):
        return _("Status changed to %(status)s.") % {"status": self.meeting.get_status_display()}

    def get_redirect_url(self):
        return self.meeting.get_absolute_url()


class RsvpView(AnyRoleMixin, MeetingMixin, PostedActionView):
    """The invitee replies; someone not invited gets 404."""

    form_class = RsvpForm
    invalid_message = _("Choose whether you will attend.")
    success_message = _("Thank you, your reply is recorded.")

    def post(self, request, *args, **kwargs):
        self.invitation = get_object_or_404(Invitation, meeting=self.meeting, person=request.user)
        self.invitation.meeting = self.meeting
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        actions.do_reply(self.invitation, form.cleaned_data["rsvp"])

    def get_redirect_url(self):
        return self.meeting.get_absolute_url()


class TopicProposalView(PartnerOrHubMixin, MeetingMixin, MeetingFormPageView):
    """The host organisation proposes the month's topic, with ideas from recent monthly reports."""

    form_class = TopicProposalForm
    template_name = "meetings/topic_form.html"
    success_message = _("Topic proposed. Thank you!")

    def get_meeting(self):
        meeting = super().get_meeting()
        if not meeting.is_monthly_topic:
            raise Http404
        if not (self.request.user.is_hub or self.request.user.organisation_id == meeting.host_id):
            raise PermissionDenied
        return meeting

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET":
            # The form shows the current proposal; a post proposes anew (``do_propose_topic``).
            kwargs["instance"] = TopicProposal.objects.filter(meeting=self.meeting).first()
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(ideas=ideas.recent_difficulties(self.request.user), **kwargs)

    def perform(self, form):
        actions.do_propose_topic(self.meeting, by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.meeting.get_absolute_url()
