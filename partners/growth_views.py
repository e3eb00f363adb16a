"""The growth file (成长档案): stage decisions, support cycles and their goals, the graduation
decision, the yearly needs questionnaire and the network's needs, and the support timeline.

Scoping as on the other partners pages: objects are looked up in ``for_user``/``internal_for``, so
another organisation's people get 404; hub-only changes then answer 403 to the organisation's own.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView

from hubsite.core.permissions import AnyRoleMixin, DirectorRequiredMixin, HubRequiredMixin
from hubsite.core.views import ActionFormView, FormPageMixin, VersionedSaveMixin

from . import growth
from .choices import HIGH_NEED_SCORE, stage_label
from .growth_forms import (
    CycleGoalForm,
    GraduationForm,
    NeedsForm,
    StageChangeForm,
    SupportCycleCreateForm,
    SupportCycleForm,
)
from .models import CycleGoal, NeedsAnswer, NeedsAssessment, NeedsQuestion, Organisation, SupportCycle
from .needs import common_needs, needs_summary
from .timeline import growth_file, organisation_timeline
from .views import HubEditMixin

# ---------------------------------------------------------------------------------------------
# Stage


class OrganisationStageView(HubEditMixin, ActionFormView):
    """Hub staff decide an organisation's development stage; the history keeps who, when and why."""

    form_class = StageChangeForm
    success_message = _("Development stage changed.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.organisation = self.editable_organisation(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation}

    def get_page_title(self):
        return _("Development stage of %(name)s (now: %(stage)s)") % {
            "name": self.organisation.name,
            "stage": stage_label(self.organisation.stage) or "-",
        }

    def get_cancel_url(self):
        return reverse("partners:organisation_timeline", args=[self.organisation.pk])

    get_success_url = get_cancel_url

    def perform(self, form):
        return growth.do_change_stage(
            self.organisation,
            form.cleaned_data["stage"],
            by=self.request.user,
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data["effective_on"],
        )


# ---------------------------------------------------------------------------------------------
# Support cycles


class CycleMixin(HubEditMixin):
    """A cycle the person may read (404 otherwise), for the hub-only pages of it (403 to its own)."""

    def get_cycle(self, pk) -> SupportCycle:
        cycle = get_object_or_404(
            SupportCycle.objects.for_user(self.request.user).select_related("organisation"), pk=pk
        )
        return self.hub_only(cycle)


class CycleCreateView(HubEditMixin, FormPageMixin, CreateView):
    """Hub staff open a support cycle for an organisation (a year from today, by default)."""

    form_class = SupportCycleCreateForm
    page_title = _("New support cycle")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.organisation = self.editable_organisation(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        today = timezone.localdate()
        try:
            a_year_on = today.replace(year=today.year + 1)
        except ValueError:  # 29 February
            a_year_on = today.replace(year=today.year + 1, day=28)
        return {"starts_on": today, "ends_on": a_year_on - datetime.timedelta(days=1)}

    def get_page_title(self):
        return f"{self.organisation.name}: {self.page_title}"

    def get_cancel_url(self):
        return reverse("partners:organisation_timeline", args=[self.organisation.pk])

    def form_valid(self, form):
        form.instance.organisation = self.organisation
        self.object = form.save()
        messages.success(self.request, _("Support cycle created. Now set its goals."))
        return redirect(self.object.get_absolute_url())


class CycleDetailView(AnyRoleMixin, DetailView):
    """A support cycle: goals per area, support planned, reviews, graduation; the hub and the
    organisation's own people read it."""

    template_name = "partners/cycle_detail.html"
    context_object_name = "cycle"

    def get_queryset(self):
        return SupportCycle.objects.for_user(self.request.user).select_related(
            "organisation", "graduation_decided_by"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            goals=list(self.object.goals.all()), is_hub=self.request.user.is_hub, **kwargs
        )


class CycleEditView(CycleMixin, VersionedSaveMixin, FormPageMixin, UpdateView):
    """Hub staff change a cycle's dates and support, and write its mid-cycle and final reviews."""

    form_class = SupportCycleForm
    success_message = _("Support cycle saved.")

    def get_object(self, queryset=None):
        return self.get_cycle(self.kwargs["pk"])

    def get_page_title(self):
        return _("Support cycle of %(name)s") % {"name": self.object.organisation.name}

    def get_cancel_url(self):
        return self.object.get_absolute_url()

    def get_success_url(self):
        return self.object.get_absolute_url()


class GoalCreateView(CycleMixin, FormPageMixin, CreateView):
    """A goal of a cycle in one area (hub staff)."""

    form_class = CycleGoalForm
    page_title = _("New goal")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.cycle = self.get_cycle(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.cycle.organisation.name}: {self.page_title}"

    def get_cancel_url(self):
        return self.cycle.get_absolute_url()

    def form_valid(self, form):
        form.instance.cycle = self.cycle
        form.save()
        messages.success(self.request, _("Goal saved."))
        return redirect(self.cycle.get_absolute_url() + "#goals")


class GoalEditView(CycleMixin, FormPageMixin, UpdateView):
    """A goal, edited; at the review, how far it got (hub staff)."""

    form_class = CycleGoalForm
    page_title = _("Edit goal")

    def get_object(self, queryset=None):
        cycles = SupportCycle.objects.for_user(self.request.user)
        goal = get_object_or_404(
            CycleGoal.objects.filter(cycle__in=cycles).select_related("cycle__organisation"),
            pk=self.kwargs["pk"],
        )
        return self.hub_only(goal)

    def get_page_title(self):
        return f"{self.object.cycle.organisation.name}: {self.page_title}"

    def get_cancel_url(self):
        return self.object.cycle.get_absolute_url()

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Goal saved."))
        return redirect(self.object.cycle.get_absolute_url() + "#goals")


class GraduationView(CycleMixin, ActionFormView):
    """Hub staff decide whether the organisation graduates (出壳) and on what evidence."""

    form_class = GraduationForm
    success_message = _("Decision recorded; the organisation's directors are told.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.cycle = self.get_cycle(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        if self.cycle.graduation:
            return {
                "decision": self.cycle.graduation,
                "evidence": self.cycle.graduation_evidence,
                "decided_on": self.cycle.graduation_decided_on,
            }
        return {}

    def get_page_title(self):
        return _("Graduation decision: %(name)s") % {"name": self.cycle.organisation.name}

    def get_cancel_url(self):
        return self.cycle.get_absolute_url()

    get_success_url = get_cancel_url

    def perform(self, form):
        growth.do_decide_graduation(
            self.cycle,
            form.cleaned_data["decision"],
            evidence=form.cleaned_data["evidence"],
            by=self.request.user,
            on=form.cleaned_data["decided_on"],
        )


# ---------------------------------------------------------------------------------------------
# Needs assessment


def questions_of(year: int) -> list[NeedsQuestion]:
    questions = list(NeedsQuestion.objects.for_year(year))
    if not questions:
        raise Http404("No questionnaire for this year")
    return questions


class NeedsFillView(DirectorRequiredMixin, ActionFormView):
    """The director answers the year's questionnaire for their own organisation (again to revise)."""

    form_class = NeedsForm
    template_name = "partners/needs_form.html"
    success_message = _("Thank you: your answers are saved and the hub can see them.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.year = kwargs["year"]
            self.questions = questions_of(self.year)
            self.organisation = request.user.organisation
            self.assessment = NeedsAssessment.objects.filter(
                organisation=self.organisation, year=self.year
            ).first()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        answers = {}
        if self.assessment is not None:
            answers = {answer.question_id: answer for answer in self.assessment.answers.all()}
        return {**super().get_form_kwargs(), "questions": self.questions, "answers": answers}

    def get_page_title(self):
        return _("Needs assessment %(year)s: %(name)s") % {"year": self.year, "name": self.organisation.name}

    def get_cancel_url(self):
        return reverse("partners:organisation_timeline", args=[self.organisation.pk])

    def get_success_url(self):
        return self.result.get_absolute_url()

    def perform(self, form):
        return growth.do_answer_needs(self.organisation, self.year, form.answers(), by=self.request.user)


class NeedsDetailView(AnyRoleMixin, DetailView):
    """One organisation's answers of one year: its own people and the hub read them."""

    template_name = "partners/needs_detail.html"
    context_object_name = "assessment"

    def get_queryset(self):
        return NeedsAssessment.objects.for_user(self.request.user).select_related("organisation", "filled_by")

    def get_context_data(self, **kwargs):
        answers = NeedsAnswer.objects.filter(assessment=self.object).select_related("question")
        return super().get_context_data(answers=list(answers), **kwargs)


class NeedsNetworkView(HubRequiredMixin, TemplateView):
    """The network's needs of a year: per question the average score and how many rate it high, the
    training topics they suggest, and who has not answered yet."""

    template_name = "partners/needs_network.html"

    def get_context_data(self, **kwargs):
        year = self.kwargs["year"]
        if not 2022 <= year <= timezone.localdate().year + 1:
            raise Http404("No needs assessment that year")
        summary = needs_summary(year)
        answered = NeedsAssessment.objects.filter(year=year).values_list("organisation_id", flat=True)
        missing = Organisation.objects.active().partners().exclude(pk__in=answered).only("name", "short_name")
        context = super().get_context_data(**kwargs)
        context.update(
            year=year,
            summary=summary,
            topics=common_needs(year, summary),
            assessments=list(
                NeedsAssessment.objects.filter(year=year)
                .select_related("organisation")
                .annotate(high=Count("answers", filter=Q(answers__score__gte=HIGH_NEED_SCORE)))
            ),
            missing=list(missing),
            previous_year=year - 1 if year > 2022 else None,
            next_year=year + 1 if year <= timezone.localdate().year else None,
        )
        return context


# ---------------------------------------------------------------------------------------------
# Timeline


class OrganisationTimelineView(AnyRoleMixin, TemplateView):
    """An organisation's growth file: its stage history, support cycles and needs assessments, and
    its support timeline, one calendar year a page (the hub and its own people)."""

    template_name = "partners/organisation_timeline.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        organisation = get_object_or_404(Organisation.objects.internal_for(user), pk=self.kwargs["pk"])
        today = timezone.localdate()
        year = self.request.GET.get("year", "")
        year = int(year) if year.isdigit() and 2000 <= int(year) <= today.year + 1 else today.year
        since, until = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return super().get_context_data(
            organisation=organisation,
            year=year,
            previous_year=year - 1 if year > 2000 else None,
            next_year=year + 1 if year <= today.year else None,
            events=organisation_timeline(organisation, user, since, until),
            needs_year=today.year,
            **growth_file(user, organisation),
            **kwargs,
        )
