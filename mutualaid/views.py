from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from hubsite.core.pagecache import CachedPageMixin, raw_values
from hubsite.core.paging import paginate
from hubsite.core.permissions import (
    AnyRoleMixin,
    DirectorRequiredMixin,
    HubAdminRequiredMixin,
    HubRequiredMixin,
    PartnerOrHubMixin,
    PartnerRequiredMixin,
)
from hubsite.core.views import ActionFormView
from partners.models import Centre, Organisation, SharedExperience

from . import actions, forms, reminders
from .choices import CRITERIA_ORDER, ApplicationStatus, Criterion, OfferStatus, VisitStatus
from .criteria import evaluate_all, evaluate_network
from .filtersets import (
    ActivityFilterSet,
    ApplicationFilterSet,
    HoursFilterSet,
    MentorFilterSet,
    VisitFilterSet,
)
from .group_page import centre_cards, member_rows
from .models import (
    Activity,
    ActivityRequest,
    BudgetUse,
    CoachingRequest,
    CoachingSession,
    EligibilityPolicy,
    ExpansionFundingApplication,
    HelpHours,
    Membership,
    Mentor,
    MentorRequest,
    PioneerPairing,
    ReviewResult,
    ReviewRound,
    StudyVisit,
    StudyVisitBudget,
)
from .overview import overview_rows
from .signals import VERSION_KEY, evaluation_version
from .tables import ActivityTable, HoursTable, MentorTable


def criteria_headers():
    return [
        {"number": i + 1, "code": code, "label": Criterion(code).label}
        for i, code in enumerate(CRITERIA_ORDER)
    ]


class FormPage:
    """Action forms are drawn by ``mutualaid/form.html``: the shared form page's title and button in a
    narrower column, with the member's study-visit budget above the form when the view gives one."""

    template_name = "mutualaid/form.html"


# ---------------------------------------------------------------------------------------------
# Eligibility


class OverviewView(HubRequiredMixin, CachedPageMixin, TemplateView):
    """Every active partner against every criterion, evaluated with the current policy.

    The page changes only with the evaluation's data version (``mutualaid/signals.py``: any criterion's
    data, membership, the policy) and, shown as of today by default, with the day: its bytes are kept
    per person, language and query (``hubsite/core/pagecache.py``) and a visit after the first is
    answered from the cache before the view runs. Access is hub staff, a fact of the person's own row,
    as the page cache requires.
    """

    template_name = "mutualaid/overview.html"
    paginate_by = 100
    page_params = ("as_of", "missing", "candidates", "page")
    page_version_keys = (VERSION_KEY,)

    def page_version(self, found=None):
        version = (found or {}).get(VERSION_KEY)
        return (evaluation_version() if version is None else version, timezone.localdate())

    def page_values(self):
        # A date the form refuses shows a message: that page is rendered for its request only.
        if not forms.OverviewFilterForm(self.request.GET).is_valid():
            return None
        values = raw_values(self.request, self.page_params)
        # Only a page number as the pager writes it is kept: "01", "x" or "99999" show a page too
        # (the paginator's nearest), but each would take a cache entry of its own.
        page = values["page"]
        if page and not (page.isdigit() and page == str(int(page)) and 0 < int(page) < 1000):
            return None
        return values

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = forms.OverviewFilterForm(self.request.GET)
        if not filters.is_valid():
            messages.error(
                self.request, " ".join(filters.errors.get("as_of", [])) or _("Enter a valid date.")
            )
        as_of = filters.cleaned_data.get("as_of") or timezone.localdate()
        policy = EligibilityPolicy.objects.current()
        members = set(Membership.objects.current(as_of).values_list("organisation_id", flat=True))
        missing_one = bool(filters.cleaned_data.get("missing"))
        # Each count worked out once (it walks the five results), then sorted and filtered on.
        counted = [(e.missing_count, e.organisation.name, e) for e in evaluate_network(as_of, policy)]
        qualified = sum(1 for count, _name, _e in counted if count == 0)
        candidates_only = bool(filters.cleaned_data.get("candidates"))
        if missing_one:
            counted = [row for row in counted if row[0] == 1]
        if candidates_only:
            counted = [row for row in counted if row[0] == 0 and row[2].organisation.pk not in members]
        counted.sort(key=lambda row: row[:2])
        # A thousand rows of five explained criteria is 1.6 MB of HTML: a hundred at a time.
        page, page_query = paginate(self.request, [e for _count, _name, e in counted], self.paginate_by)
        context.update(
            evaluations=page.object_list,
            rows=overview_rows(page.object_list, members),
            page=page,
            page_query=page_query,
            policy=policy,
            as_of=as_of,
            members=members,
            missing_one=missing_one,
            candidates_only=candidates_only,
            qualified=qualified,
            headers=criteria_headers(),
        )
        return context


class ChecklistView(PartnerOrHubMixin, TemplateView):
    """One organisation's checklist: partner people see only their own (another's answers 404)."""

    template_name = "mutualaid/checklist.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        organisation = get_object_or_404(
            Organisation.objects.internal_for(user).partners(), pk=self.kwargs["pk"]
        )
        policy = EligibilityPolicy.objects.current()
        (evaluation,) = evaluate_all(Organisation.objects.filter(pk=organisation.pk), policy=policy)
        context.update(
            organisation=organisation,
            evaluation=evaluation,
            policy=policy,
            membership=Membership.objects.filter(organisation=organisation).current().first(),
            results=ReviewResult.objects.for_user(user)
            .filter(organisation=organisation)
            .select_related("round", "round__policy")
            .order_by("-round__run_at")[:5],
        )
        return context


class MyChecklistView(PartnerOrHubMixin, TemplateView):
    """The menu's checklist link: a partner's own organisation, the hub's overview."""

    def get(self, request, *args, **kwargs):
        if request.user.is_hub:
            return redirect("mutualaid:overview")
        return redirect("mutualaid:checklist", pk=request.user.organisation_id)


class PolicyView(HubRequiredMixin, TemplateView):
    """The policy in force and every earlier version (hub staff; only hub admins get the change button)."""

    template_name = "mutualaid/policy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        policy = EligibilityPolicy.objects.current()
        context.update(
            policy=policy,
            history=EligibilityPolicy.objects.select_related("created_by").order_by("-version"),
            headers=criteria_headers(),
        )
        return context


class PolicyEditView(HubAdminRequiredMixin, FormPage, ActionFormView):
    """A new policy changes every partner's eligibility, so only hub admins publish one."""

    form_class = forms.PolicyForm
    page_title = gettext_lazy("Change the eligibility policy")

    def get_initial(self):
        policy = EligibilityPolicy.objects.current()
        return {
            "version": policy.version,
            "required": list(policy.required),
            "min_optional_met": policy.min_optional_met,
            "project_months": policy.project_months,
            "min_rating": policy.min_rating,
            "expansion_rule": policy.expansion_rule,
        }

    def perform(self, form):
        data = form.cleaned_data
        policy = actions.do_change_policy(
            by=self.request.user,
            expected_version=data["version"],
            required=data["required"],
            min_optional_met=data["min_optional_met"],
            project_months=data["project_months"],
            min_rating=data["min_rating"],
            expansion_rule=data["expansion_rule"],
            note=data["note"],
        )
        messages.success(self.request, _("Policy version %(version)s saved.") % {"version": policy.version})
        return policy

    def get_success_url(self):
        return reverse("mutualaid:policy")


# ---------------------------------------------------------------------------------------------
# Reviews and membership


class RoundListView(HubRequiredMixin, TemplateView):
    """Every review round with how many qualified and how many members were flagged."""

    template_name = "mutualaid/round_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rounds"] = ReviewRound.objects.select_related("policy", "run_by").annotate(
            total=Count("results"),
            qualified=Count("results", filter=Q(results__qualifies=True)),
            flagged=Count("results", filter=Q(results__flagged=True)),
        )
        return context


class RunReviewView(HubRequiredMixin, FormPage, ActionFormView):
    """Hub staff run a round: the network evaluated and frozen as of a date."""

    form_class = forms.RunReviewForm
    page_title = gettext_lazy("Run a review round")
    submit_label = gettext_lazy("Run the review")

    def get_initial(self):
        today = timezone.localdate()
        return {
            "as_of": today,
            "cohort": str(today.year),
            "name": _("%(year)s review") % {"year": today.year},
        }

    def perform(self, form):
        review = actions.do_run_review(by=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _("Review round saved with policy version %(version)s.") % {"version": review.policy.version},
        )
        return review

    def get_success_url(self):
        return self.result.get_absolute_url()


class RoundDetailView(HubRequiredMixin, TemplateView):
    """One round's results, fewest criteria missing first, with the decision form."""

    template_name = "mutualaid/round_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = get_object_or_404(
            ReviewRound.objects.select_related("policy", "run_by"), pk=self.kwargs["pk"]
        )
        results = list(
            review.results.select_related("organisation", "decided_by").order_by(
                "missing_count", "organisation__name"
            )
        )
        context.update(
            round=review,
            results=results,
            headers=criteria_headers(),
            decision_form=forms.DecisionForm(initial={"joined_on": timezone.localdate()}),
        )
        return context


class DecideView(HubRequiredMixin, FormPage, ActionFormView):
    """Admit or decline one organisation of an admission round."""

    form_class = forms.DecisionForm
    page_title = gettext_lazy("Admit or decline")

    def get_result(self):
        return get_object_or_404(
            ReviewResult.objects.for_user(self.request.user).select_related("organisation", "round"),
            pk=self.kwargs["pk"],
        )

    def get_initial(self):
        return {"joined_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = self.get_result()
        context.update(object=result, subtitle=f"{result.round} · {result.organisation}")
        return context

    def perform(self, form):
        result = self.get_result()
        data = form.cleaned_data
        return actions.do_decide(
            result_id=result.pk,
            by=self.request.user,
            decision=data["decision"],
            note=data["note"],
            joined_on=data["joined_on"],
        )

    def get_success_url(self):
        return self.result.round.get_absolute_url()


class GroupView(AnyRoleMixin, TemplateView):
    """The group's page, shared inside the network: members, their centres, what they share, rights used."""

    template_name = "mutualaid/group.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        year = today.year
        memberships = self.memberships(today)
        rights = rights_used([m.organisation_id for m in memberships], year)
        by_prefecture = defaultdict(list)
        for membership in memberships:
            org = membership.organisation
            membership.rights = {right: used.get(org.pk, 0) for right, used in rights.items()}
            for centre in org.centres.all():
                by_prefecture[centre.prefecture].append(centre)
        centres_by_prefecture = sorted(by_prefecture.items(), key=lambda item: item[0].code)
        context.update(
            memberships=memberships,
            year=year,
            summary=HelpHours.objects.in_year(year).summary(),
            centres_by_prefecture=centres_by_prefecture,
            member_rows=member_rows(memberships, is_hub=self.request.user.is_hub),
            centre_cards=centre_cards(centres_by_prefecture),
        )
        return context

    @staticmethod
    def memberships(today):
        """Today's members with their operating centres and endorsed experiences, in three queries.

        Only the fields the page shows: whole organisation, centre and experience rows carry addresses,
        texts and JSON fields the page never reads (a few milliseconds at a hundred members)."""
        return list(
            Membership.objects.current(today)
            .select_related("organisation", "organisation__prefecture")
            .only(
                "cohort",
                "joined_on",
                "organisation__name",
                "organisation__short_name",
                "organisation__prefecture__code",
                "organisation__prefecture__name",
            )
            .prefetch_related(
                Prefetch(
                    "organisation__centres",
                    queryset=Centre.objects.operating()
                    .select_related("prefecture")
                    .only(
                        "name",
                        "organisation_id",
                        "prefecture__code",
                        "prefecture__name",
                    )
                    .order_by("prefecture__code", "name"),
                ),
                Prefetch(
                    "organisation__experiences",
                    queryset=SharedExperience.objects.filter(endorsed_at__isnull=False)
                    .only("organisation_id", "area", "title")
                    .order_by("-endorsed_at"),
                    to_attr="endorsed_experiences",
                ),
            )
            .order_by("organisation__prefecture__code", "organisation__name")
        )


def rights_used(org_ids, year) -> dict[str, dict[int, int]]:
    """Per right, how often each organisation used it in the year (one query per right)."""
    funding = dict(
        ExpansionFundingApplication.objects.filter(
            organisation_id__in=org_ids, status=ApplicationStatus.APPROVED, decided_at__year=year
        )
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    visits = dict(
        StudyVisit.objects.filter(
            organisation_id__in=org_ids, status__in=[VisitStatus.APPROVED, VisitStatus.CLAIMED]
        )
        .in_year(year)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    sessions = dict(
        CoachingSession.objects.filter(organisation_id__in=org_ids, held_on__year=year)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    return {"funding": funding, "visits": visits, "sessions": sessions}


class EndMembershipView(HubRequiredMixin, FormPage, ActionFormView):
    """A member leaves the group (from a date, with the reason)."""

    form_class = forms.EndMembershipForm
    page_title = gettext_lazy("End a membership")

    def get_membership(self):
        return get_object_or_404(Membership.objects.select_related("organisation"), pk=self.kwargs["pk"])

    def get_initial(self):
        return {"left_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subtitle"] = str(self.get_membership())
        return context

    def perform(self, form):
        return actions.do_end_membership(
            membership_id=self.get_membership().pk, by=self.request.user, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("mutualaid:group")


# ---------------------------------------------------------------------------------------------
# Expansion funding


class ApplicationListView(PartnerOrHubMixin, TemplateView):
    """Expansion-funding applications: the open queue (members first) and the closed ones."""

    template_name = "mutualaid/application_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = ExpansionFundingApplication.objects.for_user(self.request.user).select_related(
            "organisation", "prefecture"
        )
        filterset = ApplicationFilterSet(self.request.GET or None, queryset=visible)
        if filterset.is_valid():
            visible = filterset.qs
        context.update(
            filter=filterset,
            queue=list(visible.review_queue()),
            closed=list(
                visible.exclude(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW])
            ),
        )
        return context


class ApplicationCreateView(PartnerRequiredMixin, FormPage, ActionFormView):
    """A partner applies for expansion funding for its own organisation."""

    form_class = forms.ApplicationForm
    page_title = gettext_lazy("Apply for expansion funding")
    submit_label = gettext_lazy("Submit the application")

    def get_initial(self):
        return {"prefecture": self.request.user.organisation.prefecture_id}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subtitle"] = str(self.request.user.organisation)
        return context

    def perform(self, form):
        application = actions.do_submit_application(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Application submitted."))
        return application

    def get_success_url(self):
        return self.result.get_absolute_url()


class ApplicationDetailView(PartnerOrHubMixin, TemplateView):
    """One application (another organisation's answers 404)."""

    template_name = "mutualaid/application_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = get_object_or_404(
            ExpansionFundingApplication.objects.for_user(self.request.user)
            .with_membership()
            .select_related("organisation", "prefecture", "applicant", "decided_by", "centre"),
            pk=self.kwargs["pk"],
        )
        context["application"] = application
        return context


class ApplicationReviewView(HubRequiredMixin, FormPage, ActionFormView):
    """Hub staff take an application under review, approve or decline it."""

    form_class = forms.ApplicationReviewForm
    template_name = "mutualaid/application_review.html"
    page_title = gettext_lazy("Review the application")

    def get_application(self):
        return get_object_or_404(
            ExpansionFundingApplication.objects.for_user(self.request.user)
            .with_membership()
            .select_related("organisation", "prefecture"),
            pk=self.kwargs["pk"],
        )

    def get_initial(self):
        application = self.get_application()
        return {"amount": application.budget, "create_centre": True}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["application"] = self.get_application()
        return context

    def perform(self, form):
        application = self.get_application()
        data = form.cleaned_data
        if data["action"] == "start":
            return actions.do_start_review(application_id=application.pk, by=self.request.user)
        if data["action"] == "approve":
            application = actions.do_approve_application(
                application_id=application.pk,
                by=self.request.user,
                amount=data["amount"],
                note=data["note"],
                create_centre=data["create_centre"],
            )
            messages.success(self.request, _("Application approved."))
            return application
        return actions.do_decline_application(
            application_id=application.pk, by=self.request.user, note=data["note"]
        )

    def get_success_url(self):
        return self.result.get_absolute_url()


class ApplicationWithdrawView(PartnerRequiredMixin, FormPage, ActionFormView):
    """The applicant's organisation withdraws an open application."""

    form_class = forms.forms.Form
    page_title = gettext_lazy("Withdraw the application")
    submit_label = gettext_lazy("Withdraw")

    def get_application(self):
        return get_object_or_404(
            ExpansionFundingApplication.objects.for_user(self.request.user), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subtitle"] = str(self.get_application())
        return context

    def perform(self, form):
        return actions.do_withdraw_application(application_id=self.get_application().pk, by=self.request.user)

    def get_success_url(self):
        return self.result.get_absolute_url()


# ---------------------------------------------------------------------------------------------
# Study visits


class VisitListView(PartnerOrHubMixin, TemplateView):
    """Study visits; partners see their budget for the year, hub staff every member's."""

    template_name = "mutualaid/visit_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        year = timezone.localdate().year
        visits = (
            StudyVisit.objects.for_user(user)
            .select_related("organisation", "host_centre", "host_centre__organisation")
            .order_by("-visit_on", "-pk")
        )
        filterset = VisitFilterSet(self.request.GET or None, queryset=visits)
        if filterset.is_valid():
            visits = filterset.qs
        context["filter"] = filterset
        budget = None
        if user.is_partner:
            budget = actions.budget_status(user.organisation_id, year)
            context["is_member"] = actions.is_member(user.organisation_id)
        else:
            use = StudyVisit.objects.budget_use(year)
            amount = StudyVisitBudget.objects.amount_for(year)
            members = (
                Membership.objects.current().select_related("organisation").order_by("organisation__name")
            )
            context["budget_rows"] = [
                {
                    "organisation": membership.organisation,
                    "use": use.get(membership.organisation_id) or BudgetUse(year=year, budget=amount),
                }
                for membership in members
            ]
            context["amount"] = amount
        context.update(visits=visits, budget=budget, year=year)
        return context


class VisitCreateView(PartnerRequiredMixin, FormPage, ActionFormView):
    """A member requests a study visit to another organisation's centre."""

    form_class = forms.VisitForm
    template_name = "mutualaid/visit_form.html"
    page_title = gettext_lazy("Request a study visit")
    submit_label = gettext_lazy("Send the request")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_member"] = actions.is_member(self.request.user.organisation_id)
        context["budget"] = actions.budget_status(
            self.request.user.organisation_id, timezone.localdate().year
        )
        return context

    def perform(self, form):
        visit = actions.do_request_visit(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Study visit requested."))
        return visit

    def get_success_url(self):
        return self.result.get_absolute_url()


class VisitDetailView(PartnerOrHubMixin, TemplateView):
    """One study visit with the year's budget of the visiting member."""

    template_name = "mutualaid/visit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visit = get_object_or_404(
            StudyVisit.objects.for_user(self.request.user).select_related(
                "organisation", "host_centre", "host_centre__organisation", "requested_by", "decided_by"
            ),
            pk=self.kwargs["pk"],
        )
        context.update(visit=visit, budget=actions.budget_status(visit.organisation_id, visit.visit_on.year))
        return context


class VisitDecideView(HubRequiredMixin, FormPage, ActionFormView):
    """Hub staff approve a study visit within the member's budget, or decline it."""

    form_class = forms.VisitDecisionForm
    page_title = gettext_lazy("Decide on the study visit")

    def get_visit(self):
        return get_object_or_404(StudyVisit.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visit = self.get_visit()
        context["subtitle"] = str(visit)
        context["budget"] = actions.budget_status(visit.organisation_id, visit.visit_on.year)
        return context

    def perform(self, form):
        return actions.do_decide_visit(
            visit_id=self.get_visit().pk, by=self.request.user, **form.cleaned_data
        )

    def get_success_url(self):
        return self.result.get_absolute_url()


class VisitClaimView(PartnerRequiredMixin, FormPage, ActionFormView):
    """After the visit the member claims the travel subsidy."""

    form_class = forms.ClaimForm
    page_title = gettext_lazy("Claim the travel subsidy")
    submit_label = gettext_lazy("Submit the claim")

    def get_visit(self):
        return get_object_or_404(StudyVisit.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visit = self.get_visit()
        # The over-budget message quotes the reservation: the page shows it too.
        context["subtitle"] = _("%(visit)s · %(amount)s yuan reserved for this visit") % {
            "visit": visit,
            "amount": reminders.yuan(visit.estimated_cost),
        }
        context["budget"] = actions.budget_status(visit.organisation_id, visit.visit_on.year)
        return context

    def perform(self, form):
        return actions.do_claim_visit(visit_id=self.get_visit().pk, by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.result.get_absolute_url()


# ---------------------------------------------------------------------------------------------
# Coaching and support


class SessionListView(PartnerOrHubMixin, TemplateView):
    """Support sessions held and the coaching waiting list."""

    template_name = "mutualaid/session_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            sessions=CoachingSession.objects.for_user(user).select_related("organisation", "director"),
            waiting=CoachingRequest.objects.for_user(user)
            .waiting_list()
            .select_related("organisation", "director"),
        )
        return context


class SessionCreateView(HubRequiredMixin, FormPage, ActionFormView):
    """Hub staff log a support session (``?request=`` fills it from a waiting-list entry)."""

    form_class = forms.SessionForm
    page_title = gettext_lazy("Log a support session")

    def get_initial(self):
        initial = {"held_on": timezone.localdate()}
        query = forms.SessionRequestForm(self.request.GET)
        request_id = query.cleaned_data.get("request") if query.is_valid() else None
        if request_id:
            entry = CoachingRequest.objects.filter(pk=request_id).first()
            if entry:
                initial.update(
                    request=entry.pk,
                    organisation=entry.organisation_id,
                    director=entry.director_id,
                    topic=entry.topic,
                )
        return initial

    def perform(self, form):
        data = dict(form.cleaned_data)
        request_id = data.pop("request")
        session = actions.do_log_session(by=self.request.user, request_id=request_id, **data)
        messages.success(self.request, _("Session logged."))
        return session

    def get_success_url(self):
        return self.result.get_absolute_url()


class SessionDetailView(PartnerOrHubMixin, TemplateView):
    """One support session (another organisation's answers 404)."""

    template_name = "mutualaid/session_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session"] = get_object_or_404(
            CoachingSession.objects.for_user(self.request.user).select_related(
                "organisation", "director", "recorded_by"
            ),
            pk=self.kwargs["pk"],
        )
        return context


class WaitingListJoinView(DirectorRequiredMixin, FormPage, ActionFormView):
    """A director asks for coaching and joins the waiting list."""

    form_class = forms.WaitingListForm
    page_title = gettext_lazy("Join the coaching waiting list")
    submit_label = gettext_lazy("Join")
    template_name = "mutualaid/waiting_list_join.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Told before typing anything: the form would only refuse them after they submit.
        context["waiting_entry"] = actions.waiting_entry(self.request.user)
        return context

    def perform(self, form):
        entry = actions.do_join_waiting_list(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("You are on the coaching waiting list."))
        return entry

    def get_success_url(self):
        return reverse("mutualaid:session_list")


class VisitCheckView(HubRequiredMixin, FormPage, ActionFormView):
    """Hub staff check a claim against its receipts: verify (maybe at a lower amount), reject, or paid."""

    form_class = forms.ClaimCheckForm
    page_title = gettext_lazy("Check the claim")

    def get_visit(self):
        return get_object_or_404(
            StudyVisit.objects.for_user(self.request.user).select_related("organisation", "host_centre"),
            pk=self.kwargs["pk"],
        )

    def get_initial(self):
        visit = self.get_visit()
        return {"amount": visit.actual_cost}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visit = self.get_visit()
        context["subtitle"] = _("%(visit)s · claimed %(amount)s yuan") % {
            "visit": visit,
            "amount": reminders.yuan(visit.actual_cost),
        }
        context["budget"] = actions.budget_status(visit.organisation_id, visit.visit_on.year)
        return context

    def perform(self, form):
        return actions.do_check_claim(visit_id=self.get_visit().pk, by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.result.get_absolute_url()


# ---------------------------------------------------------------------------------------------
# Partners helping partners


def _hours_given(queryset, field: str):
    """Annotate the hours a mentor or an activity has given so far (a subquery: one query per page)."""
    hours = (
        HelpHours.objects.filter(**{field: OuterRef("pk")})
        .values(field)
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return queryset.annotate(hours=Coalesce(Subquery(hours), Decimal(0)))


class MentorListView(PartnerOrHubMixin, SingleTableMixin, FilterView):
    """The mentor pool: approved offers for everyone; hub staff also see the offers waiting."""

    table_class = MentorTable
    filterset_class = MentorFilterSet
    template_name = "mutualaid/mentor_list.html"

    def get_queryset(self):
        mentors = Mentor.objects.for_user(self.request.user).in_pool()
        mentors = _hours_given(mentors, "mentor_request__mentor")
        return mentors.select_related("person", "organisation").order_by("person__full_name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.is_hub:
            context["waiting"] = list(
                Mentor.objects.filter(status=OfferStatus.PENDING).select_related("person", "organisation")
            )
        else:
            context["my_offer"] = Mentor.objects.filter(person=user).first()
        return context


class MentorOfferView(PartnerRequiredMixin, FormPage, ActionFormView):
    """A partner person offers to mentor; the hub approves before the offer joins the pool."""

    form_class = forms.MentorOfferForm
    page_title = gettext_lazy("Offer to mentor")
    submit_label = gettext_lazy("Send the offer")
    success_message = gettext_lazy("Thank you: the hub will review your offer.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["budget"] = None
        context["subtitle"] = str(self.request.user.organisation)
        return context

    def perform(self, form):
        return actions.do_offer_mentoring(by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.result.get_absolute_url()


class MentorDetailView(PartnerOrHubMixin, TemplateView):
    """One mentor: what they share; partners of other organisations ask for them here."""

    template_name = "mutualaid/mentor_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        mentor = get_object_or_404(
            _hours_given(Mentor.objects.for_user(user), "mentor_request__mentor").select_related(
                "person", "organisation", "reviewed_by"
            ),
            pk=self.kwargs["pk"],
        )
        context.update(
            mentor=mentor,
            can_request=user.is_partner
            and mentor.status == OfferStatus.APPROVED
            and mentor.organisation_id != user.organisation_id,
            requests=MentorRequest.objects.for_user(user)
            .filter(mentor=mentor)
            .select_related("organisation", "requested_by"),
        )
        return context


class MentorReviewView(HubRequiredMixin, FormPage, ActionFormView):
    """Hub staff approve an offer to mentor, or say why not."""

    form_class = forms.MentorReviewForm
    page_title = gettext_lazy("Review the offer to mentor")

    def get_mentor(self):
        return get_object_or_404(
            Mentor.objects.select_related("person", "organisation"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(budget=None, subtitle=str(self.get_mentor()))
        return context

    def perform(self, form):
        return actions.do_review_mentor(
            mentor_id=self.get_mentor().pk, by=self.request.user, **form.cleaned_data
        )

    def get_success_url(self):
        return self.result.get_absolute_url()


class MentorRequestCreateView(PartnerRequiredMixin, FormPage, ActionFormView):
    """An organisation asks a mentor of the pool for help."""

    form_class = forms.MentorRequestForm
    page_title = gettext_lazy("Ask for this mentor")
    submit_label = gettext_lazy("Send the request")
    success_message = gettext_lazy("Request sent: the mentor has been told.")

    def get_mentor(self):
        return get_object_or_404(
            Mentor.objects.for_user(self.request.user).in_pool().select_related("person", "organisation"),
            pk=self.kwargs["pk"],
        )

    def get_initial(self):
        return {"format": self.get_mentor().format}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(budget=None, subtitle=str(self.get_mentor()))
        return context

    def perform(self, form):
        return actions.do_request_mentor(
            by=self.request.user, mentor_id=self.get_mentor().pk, **form.cleaned_data
        )

    def get_success_url(self):
        return self.result.get_absolute_url()


class HelpRequestDetailView(PartnerOrHubMixin, TemplateView):
    """One request (a mentor's or an activity's): the answer and the hours logged against it."""

    template_name = "mutualaid/help_request_detail.html"
    model = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        request = get_object_or_404(
            self.model.objects.for_user(user).select_related(*self.related), pk=self.kwargs["pk"]
        )
        context.update(
            help_request=request,
            is_mentoring=self.model is MentorRequest,
            can_answer=self.can_answer(request, user),
            hours=list(request.hours.select_related("giver_person").order_by("given_on", "pk")),
        )
        return context


class MentorRequestDetailView(HelpRequestDetailView):
    model = MentorRequest
    related = ("organisation", "requested_by", "mentor__person", "mentor__organisation", "answered_by")

    @staticmethod
    def can_answer(request, user):
        return request.mentor.person_id == user.pk


class ActivityRequestDetailView(HelpRequestDetailView):
    model = ActivityRequest
    related = ("organisation", "requested_by", "activity__organisation", "answered_by")

    @staticmethod
    def can_answer(request, user):
        return user.is_partner and request.activity.organisation_id == user.organisation_id


class HelpActionView(PartnerRequiredMixin, FormPage, ActionFormView):
    """An answer or hours for a request: only the side asked may act (the other side gets 403)."""

    model = None
    detail = None

    def get_help_request(self):
        request = get_object_or_404(self.model.objects.for_user(self.request.user), pk=self.kwargs["pk"])
        if not self.detail.can_answer(request, self.request.user):
            raise PermissionDenied
        return request

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_partner:
            self.help_request = self.get_help_request()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(budget=None, subtitle=str(self.help_request))
        return context

    def get_success_url(self):
        return self.result_url()

    def result_url(self):
        return self.help_request.get_absolute_url()


class MentorRequestAnswerView(HelpActionView):
    form_class = forms.AnswerForm
    page_title = gettext_lazy("Answer the request")
    model = MentorRequest
    detail = MentorRequestDetailView

    def perform(self, form):
        return actions.do_answer_mentor_request(
            request_id=self.help_request.pk, by=self.request.user, **form.cleaned_data
        )


class MentorHoursView(HelpActionView):
    form_class = forms.HoursForm
    page_title = gettext_lazy("Log a mentoring session")
    model = MentorRequest
    detail = MentorRequestDetailView
    success_message = gettext_lazy("Hours added to the help-hours ledger.")

    def get_initial(self):
        return {"given_on": timezone.localdate()}

    def perform(self, form):
        return actions.do_log_mentoring(
            request_id=self.help_request.pk, by=self.request.user, **form.cleaned_data
        )


class ActivityRequestAnswerView(HelpActionView):
    form_class = forms.AnswerForm
    page_title = gettext_lazy("Answer the request")
    model = ActivityRequest
    detail = ActivityRequestDetailView

    def perform(self, form):
        return actions.do_answer_activity_request(
            request_id=self.help_request.pk, by=self.request.user, **form.cleaned_data
        )


class ActivityDeliveryView(HelpActionView):
    form_class = forms.DeliveryForm
    page_title = gettext_lazy("Record a delivery")
    model = ActivityRequest
    detail = ActivityRequestDetailView
    success_message = gettext_lazy("Hours added to the help-hours ledger.")

    def get_initial(self):
        return {"given_on": timezone.localdate()}

    def perform(self, form):
        return actions.do_record_delivery(
            request_id=self.help_request.pk, by=self.request.user, **form.cleaned_data
        )


class ActivityListView(PartnerOrHubMixin, SingleTableMixin, FilterView):
    """The activity supply library, shared by every partner."""

    table_class = ActivityTable
    filterset_class = ActivityFilterSet
    template_name = "mutualaid/activity_list.html"

    def get_queryset(self):
        deliveries = (
            HelpHours.objects.filter(activity_request__activity=OuterRef("pk"))
            .values("activity_request__activity")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            Activity.objects.for_user(self.request.user)
            .filter(active=True)
            .annotate(deliveries=Coalesce(Subquery(deliveries), 0))
            .select_related("organisation")
            .order_by("title", "pk")
        )


class ActivityCreateView(PartnerRequiredMixin, FormPage, ActionFormView):
    """An organisation lists an activity it can deliver for others."""

    form_class = forms.ActivityForm
    page_title = gettext_lazy("Offer an activity")
    submit_label = gettext_lazy("List the activity")
    success_message = gettext_lazy("The activity is in the library.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(budget=None, subtitle=str(self.request.user.organisation))
        return context

    def perform(self, form):
        return actions.do_list_activity(by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.result.get_absolute_url()


class ActivityDetailView(PartnerOrHubMixin, TemplateView):
    """One activity of the library, with the requests the reader may see."""

    template_name = "mutualaid/activity_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        activity = get_object_or_404(
            Activity.objects.for_user(user).select_related("organisation", "created_by"), pk=self.kwargs["pk"]
        )
        context.update(
            activity=activity,
            can_request=user.is_partner
            and activity.active
            and activity.organisation_id != user.organisation_id,
            requests=ActivityRequest.objects.for_user(user)
            .filter(activity=activity)
            .select_related("organisation", "requested_by"),
        )
        return context


class ActivityRequestCreateView(PartnerRequiredMixin, FormPage, ActionFormView):
    """An organisation asks the provider to deliver an activity."""

    form_class = forms.ActivityRequestForm
    page_title = gettext_lazy("Ask for this activity")
    submit_label = gettext_lazy("Send the request")
    success_message = gettext_lazy("Request sent: the provider has been told.")

    def get_activity(self):
        return get_object_or_404(
            Activity.objects.for_user(self.request.user).filter(active=True).select_related("organisation"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity = self.get_activity()
        context.update(budget=None, subtitle=f"{activity} · {activity.organisation.display_name}")
        return context

    def perform(self, form):
        return actions.do_request_activity(
            by=self.request.user, activity_id=self.get_activity().pk, **form.cleaned_data
        )

    def get_success_url(self):
        return self.result.get_absolute_url()


class HelpRequestListView(PartnerOrHubMixin, TemplateView):
    """Requests for mentors and activities: a partner's own (asked and asked of it), the hub's all."""

    template_name = "mutualaid/help_request_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            mentor_requests=MentorRequest.objects.for_user(user)
            .select_related("organisation", "mentor__person", "mentor__organisation")
            .order_by("-created_at", "-pk")[:200],
            activity_requests=ActivityRequest.objects.for_user(user)
            .select_related("organisation", "activity__organisation")
            .order_by("-created_at", "-pk")[:200],
        )
        return context


class HoursView(PartnerOrHubMixin, SingleTableMixin, FilterView):
    """The help-hours ledger of a year: the group's figure, balances per organisation and per person,
    and every entry the reader may see (a partner: hours its organisation gave or received)."""

    table_class = HoursTable
    filterset_class = HoursFilterSet
    template_name = "mutualaid/hours.html"

    def get_year(self):
        form = forms.YearForm(self.request.GET)
        year = form.cleaned_data.get("year") if form.is_valid() else None
        return year or timezone.localdate().year

    def get_queryset(self):
        return (
            HelpHours.objects.for_user(self.request.user)
            .in_year(self.get_year())
            .select_related(
                "giver", "receiver", "giver_person", "mentor_request", "activity_request", "pairing"
            )
            .order_by("-given_on", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = HelpHours.objects.for_user(self.request.user).in_year(self.get_year())
        context.update(
            year=self.get_year(),
            summary=entries.summary(),
            balances=entries.balances(),
            people=entries.by_person(),
        )
        return context


class PairingListView(PartnerOrHubMixin, TemplateView):
    """Pioneer pairings: a partner sees those it leads or receives, the hub all, with hours so far."""

    template_name = "mutualaid/pairing_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pairings"] = (
            PioneerPairing.objects.for_user(self.request.user)
            .select_related("pioneer", "partner")
            .annotate(hours_given=Coalesce(Sum("hours__hours"), Decimal(0)), visits=Count("hours"))
            .order_by("-starts_on", "-pk")
        )
        return context


class PairingCreateView(HubRequiredMixin, FormPage, ActionFormView):
    form_class = forms.PairingForm
    page_title = gettext_lazy("Pair a pioneer")
    success_message = gettext_lazy("Pairing saved; both organisations have been told.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["budget"] = None
        return context

    def perform(self, form):
        return actions.do_pair_pioneer(by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.result.get_absolute_url()


class PairingDetailView(PartnerOrHubMixin, TemplateView):
    template_name = "mutualaid/pairing_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        pairing = get_object_or_404(
            PioneerPairing.objects.for_user(user).select_related("pioneer", "partner", "created_by"),
            pk=self.kwargs["pk"],
        )
        context.update(
            pairing=pairing,
            can_log=user.is_partner and user.organisation_id == pairing.pioneer_id and not pairing.outcome,
            hours=list(pairing.hours.select_related("giver_person").order_by("given_on", "pk")),
        )
        return context


class PairingActionMixin:
    def get_pairing(self):
        return get_object_or_404(
            PioneerPairing.objects.for_user(self.request.user).select_related("pioneer", "partner"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(budget=None, subtitle=str(self.get_pairing()))
        return context

    def get_success_url(self):
        return reverse("mutualaid:pairing_detail", args=[self.kwargs["pk"]])


class PairingVisitView(PartnerRequiredMixin, PairingActionMixin, FormPage, ActionFormView):
    """A person of the pioneer logs a visit; the organisation accompanied cannot (403)."""

    form_class = forms.HoursForm
    page_title = gettext_lazy("Log a pioneer visit")
    success_message = gettext_lazy("Hours added to the help-hours ledger.")

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            user.is_authenticated
            and user.is_partner
            and self.get_pairing().pioneer_id != user.organisation_id
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"given_on": timezone.localdate()}

    def perform(self, form):
        return actions.do_log_pioneer_visit(
            pairing_id=self.get_pairing().pk, by=self.request.user, **form.cleaned_data
        )


class PairingOutcomeView(HubRequiredMixin, PairingActionMixin, FormPage, ActionFormView):
    form_class = forms.PairingOutcomeForm
    page_title = gettext_lazy("Record the outcome")

    def perform(self, form):
        return actions.do_record_pairing_outcome(
            pairing_id=self.get_pairing().pk, by=self.request.user, **form.cleaned_data
        )
