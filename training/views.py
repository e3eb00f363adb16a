"""Pages of the talent programme, in the one view idiom (``hubsite.core.views``).

Who may open a page is a mixin from ``hubsite.core.permissions``; which objects, the querysets'
``for_user``: an application of another organisation answers 404, its evidence and certificate too.
The certificate's verification page is the only page open to anyone, and shows only name, module,
date and whether it is valid.
"""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import CreateView, DetailView, ListView, TemplateView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from hubsite.core.files import content_disposition, serve_protected
from hubsite.core.forms import StyledForm
from hubsite.core.permissions import (
    DirectorRequiredMixin,
    HubRequiredMixin,
    PartnerOrHubMixin,
    PartnerRequiredMixin,
)
from hubsite.core.views import ActionFormView, FormPageMixin, VersionedSaveMixin
from meetings.choices import Attendance, MeetingKind
from meetings.models import Invitation

from . import actions, forms, pdf
from .choices import LEARNER_STATUSES, ApplicationStatus
from .filtersets import ApplicationFilterSet, TalentPoolFilterSet
from .models import Application, Certificate, Module, PracticeRecord, Programme, TrainingSession
from .tables import ApplicationTable, TalentPoolTable

# ---------------------------------------------------------------------------------------------
# Programmes and modules


class ProgrammeListView(PartnerOrHubMixin, ListView):
    template_name = "training/programme_list.html"
    context_object_name = "programmes"

    def get_queryset(self):
        return Programme.objects.for_user(self.request.user).prefetch_related("modules")


class ProgrammeCreateView(HubRequiredMixin, FormPageMixin, CreateView):
    form_class = forms.ProgrammeForm
    page_title = _("New programme")
    cancel_url = reverse_lazy("training:programme_list")


def modules_with_places(queryset):
    """Modules with how many places are taken and how many applications wait for a decision."""
    return queryset.annotate(
        taken=Count("applications", filter=Q(applications__status__in=LEARNER_STATUSES)),
        waiting=Count("applications", filter=Q(applications__status=ApplicationStatus.WAITLISTED)),
        applied=Count("applications"),
    )


class ProgrammeDetailView(PartnerOrHubMixin, DetailView):
    template_name = "training/programme_detail.html"
    context_object_name = "programme"

    def get_queryset(self):
        return Programme.objects.for_user(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        modules = list(modules_with_places(self.object.modules.all()))
        context.update(modules=modules, any_open=any(m.is_open(now) for m in modules), now=now)
        return context


class ModuleCreateView(HubRequiredMixin, FormPageMixin, CreateView):
    form_class = forms.ModuleForm
    page_title = _("New module")

    @cached_property
    def programme(self):
        return get_object_or_404(Programme.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_cancel_url(self):
        return self.programme.get_absolute_url()

    def form_valid(self, form):
        form.instance.programme = self.programme
        return super().form_valid(form)


class ModuleDetailView(PartnerOrHubMixin, DetailView):
    """A module's rules and places; the hub sees every application in selection order, partner
    people their own organisation's."""

    template_name = "training/module_detail.html"
    context_object_name = "module"

    def get_queryset(self):
        return modules_with_places(Module.objects.for_user(self.request.user).select_related("programme"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        applications = (
            Application.objects.for_user(self.request.user)
            .filter(module=self.object)
            .select_related("applicant", "organisation")
            # Selection order: best initial assessment first, then who applied first.
            .order_by(F("score").desc(nulls_last=True), "created_at")
        )
        context.update(
            applications=applications,
            sessions=sessions_with_attendance(self.object),
            is_open=self.object.is_open(),
        )
        return context


def sessions_with_attendance(module):
    """The module's sessions with their meeting, how many are invited and how many were present
    (counted in SQL from the meeting's invitations)."""
    return (
        module.sessions.select_related("meeting")
        .annotate(
            invited=Count("meeting__invitations"),
            present=Count(
                "meeting__invitations", filter=Q(meeting__invitations__attendance=Attendance.PRESENT)
            ),
        )
        .order_by("meeting__starts_at")
    )


class ModuleEditView(HubRequiredMixin, FormPageMixin, VersionedSaveMixin, UpdateView):
    form_class = forms.ModuleEditForm
    page_title = _("Edit module")

    def get_queryset(self):
        return Module.objects.editable_by(self.request.user)

    def get_cancel_url(self):
        return self.object.get_absolute_url()


class SessionAddView(HubRequiredMixin, ActionFormView):
    """A new session of the module: a meeting of the calendar (kind "training session") to which the
    module's learners are invited; its replies, .ics and attendance are the meeting's own pages."""

    form_class = forms.SessionForm
    page_title = _("Add a session")
    success_message = _("Session added.")

    @cached_property
    def module(self):
        return get_object_or_404(Module.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_initial(self):
        number = self.module.sessions.count() + 1
        return {"title": _("%(module)s: session %(number)s") % {"module": self.module, "number": number}}

    def get_context_data(self, **kwargs):
        return super().get_context_data(subtitle=str(self.module), **kwargs)

    def get_cancel_url(self):
        return self.module.get_absolute_url()

    def get_success_url(self):
        return self.module.get_absolute_url()

    def perform(self, form):
        return actions.do_add_session(
            self.module, by=self.request.user, meeting=form.instance, confirm=form.cleaned_data["confirm"]
        )


class ApplyView(PartnerRequiredMixin, ActionFormView):
    """A partner person applies to one or several of the programme's open modules."""

    form_class = forms.ApplyForm
    template_name = "training/apply.html"
    submit_label = pgettext_lazy("button", "Apply")

    @cached_property
    def programme(self):
        return get_object_or_404(Programme.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        modules = self.programme.modules.open_at(timezone.now())
        return {**super().get_form_kwargs(), "modules": modules}

    def get_page_title(self):
        return _("Apply: %(programme)s") % {"programme": self.programme}

    def get_cancel_url(self):
        return self.programme.get_absolute_url()

    def get_success_message(self):
        return _("Applied. Your director is asked to endorse the application.")

    def get_success_url(self):
        return reverse("training:application_list")

    def perform(self, form):
        data = form.cleaned_data
        return actions.do_apply(
            by=self.request.user,
            modules=data["modules"],
            years_in_child_services=data["years_in_child_services"],
            education=data["education"],
            certificates=data["certificates"],
            holds_required_certificate=data["holds_required_certificate"],
            evidence=data["evidence"],
            motivation=data["motivation"],
        )


# ---------------------------------------------------------------------------------------------
# Applications


class ApplicationListView(PartnerOrHubMixin, SingleTableMixin, FilterView):
    table_class = ApplicationTable
    filterset_class = ApplicationFilterSet
    template_name = "training/application_list.html"

    def get_queryset(self):
        return Application.objects.for_user(self.request.user).select_related(
            "applicant", "organisation", "module"
        )


class ApplicationDetailView(PartnerOrHubMixin, DetailView):
    template_name = "training/application_detail.html"
    context_object_name = "application"

    def get_queryset(self):
        return Application.objects.for_user(self.request.user).select_related(
            "applicant", "organisation", "module__programme", "endorsed_by"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        context.update(
            records=application.practice_records.select_related("logged_by", "confirmed_by"),
            certificate=Certificate.objects.filter(application=application).first(),
        )
        if application.is_learner:
            context.update(
                sessions=learner_sessions(application),
                attendance=application.attendance_percent(),
                shortfalls=application.completion_shortfalls(),
                suggested_incentive=application.suggested_incentive(),
            )
        return context


def learner_sessions(application) -> list:
    """The module's sessions, each with the learner's attendance as recorded on the meeting's
    invitation (``None``: not invited, e.g. held before the learner was selected). One query."""
    mark = Invitation.objects.filter(meeting=OuterRef("meeting"), person_id=application.applicant_id)
    sessions = (
        TrainingSession.objects.filter(module_id=application.module_id)
        .select_related("meeting")
        .annotate(mark=Subquery(mark.values("attendance")[:1]))
        .order_by("meeting__starts_at")
    )
    labels = dict(Attendance.choices)
    for session in sessions:
        session.mark_label = labels.get(session.mark) if session.mark is not None else None
    return list(sessions)


class EvidenceView(PartnerOrHubMixin, DetailView):
    def get_queryset(self):
        return Application.objects.for_user(self.request.user)

    def get(self, request, *args, **kwargs):
        application = self.get_object()
        return serve_protected(request, application.evidence, application.evidence_name or "evidence")


class ApplicationActionView(ActionFormView):
    """An action on one application the user may see (another organisation's answers 404)."""

    form_class = StyledForm
    success_message = _("Saved.")

    @cached_property
    def application(self):
        queryset = Application.objects.for_user(self.request.user).select_related(
            "applicant", "module__programme"
        )
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subtitle"] = f"{self.application.applicant} · {self.application.module}"
        return context

    def get_cancel_url(self):
        return self.application.get_absolute_url()

    def get_success_url(self):
        return self.application.get_absolute_url()


class EndorseView(DirectorRequiredMixin, ApplicationActionView):
    page_title = _("Endorse the application")
    submit_label = pgettext_lazy("button", "Endorse")
    success_message = _("Endorsed.")

    def perform(self, form):
        return actions.do_endorse(self.application, by=self.request.user)


class ScoreView(HubRequiredMixin, ApplicationActionView):
    form_class = forms.ScoreForm
    page_title = _("Initial assessment")

    def get_initial(self):
        return {"score": self.application.score, "note": self.application.assessment_note}

    def perform(self, form):
        data = form.cleaned_data
        return actions.do_score(
            self.application, by=self.request.user, score=data["score"], note=data["note"]
        )


class DecideView(HubRequiredMixin, ApplicationActionView):
    form_class = forms.DecisionForm
    page_title = _("Selection")
    success_message = _("Decided; the applicant is told at once.")

    def perform(self, form):
        return actions.do_decide(
            self.application, by=self.request.user, decision=form.cleaned_data["decision"]
        )


class WithdrawView(PartnerOrHubMixin, ApplicationActionView):
    page_title = _("Withdraw the application")
    submit_label = pgettext_lazy("button", "Withdraw")
    success_message = _("Withdrawn.")

    def perform(self, form):
        return actions.do_withdraw(self.application, by=self.request.user)


class PracticeLogView(PartnerRequiredMixin, ApplicationActionView):
    form_class = forms.PracticeRecordForm
    page_title = _("Log a practice record")
    success_message = _("Practice record logged; the hub will confirm it.")

    def perform(self, form):
        data = form.cleaned_data
        return actions.do_log_practice(
            self.application,
            by=self.request.user,
            served_on=data["served_on"],
            description=data["description"],
        )


class PracticeConfirmView(HubRequiredMixin, ActionFormView):
    form_class = StyledForm
    page_title = _("Confirm the practice record")
    submit_label = pgettext_lazy("button", "Confirm")
    success_message = _("Confirmed.")

    @cached_property
    def record(self):
        queryset = PracticeRecord.objects.for_user(self.request.user).select_related("application__applicant")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subtitle=f"{self.record.application.applicant} · {self.record.served_on}", **kwargs
        )

    def get_cancel_url(self):
        return self.record.application.get_absolute_url()

    def get_success_url(self):
        return self.record.application.get_absolute_url()

    def perform(self, form):
        return actions.do_confirm_practice(self.record, by=self.request.user)


class RatingView(HubRequiredMixin, ApplicationActionView):
    form_class = forms.RatingForm
    page_title = _("Feedback ratings")

    def get_initial(self):
        a = self.application
        return {"learner": a.learner_rating, "supervisor": a.supervisor_rating, "parent": a.parent_rating}

    def perform(self, form):
        data = form.cleaned_data
        return actions.do_rate(
            self.application,
            by=self.request.user,
            learner=data["learner"],
            supervisor=data["supervisor"],
            parent=data["parent"],
        )


class DeferView(HubRequiredMixin, ApplicationActionView):
    form_class = forms.DeferForm
    page_title = _("Defer completion")
    success_message = _("Completion deferred; the learner is told at once.")

    def perform(self, form):
        return actions.do_defer(self.application, by=self.request.user, reason=form.cleaned_data["reason"])


class CompleteView(HubRequiredMixin, ApplicationActionView):
    form_class = forms.CompleteForm
    page_title = _("Completion and certificate")
    submit_label = pgettext_lazy("button", "Issue the certificate")
    success_message = _("Completed; the certificate is issued.")

    def get_initial(self):
        return {"completed_on": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        return actions.do_complete(
            self.application, by=self.request.user, on=data["completed_on"], honour=data["honour"]
        )


class IncentiveView(HubRequiredMixin, ApplicationActionView):
    form_class = forms.IncentiveForm
    page_title = _("Incentive")

    def get_initial(self):
        a = self.application
        return {"amount": a.incentive_amount or a.suggested_incentive(), "paid_on": a.incentive_paid_on}

    def perform(self, form):
        data = form.cleaned_data
        return actions.do_record_incentive(
            self.application, by=self.request.user, amount=data["amount"], paid_on=data["paid_on"]
        )


# ---------------------------------------------------------------------------------------------
# Certificates and the talent pool


class CertificatePdfView(PartnerOrHubMixin, DetailView):
    """The certificate as a PDF, for the learner's organisation and the hub."""

    def get_queryset(self):
        return Application.objects.for_user(self.request.user)

    def get(self, request, *args, **kwargs):
        application = self.get_object()
        certificate = (
            Certificate.objects.filter(application=application, revoked=False)
            .select_related("application__applicant", "application__module__programme")
            .first()
        )
        if certificate is None:
            raise Http404
        verify_url = request.build_absolute_uri(certificate.get_verify_path())
        response = HttpResponse(pdf.certificate_pdf(certificate, verify_url), content_type="application/pdf")
        name = f"{application.applicant} {application.module}.pdf"
        response["Content-Disposition"] = content_disposition(name)
        response["Cache-Control"] = "private, no-store"
        return response


class TalentPoolView(PartnerOrHubMixin, SingleTableMixin, FilterView):
    """人才库: certified people, their modules and organisation, for everyone in the network."""

    table_class = TalentPoolTable
    filterset_class = TalentPoolFilterSet
    template_name = "training/talent_pool.html"

    def get_queryset(self):
        return (
            Certificate.objects.for_user(self.request.user)
            .filter(revoked=False)
            .select_related("application__applicant", "application__organisation", "application__module")
        )


class VerifyView(TemplateView):
    """Public: whoever scans the QR code learns that the certificate is genuine, and nothing else
    (no organisation, no contact, no other certificate)."""

    template_name = "training/verify.html"

    def get_context_data(self, **kwargs):
        certificate = get_object_or_404(
            Certificate.objects.select_related("application__applicant", "application__module__programme"),
            code=self.kwargs["code"],
        )
        return super().get_context_data(
            name=certificate.application.applicant.full_name,
            module=certificate.application.module,
            issued_on=certificate.issued_on,
            valid=certificate.is_valid,
            honour=certificate.honour,
            **kwargs,
        )


def session_panels(request, meeting) -> list[dict]:
    """On a training session's meeting page (registered into ``meetings.hooks.meeting_panels``): the
    module it belongs to and what its attendance counts for. One query, only for training sessions."""
    if meeting.kind != MeetingKind.TRAINING_SESSION:
        return []
    sessions = list(TrainingSession.objects.filter(meeting=meeting).select_related("module__programme"))
    return [{"template": "training/_session_panel.html", "sessions": sessions}]
