"""Partner directory, centres, organisation and centre pages, their edit forms, and people.

Scoping: every object a user reaches goes through ``for_user`` (what they may see) or
``editable_by`` (what they may change) on its queryset; anything outside answers 404. Role gates
(403) come first, so viewers never learn whether an object exists.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from hubsite.core.exports import SafeExportMixin
from hubsite.core.permissions import AnyRoleMixin, HubRequiredMixin, PartnerOrHubMixin
from hubsite.core.views import ActionFormView, FormPageMixin, VersionedSaveMixin

from . import actions
from .choices import CentreStatus
from .filtersets import CentreFilterSet, OrganisationFilterSet, PersonFilterSet
from .forms import (
    AssessmentForm,
    AwardForm,
    CentreCreateForm,
    CentreDescriptionForm,
    CentreForm,
    ExpansionPlanForm,
    OrganisationContactForm,
    OrganisationCreateForm,
    OrganisationForm,
    OrganisationQueryForm,
    OrganisationStatusForm,
    PersonEditForm,
    PersonForm,
    SharedExperienceForm,
)
from .hooks import organisation_panels
from .models import (
    Award,
    Centre,
    CentreAssessment,
    ExpansionPlan,
    Organisation,
    SharedExperience,
    User,
)
from .tables import CentreTable, OrganisationTable, PersonTable

# ---------------------------------------------------------------------------------------------
# Shared pieces


class HubEditMixin(PartnerOrHubMixin):
    """Hub-only edits of one organisation's records.

    The object is looked up in what the user may edit at all first, so another organisation's
    people get 404 (as for every edit URL of another organisation); then only hub staff pass.
    """

    def hub_only(self, obj):
        if not self.request.user.is_hub:
            raise PermissionDenied
        return obj

    def editable_organisation(self, pk):
        return self.hub_only(get_object_or_404(Organisation.objects.editable_by(self.request.user), pk=pk))


# ---------------------------------------------------------------------------------------------
# Organisations


class OrganisationListView(AnyRoleMixin, SafeExportMixin, SingleTableMixin, FilterView):
    """The partner directory: everyone sees the network; hub staff also see prospects and exits."""

    table_class = OrganisationTable
    filterset_class = OrganisationFilterSet
    template_name = "partners/organisation_list.html"
    export_name = "organisations"

    def get_queryset(self):
        return (
            Organisation.objects.for_user(self.request.user)
            .select_related("prefecture")
            .annotate(
                operating_centres=Count("centres", filter=Q(centres__status=CentreStatus.OPERATING)),
                centres_total=Count("centres"),
            )
            # People look a partner up by where it is: prefecture (in the province's order), then name.
            # A column header the reader clicks still sorts by that column instead.
            .order_by("prefecture__code", "name", "pk")
        )


class OrganisationDetailView(AnyRoleMixin, DetailView):
    """An organisation's profile; its people only to the hub and to its own people."""

    template_name = "partners/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.for_user(self.request.user).select_related("prefecture", "county")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, organisation = self.request.user, self.object
        own = user.is_partner and user.organisation_id == organisation.pk
        context.update(
            centres=list(organisation.centres.select_related("prefecture", "county")),
            awards=list(organisation.awards.all()),
            plans=list(organisation.expansion_plans.all()),
            experiences=list(organisation.experiences.select_related("endorsed_by")),
            assessments=list(
                CentreAssessment.objects.filter(centre__organisation=organisation).select_related(
                    "centre", "recorded_by"
                )
            ),
            status_changes=list(organisation.status_changes.select_related("changed_by")),
            can_edit=user.is_hub or own,
            show_people=user.is_hub or own,
            panels=organisation_panels.collect(self.request, organisation),
        )
        if context["show_people"]:
            # Personal details are internal: the scoping method decides, the page only narrows it.
            context["people"] = list(
                User.objects.for_user(user)
                .filter(organisation=organisation)
                .order_by("-is_active", "full_name")
            )
        return context


class OrganisationCreateView(HubRequiredMixin, FormPageMixin, CreateView):
    """Hub staff add an organisation (it starts as a prospect)."""

    model = Organisation
    form_class = OrganisationCreateForm
    page_title = _("New organisation")
    cancel_url = reverse_lazy("partners:organisation_list")

    def form_valid(self, form):
        messages.success(self.request, _("Organisation created."))
        with transaction.atomic():
            response = super().form_valid(form)
            if self.object.stage:
                self.object.record_stage_change("", self.object.stage, by=self.request.user)
        return response


class OrganisationEditView(PartnerOrHubMixin, VersionedSaveMixin, FormPageMixin, UpdateView):
    """Hub staff edit the whole profile; the organisation's own people only its contact details."""

    success_message = _("Organisation saved.")

    def get_queryset(self):
        return Organisation.objects.editable_by(self.request.user)

    def get_form_class(self):
        return OrganisationForm if self.request.user.is_hub else OrganisationContactForm

    def form_valid(self, form):
        # A stage set on the profile joins the stage history in the same transaction.
        with transaction.atomic():
            response = super().form_valid(form)
            if "stage" in form.changed_data and response.status_code == 302 and self.object.stage:
                self.object.record_stage_change(
                    form.initial.get("stage", ""), self.object.stage, by=self.request.user
                )
        return response

    def get_page_title(self):
        if self.request.user.is_hub:
            return _("Edit %(name)s") % {"name": self.object.name}
        return _("Contact details of %(name)s") % {"name": self.object.name}

    def get_cancel_url(self):
        return self.object.get_absolute_url()


class OrganisationStatusView(HubEditMixin, ActionFormView):
    """Hub staff move an organisation along its lifecycle; the model keeps the history."""

    form_class = OrganisationStatusForm
    success_message = _("Status changed.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.organisation = self.editable_organisation(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation}

    def get_page_title(self):
        return _("Change the status of %(name)s (now: %(status)s)") % {
            "name": self.organisation.name,
            "status": self.organisation.get_status_display(),
        }

    def get_cancel_url(self):
        return self.organisation.get_absolute_url()

    def get_success_url(self):
        return self.organisation.get_absolute_url()

    def perform(self, form):
        return self.organisation.change_status(
            form.cleaned_data["status"],
            by=self.request.user,
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data["effective_on"],
        )


class OrganisationRecordCreateView(HubEditMixin, FormPageMixin, CreateView):
    """Add an award, expansion plan or shareable experience to an organisation (hub staff)."""

    anchor = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.organisation = self.editable_organisation(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.organisation.name}: {self.page_title}"

    def get_cancel_url(self):
        return self.organisation.get_absolute_url()

    def form_valid(self, form):
        form.instance.organisation = self.organisation
        self.object = form.save()
        messages.success(self.request, _("Saved."))
        return redirect(self.organisation.get_absolute_url() + self.anchor)


class OrganisationRecordEditView(HubEditMixin, FormPageMixin, UpdateView):
    """Edit an award, expansion plan or shareable experience of an organisation (hub staff)."""

    anchor = ""

    def get_queryset(self):
        editable = Organisation.objects.editable_by(self.request.user)
        return self.model.objects.filter(organisation__in=editable).select_related("organisation")

    def get_object(self, queryset=None):
        return self.hub_only(super().get_object(queryset))

    def get_page_title(self):
        return f"{self.object.organisation.name}: {self.page_title}"

    def get_cancel_url(self):
        return self.object.organisation.get_absolute_url()

    def form_valid(self, form):
        self.object = form.save()
        messages.success(self.request, _("Saved."))
        return redirect(self.object.organisation.get_absolute_url() + self.anchor)


class AwardCreateView(OrganisationRecordCreateView):
    """A new award."""

    model, form_class, page_title, anchor = Award, AwardForm, _("New award"), "#awards"


class AwardEditView(OrganisationRecordEditView):
    """An award, edited."""

    model, form_class, page_title, anchor = Award, AwardForm, _("Edit award"), "#awards"


class ExpansionPlanCreateView(OrganisationRecordCreateView):
    """A new expansion plan."""

    model, form_class, page_title, anchor = (
        ExpansionPlan,
        ExpansionPlanForm,
        _("New expansion plan"),
        "#plans",
    )


class ExpansionPlanEditView(OrganisationRecordEditView):
    """An expansion plan, edited."""

    model, form_class, page_title, anchor = (
        ExpansionPlan,
        ExpansionPlanForm,
        _("Edit expansion plan"),
        "#plans",
    )


class ExperienceCreateView(OrganisationRecordCreateView):
    """A new shareable experience."""

    model, form_class, anchor = SharedExperience, SharedExperienceForm, "#experience"
    page_title = _("New shareable experience")


class ExperienceEditView(OrganisationRecordEditView):
    """A shareable experience, edited."""

    model, form_class, anchor = SharedExperience, SharedExperienceForm, "#experience"
    page_title = _("Edit shareable experience")


class ExperienceEndorseView(HubEditMixin, View):
    """Hub staff vouch for an experience so the network knows it is worth copying (POST only)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        editable = Organisation.objects.editable_by(request.user)
        experience = self.hub_only(
            get_object_or_404(SharedExperience.objects.filter(organisation__in=editable), pk=pk)
        )
        experience.endorse(by=request.user)
        messages.success(request, _("Experience endorsed."))
        return redirect(
            reverse("partners:organisation_detail", args=[experience.organisation_id]) + "#experience"
        )


# ---------------------------------------------------------------------------------------------
# Centres


class CentreListView(AnyRoleMixin, SafeExportMixin, SingleTableMixin, FilterView):
    """The centres of the organisations the user may see, filtered and exportable."""

    table_class = CentreTable
    filterset_class = CentreFilterSet
    template_name = "partners/centre_list.html"
    export_name = "centres"

    def get_queryset(self):
        return Centre.objects.for_user(self.request.user).select_related(
            "organisation", "prefecture", "county"
        )


class CentreDetailView(AnyRoleMixin, DetailView):
    """A centre's profile and its rating history."""

    template_name = "partners/centre_detail.html"
    context_object_name = "centre"

    def get_queryset(self):
        return Centre.objects.for_user(self.request.user).select_related(
            "organisation", "prefecture", "county"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, centre = self.request.user, self.object
        context["assessments"] = list(centre.assessments.select_related("recorded_by"))
        context["can_edit"] = user.is_hub or (
            user.is_partner and user.organisation_id == centre.organisation_id
        )
        return context


class CentreCreateView(HubRequiredMixin, FormPageMixin, CreateView):
    """Hub staff add a centre (``?organisation=`` preselects its organisation)."""

    model = Centre
    form_class = CentreCreateForm
    page_title = _("New centre")
    cancel_url = reverse_lazy("partners:organisation_list")

    def get_initial(self):
        initial = super().get_initial()
        query = OrganisationQueryForm(self.request.GET)
        organisation = query.cleaned_data["organisation"] if query.is_valid() else None
        if organisation:
            initial.update(organisation=organisation, prefecture=organisation.prefecture_id)
        return initial

    def form_valid(self, form):
        messages.success(self.request, _("Centre created."))
        return super().form_valid(form)


class CentreEditView(PartnerOrHubMixin, VersionedSaveMixin, FormPageMixin, UpdateView):
    """Hub staff edit the whole centre; the organisation's own people only its descriptive fields."""

    success_message = _("Centre saved.")

    def get_queryset(self):
        return Centre.objects.editable_by(self.request.user).select_related("organisation")

    def get_form_class(self):
        return CentreForm if self.request.user.is_hub else CentreDescriptionForm

    def get_page_title(self):
        return _("Edit %(name)s") % {"name": self.object.name}

    def get_cancel_url(self):
        return self.object.get_absolute_url()


class CentreAssessView(HubEditMixin, ActionFormView):
    """Hub staff record an operation assessment; the centre's rating follows the latest one."""

    form_class = AssessmentForm
    success_message = _("Assessment recorded.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.centre = self.hub_only(
                get_object_or_404(Centre.objects.editable_by(request.user), pk=kwargs["pk"])
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Record an operation assessment of %(name)s") % {"name": self.centre.name}

    def get_cancel_url(self):
        return self.centre.get_absolute_url()

    def get_success_url(self):
        return self.centre.get_absolute_url()

    def perform(self, form):
        return self.centre.record_assessment(**form.cleaned_data, by=self.request.user)


# ---------------------------------------------------------------------------------------------
# People (hub staff)


class PersonListView(HubRequiredMixin, SafeExportMixin, SingleTableMixin, FilterView):
    """Everyone with a login, for hub staff."""

    table_class = PersonTable
    filterset_class = PersonFilterSet
    template_name = "partners/person_list.html"
    export_name = "people"

    def get_queryset(self):
        return User.objects.for_user(self.request.user).select_related("organisation")


class PersonInviteView(HubRequiredMixin, ActionFormView):
    """Hub staff create a person, who is e-mailed a link to set their password."""

    form_class = PersonForm
    page_title = _("Invite a person")
    cancel_url = reverse_lazy("partners:person_list")
    success_url = reverse_lazy("partners:person_list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "by": self.request.user}

    def perform(self, form):
        data = form.cleaned_data
        return actions.do_invite_person(
            email=data["email"],
            full_name=data["full_name"],
            phone=data["phone"],
            role=data["role"],
            position=data["position"],
            organisation=data["organisation"],
            invited_by=self.request.user,
        )

    def get_success_message(self):
        return _("Invitation sent to %(email)s.") % {"email": self.result.email}


class PersonObjectMixin(HubRequiredMixin):
    """A person hub staff may manage: only hub admins manage hub admins."""

    def get_person(self, pk):
        person = get_object_or_404(User.objects.for_user(self.request.user), pk=pk)
        if person.is_hub_admin and not self.request.user.is_hub_admin:
            raise PermissionDenied
        return person


class PersonEditView(PersonObjectMixin, FormPageMixin, UpdateView):
    """Hub staff edit a person; below the form, their invitation and login switch."""

    form_class = PersonEditForm
    template_name = "partners/person_form.html"
    # Not "user" (the default for the User model): that would hide the person logged in, so the
    # page header named the edited person and "Deactivate" never showed (object.pk == user.pk).
    context_object_name = "person"

    def get_object(self, queryset=None):
        return self.get_person(self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "by": self.request.user}

    def get_page_title(self):
        return _("Edit %(name)s") % {"name": self.object.full_name}

    def get_cancel_url(self):
        return reverse("partners:person_list")

    def form_valid(self, form):
        if form.instance.pk == self.request.user.pk and not form.cleaned_data["is_active"]:
            form.add_error("is_active", _("You cannot deactivate yourself."))
            return self.form_invalid(form)
        actions.do_update_person(form)
        messages.success(self.request, _("Saved."))
        return redirect("partners:person_list")


class PersonDeactivateView(PersonObjectMixin, View):
    """Switch a person's login off (POST only); nobody switches off their own."""

    http_method_names = ["post"]

    def post(self, request, pk):
        person = self.get_person(pk)
        if person.pk == request.user.pk:
            messages.error(request, _("You cannot deactivate yourself."))
        else:
            actions.do_deactivate_person(person)
            messages.success(request, _("%(name)s can no longer log in.") % {"name": person.full_name})
        return redirect("partners:person_list")


class PersonResendInvitationView(PersonObjectMixin, View):
    """E-mail a person who has not set a password yet a fresh link (POST only)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        person = self.get_person(pk)
        actions.do_resend_invitation(person)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": person.email})
        return redirect("partners:person_edit", pk=person.pk)
