"""Pages of the validation rules: the list, a rule's form (hub admins), and the network-wide run that
lists every violation in past data (hub people)."""

from __future__ import annotations

from django.urls import reverse
from django.views.generic import CreateView, TemplateView, UpdateView
from django_tables2 import SingleTableView

from hubsite.core.paging import paginate
from hubsite.core.permissions import HubAdminRequiredMixin, HubRequiredMixin
from partners.models import Centre, Organisation

from .models import ValidationRule
from .rule_forms import ValidationRuleForm, ViolationFilterForm
from .tables import ValidationRuleTable
from .validation import network_run


class RuleListView(HubRequiredMixin, SingleTableView):
    """Every validation rule, active or not (hub people; hub admins change them)."""

    model = ValidationRule
    table_class = ValidationRuleTable
    template_name = "reports/rule_list.html"
    paginate_by = 100

    def get_queryset(self):
        return ValidationRule.objects.all()


class RuleCreateView(HubAdminRequiredMixin, CreateView):
    """A new rule, checked on every report of the months it applies to."""

    model = ValidationRule
    form_class = ValidationRuleForm
    template_name = "reports/rule_form.html"

    def get_success_url(self):
        return reverse("reports:rule_list")


class RuleUpdateView(HubAdminRequiredMixin, UpdateView):
    """A rule's sides, severity, message and months. To retire a rule, set its last month: the
    reports of earlier months are still checked by it."""

    model = ValidationRule
    form_class = ValidationRuleForm
    template_name = "reports/rule_form.html"

    def get_success_url(self):
        return reverse("reports:rule_list")


class ViolationListView(HubRequiredMixin, TemplateView):
    """Every violation of the rules in handed-in reports of a range of months, newest first.

    The run reads all the figures it needs in one query and evaluates in Python (the same evaluator
    as the form); the page then names the organisations and centres of its own rows only. Queries:
    the rules, the organisations matching the search (if any), the figures, the page's organisations
    and centres, whatever the data size.
    """

    template_name = "reports/rule_violations.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        rules = list(ValidationRule.objects.all())
        form = ViolationFilterForm(self.request.GET, rules=rules)
        data = getattr(form, "cleaned_data", {})
        first, last = form.months()
        chosen = data.get("rule")
        wanted = [r for r in rules if r.active and (chosen is None or r.pk == chosen)]
        organisations = None
        if data.get("q"):
            organisations = list(
                Organisation.objects.filter(name__icontains=data["q"]).values_list("pk", flat=True)
            ) or [0]
        found = network_run(wanted, first=first, last=last, organisation_ids=organisations)
        page, query = paginate(self.request, found, self.paginate_by)
        rows = list(page.object_list)
        org_names = dict(
            Organisation.objects.filter(pk__in={v.organisation_id for v in rows}).values_list("pk", "name")
        )
        centre_names = dict(
            Centre.objects.filter(pk__in={v.centre_id for v in rows if v.centre_id}).values_list("pk", "name")
        )
        return super().get_context_data(
            form=form,
            first=first,
            last=last,
            rows=[(v, org_names.get(v.organisation_id, ""), centre_names.get(v.centre_id, "")) for v in rows],
            page=page,
            page_query=query,
            total=len(found),
            **kwargs,
        )
