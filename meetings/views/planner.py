"""The cadence planner: propose a year, adjust the draft (move, swap, skip), confirm it."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from hubsite.core.forms import STALE_MESSAGE
from hubsite.core.models import StaleObjectError
from hubsite.core.permissions import HubRequiredMixin
from hubsite.core.views import add_validation_errors
from partners.models import Organisation

from .. import actions, planner
from ..choices import MeetingKind
from ..forms import ConfirmPlanForm, PlanForm, PlanMoveForm, PlanSkipForm, PlanSwapForm
from ..models import PlanDraft
from .base import MeetingFormPageView, PostedActionView


class PlannerView(HubRequiredMixin, MeetingFormPageView):
    """Propose next year's calendar; the recent drafts are listed beside the form."""

    form_class = PlanForm
    template_name = "meetings/planner.html"

    def get_initial(self):
        return {"year": timezone.localdate().year + 1}

    def get_context_data(self, **kwargs):
        first, last = planner.known_years()
        drafts = PlanDraft.objects.select_related("created_by", "confirmed_by")[:20]
        return super().get_context_data(drafts=drafts, known_from=first, known_to=last, **kwargs)

    def perform(self, form):
        return actions.do_create_plan(by=self.request.user, **form.cleaned_data)

    def form_valid(self, form):
        response = super().form_valid(form)
        if isinstance(response, HttpResponseRedirect) and not self.result.calendar_known:
            messages.warning(
                self.request,
                _(
                    "The holiday calendar package does not know %(year)s yet: only weekends and the days "
                    "entered by hub staff are skipped. Enter the State Council's holidays and adjusted "
                    "working days, then plan again."
                )
                % {"year": self.result.year},
            )
        return response

    def get_success_url(self):
        return self.result.get_absolute_url()


class PlanDetailView(HubRequiredMixin, DetailView):
    """A draft's proposed meetings, with the forms that adjust and confirm it."""

    model = PlanDraft
    template_name = "meetings/plan_detail.html"
    context_object_name = "draft"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **plan_context(self.object)}


def _organisations(draft: PlanDraft) -> dict:
    org_ids = {i["host"] for i in draft.items if i["host"]} | {
        i["organisation"] for i in draft.items if i["organisation"]
    }
    return Organisation.objects.in_bulk(org_ids)


def swap_months(draft: PlanDraft, orgs: dict) -> list[tuple[str, str]]:
    """The monthly topic meetings whose hosts can still be swapped, labelled with month and host."""
    return [
        (i["key"], f"{i['month']:02d} · {orgs.get(i['host'], '—')}")
        for i in sorted(draft.items, key=lambda i: i["sequence"])
        if i["kind"] == MeetingKind.MONTHLY_TOPIC and not i["existing"]
    ]


def plan_context(draft: PlanDraft, **forms) -> dict:
    """The draft's rows (with their organisations), counts and the swap and skip forms (``forms``
    replaces either with a posted one that carries its errors)."""
    orgs = _organisations(draft)
    kinds = dict(MeetingKind.choices)
    rows = [
        {
            **item,
            "kind_label": kinds[item["kind"]],
            "is_monthly_topic": item["kind"] == MeetingKind.MONTHLY_TOPIC,
            "host_obj": orgs.get(item["host"]),
            "org_obj": orgs.get(item["organisation"]),
            "day": datetime.date.fromisoformat(item["date"]),
        }
        for item in draft.items
    ]
    months = swap_months(draft, orgs)
    version = {"version": draft.version}
    return {
        "draft": draft,
        "rows": rows,
        "counts": {label: sum(1 for r in rows if r["kind"] == kind) for kind, label in MeetingKind.choices},
        "new_count": sum(1 for r in rows if not r["existing"]),
        "swap_form": forms.get("swap_form") or PlanSwapForm(initial=version, months=months),
        "skip_form": forms.get("skip_form") or PlanSkipForm(initial=version),
        "move_version": draft.version,
    }


class PlanDraftMixin:
    """The draft named by ``pk``, loaded after the role check (the role mixin comes first)."""

    def dispatch(self, request, *args, **kwargs):
        self.draft = get_object_or_404(PlanDraft, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class PlanDraftActionView(HubRequiredMixin, PlanDraftMixin, PostedActionView):
    """A change posted from a draft's page, which it goes back to."""

    def get_redirect_url(self):
        return self.draft.get_absolute_url()


class PlanAdjustView(PlanDraftActionView):
    """Move one proposed meeting (``op=move``), swap two hosts (``swap``) or skip an organisation
    for a month and re-rotate (``skip``)."""

    success_message = _("Plan updated.")
    # op: (form, the message when it does not validate)
    OPERATIONS = {
        "move": (PlanMoveForm, _("Enter a valid date for the meeting.")),
        "swap": (PlanSwapForm, _("Choose two months.")),
        "skip": (PlanSkipForm, _("Choose an organisation and a month, and say why.")),
    }

    def post(self, request, *args, **kwargs):
        self.op = request.POST.get("op")
        if self.op not in self.OPERATIONS:
            messages.error(request, _("Unknown change."))
            return redirect(self.get_redirect_url())
        self.form_class, self.invalid_message = self.OPERATIONS[self.op]
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.op == "swap":
            kwargs["months"] = swap_months(self.draft, _organisations(self.draft))
        return kwargs

    # A refused swap or skip shows the plan again with the reason beside the field it concerns (a
    # move is one row's inline form: its refusal stays a message above the plan).

    def form_invalid(self, form):
        if self.op == "move":
            return super().form_invalid(form)
        return self.plan_with(form)

    def form_valid(self, form):
        if self.op == "move":
            return super().form_valid(form)
        try:
            self.perform(form)
        except StaleObjectError:
            form.add_error(None, STALE_MESSAGE)
            return self.plan_with(form, status=409)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.plan_with(form)
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_redirect_url())

    def plan_with(self, form, status: int = 400):
        self.draft.refresh_from_db()
        context = plan_context(self.draft, **{f"{self.op}_form": form})
        return TemplateResponse(self.request, "meetings/plan_detail.html", context, status=status)

    def perform(self, form):
        data, draft, version = form.cleaned_data, self.draft, form.cleaned_data["version"]
        if self.op == "move":
            actions.do_move_plan_item(draft, key=data["key"], day=data["date"], expected_version=version)
        elif self.op == "swap":
            actions.do_swap_hosts(draft, first=data["first"], second=data["second"], expected_version=version)
        else:
            actions.do_skip_in_plan(
                draft,
                organisation=data["organisation"],
                month=data["month"],
                reason=data["reason"],
                by=self.request.user,
                expected_version=version,
            )


class PlanConfirmView(PlanDraftActionView):
    """Create the draft's meetings and their invitations, all or nothing."""

    form_class = ConfirmPlanForm
    # The only field is the hidden version: a form that does not validate was tampered or stale.
    invalid_message = STALE_MESSAGE

    def perform(self, form):
        return actions.do_confirm_plan(
            self.draft, by=self.request.user, expected_version=form.cleaned_data["version"]
        )

    def get_success_message(self):
        return _("%(count)s meetings created with their invitations.") % {"count": len(self.result)}
