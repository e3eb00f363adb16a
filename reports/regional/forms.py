"""The form of the regional reports page: which period and which part of the network."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubsite.core import validators as bounds
from hubsite.core.forms import StyledForm
from partners.choices import OrganisationStatus
from partners.models import Organisation, Prefecture

from ..periods import parse_month
from . import periods
from .choices import PeriodKind, ReportScope


class RequestReportForm(StyledForm):
    """Period and scope of a report. Directors see no scope fields: the server uses their organisation."""

    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, initial=PeriodKind.YEAR)
    period = forms.CharField(
        label=_("Month within the period"),
        help_text=_("Any month of the period: a year report for 2025 can say 2025-01."),
        widget=forms.DateInput(attrs={"type": "month", "placeholder": "2025-01"}),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=ReportScope.choices, initial=ReportScope.REGION)
    prefecture = forms.ModelChoiceField(
        label=_("Prefecture"), queryset=Prefecture.objects.order_by("code"), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.exclude(
            status__in=[OrganisationStatus.PROSPECT, OrganisationStatus.APPLICANT]
        ).order_by("name"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        today = timezone.localdate()
        last_year = periods.containing_previous(PeriodKind.YEAR, today)
        self.fields["period"].initial = last_year.strftime("%Y-%m")
        if not user.is_hub:
            del self.fields["organisation"]
            if user.is_viewer:
                self.fields["scope"].choices = [
                    c for c in ReportScope.choices if c[0] != ReportScope.ORGANISATION
                ]
            else:
                del self.fields["scope"]
                del self.fields["prefecture"]

    def clean_period(self):
        month = parse_month(self.cleaned_data["period"])
        if month is None:
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        bounds.DATE(month)  # 0001-01 parses, but no report covers it (and its job would fail)
        return month

    def clean(self):
        data = super().clean()
        kind, month = data.get("period_kind"), data.get("period")
        if kind and month:
            start = periods.normalise(kind, month)
            _first, last = periods.bounds(kind, start)
            if last >= timezone.localdate():
                self.add_error("period", _("This period has not ended yet."))
            data["start"] = start
        scope = data.get("scope", ReportScope.ORGANISATION)
        if scope == ReportScope.PREFECTURE and not data.get("prefecture"):
            self.add_error("prefecture", _("Choose the prefecture."))
        if scope == ReportScope.ORGANISATION and self.user.is_hub and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation."))
        return data
