"""The hub's pages for yearly targets: the organisations of a year with how many targets each has,
and the form that sets one organisation's targets for a year."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from hubsite.core import validators as bounds
from hubsite.core.forms import STALE_MESSAGE
from hubsite.core.models import StaleObjectError
from hubsite.core.permissions import HubRequiredMixin
from hubsite.core.views import FormPageMixin
from partners.models import Organisation

from . import targets
from .forms import FiguresFilterForm


def _valid_year(year: int) -> int:
    try:
        bounds.YEAR(year)
    except ValidationError:
        raise Http404 from None
    return year


class TargetIndexView(HubRequiredMixin, TemplateView):
    """Active organisations with the number of targets set for the year, each a link to its form."""

    template_name = "reports/targets_index.html"

    def get_context_data(self, **kwargs):
        year = FiguresFilterForm(self.request.GET).value("year") or targets.current_year()
        organisations = (
            Organisation.objects.for_user(self.request.user)
            .active()
            .select_related("prefecture")
            .annotate(n_targets=Count("targets", filter=Q(targets__year=year)))
            .order_by("prefecture__code", "name")
        )
        this_year = targets.current_year()
        return super().get_context_data(
            year=year,
            years=list(range(this_year + 1, this_year - 5, -1)),
            organisations=organisations,
            **kwargs,
        )


class TargetsEditView(HubRequiredMixin, FormPageMixin, FormView):
    """One organisation's targets for one year, saved together or not at all; a save over someone
    else's answers 409 and keeps what was typed."""

    template_name = "reports/targets_form.html"
    form_class = targets.TargetsForm
    submit_label = gettext_lazy("Save targets")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_hub:
            self.year = _valid_year(kwargs["year"])
            self.organisation = get_object_or_404(
                Organisation.objects.for_user(request.user).select_related("prefecture"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Targets of %(organisation)s for %(year)s") % {
            "organisation": self.organisation.display_name,
            "year": self.year,
        }

    def get_cancel_url(self):
        return self.organisation.get_absolute_url()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("initial")  # the form's initial values are the stored targets
        return {
            **kwargs,
            "organisation": self.organisation,
            "year": self.year,
            "indicators": targets.target_indicators(self.year),
            "centres": targets.target_centres(self.organisation, self.year),
            "current": targets.current_targets(self.organisation, self.year),
            "loaded": targets.stamp(self.organisation, self.year),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.organisation, year=self.year, **kwargs)

    def form_invalid(self, form):
        messages.error(self.request, _("Some targets need correcting; nothing was saved."))
        return super().form_invalid(form)

    def form_valid(self, form):
        try:
            changed = targets.do_set_targets(
                self.organisation,
                self.year,
                form.values(),
                by=self.request.user,
                loaded=form.cleaned_data["loaded"],
            )
        except StaleObjectError:
            form.add_error(None, STALE_MESSAGE)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        messages.success(self.request, _("Targets saved (%(count)s changed).") % {"count": changed})
        return redirect(reverse("reports:targets_edit", args=[self.organisation.pk, self.year]))
