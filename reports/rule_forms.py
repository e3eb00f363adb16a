"""Forms of the validation rules' pages: a rule's definition, and the filters of the network-wide run."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubsite.core import validators as bounds
from hubsite.core.forms import DateInput, StyledForm, StyledModelForm

from . import periods
from .models import ValidationRule


class ValidationRuleForm(StyledModelForm):
    """A rule's definition; both sides are checked against the indicators (``ValidationRule.clean``)."""

    class Meta:
        model = ValidationRule
        fields = [
            "name",
            "scope",
            "left",
            "operator",
            "right",
            "severity",
            "message_zh",
            "message_en",
            "active",
            "valid_from",
            "valid_until",
        ]
        widgets = {"valid_from": DateInput, "valid_until": DateInput}


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (the browser's month input), as the first day of that month."""

    widget = forms.DateInput(attrs={"type": "month", "placeholder": "2025-01"})
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def __init__(self, **kwargs):
        super().__init__(validators=[bounds.REPORT_MONTH], **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return periods.first_of(value) if value else value


class ViolationFilterForm(StyledForm):
    """The network-wide run's filters: an organisation's name, a rule, a range of months (at most
    seven years, so a page never reads more than the bench measures)."""

    MAX_MONTHS = 7 * 12

    q = forms.CharField(label=_("Organisation"), required=False, max_length=100)
    rule = forms.TypedChoiceField(label=_("Rule"), coerce=int, required=False, empty_value=None)
    first = MonthField(label=_("From month"), required=False)
    last = MonthField(label=_("To month"), required=False)

    def __init__(self, data, *, rules, **kwargs):
        super().__init__(data, **kwargs)
        # The rules the page has read already: choosing one costs no query.
        self.fields["rule"].choices = [("", _("Every rule"))] + [(rule.pk, rule.name) for rule in rules]
        self.is_valid()

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last:
            if last < first:
                self.add_error("last", _("The last month cannot come before the first."))
            elif len(periods.months_between(first, last)) > self.MAX_MONTHS:
                self.add_error("first", _("Choose at most seven years."))
        return cleaned

    def months(self) -> tuple[datetime.date, datetime.date]:
        """The months to check: those asked for, or the twelve months before this one."""
        data = getattr(self, "cleaned_data", {})  # a field that did not parse is left out of it
        last = data.get("last") or periods.add_months(periods.first_of(timezone.localdate()), -1)
        first = data.get("first") or periods.add_months(last, -11)
        return first, last
