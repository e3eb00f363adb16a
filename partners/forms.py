"""Forms for hub staff and partner people. Partner forms never carry an organisation field: the
server sets it, so a tampered POST cannot move a record to another organisation."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubsite.core.forms import DateInput, StyledForm, StyledModelForm, VersionedModelForm, https_urls
from hubsite.core.roles import HUB_ROLES, Role

from .choices import OrganisationStatus
from .models import (
    Award,
    Centre,
    CentreAssessment,
    County,
    ExpansionPlan,
    Organisation,
    Prefecture,
    SharedExperience,
    User,
)

# --- Organisations


class OrganisationForm(VersionedModelForm):
    """Everything hub staff edit about an organisation except its status (see ``change_status``)."""

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "prefecture",
            "county",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
            "website",
            "description",
            "is_hub",
            "project_started_on",
            "stage",
        ]
        widgets = {"project_started_on": DateInput, "description": forms.Textarea}
        formfield_callback = https_urls

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.select_related("prefecture")
        self.fields["prefecture"].queryset = Prefecture.objects.all()

    def clean(self):
        cleaned = super().clean()
        county, prefecture = cleaned.get("county"), cleaned.get("prefecture")
        if county and prefecture and county.prefecture_id != prefecture.pk:
            self.add_error("county", _("This county is not in the chosen prefecture."))
        return cleaned


class OrganisationCreateForm(OrganisationForm):
    """A new organisation: no version yet."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]


class OrganisationContactForm(VersionedModelForm):
    """What partner people may change about their own organisation: its public contact details."""

    class Meta:
        model = Organisation
        fields = ["contact_name", "contact_phone", "contact_email", "website", "address", "description"]
        widgets = {"description": forms.Textarea}
        formfield_callback = https_urls


class OrganisationStatusForm(StyledForm):
    """The next status (only those the lifecycle allows from the current one), when and why."""

    status = forms.ChoiceField(label=_("New status"), choices=())
    effective_on = forms.DateField(label=_("Effective on"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["status"].choices = [
            (value, label)
            for value, label in OrganisationStatus.choices
            if organisation.can_change_status_to(value)
        ]
        self.fields["effective_on"].initial = timezone.localdate()

    def clean_effective_on(self):
        day = self.cleaned_data["effective_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class AwardForm(StyledModelForm):
    """An award an organisation received (hub staff record it)."""

    class Meta:
        model = Award
        fields = ["issuer", "year", "title", "from_programme_funder"]


class ExpansionPlanForm(StyledModelForm):
    """An organisation's plan to open more sites."""

    class Meta:
        model = ExpansionPlan
        fields = ["planned_sites", "target_date", "status", "description"]
        widgets = {"target_date": DateInput, "description": forms.Textarea}

    def clean_planned_sites(self):
        sites = self.cleaned_data["planned_sites"]
        if sites < 1:
            raise forms.ValidationError(_("Plan at least one site."))
        return sites


class SharedExperienceForm(StyledModelForm):
    """Something an organisation does well that others in the network could copy."""

    class Meta:
        model = SharedExperience
        fields = ["area", "title", "text"]


# --- Centres


class CentreForm(VersionedModelForm):
    """Hub staff's centre form. The rating is not here: it changes only through an assessment."""

    class Meta:
        model = Centre
        fields = [
            "organisation",
            "name",
            "prefecture",
            "county",
            "address",
            "site_type",
            "status",
            "opened_on",
            "closed_on",
            "is_demonstration",
            "capacity",
            "opening_hours",
            "description",
        ]
        widgets = {"opened_on": DateInput, "closed_on": DateInput, "description": forms.Textarea}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.all()
        self.fields["county"].queryset = County.objects.select_related("prefecture")

    def clean(self):
        cleaned = super().clean()
        organisation, name = cleaned.get("organisation"), cleaned.get("name")
        if organisation and name:
            clash = Centre.objects.filter(organisation=organisation, name__iexact=name.strip())
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", _("This organisation already has a centre with this name."))
        return cleaned


class CentreCreateForm(CentreForm):
    """A new centre: no version yet."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]


class CentreDescriptionForm(VersionedModelForm):
    """What partner people may change about their own centres: the descriptive fields."""

    class Meta:
        model = Centre
        fields = ["address", "opening_hours", "capacity", "description"]
        widgets = {"description": forms.Textarea}


class AssessmentForm(StyledModelForm):
    """An operation assessment of a centre, on a day that has already come."""

    class Meta:
        model = CentreAssessment
        fields = ["assessed_on", "rating", "assessor", "notes"]
        widgets = {"assessed_on": DateInput, "notes": forms.Textarea}

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


# --- People


class PersonForm(StyledModelForm):
    """Hub staff's form for a person. Only hub admins may hand out the hub admin role."""

    class Meta:
        model = User
        fields = ["email", "full_name", "phone", "role", "position", "organisation"]

    def __init__(self, *args, by: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by
        self.fields["full_name"].required = True
        self.fields["organisation"].queryset = Organisation.objects.all()
        if not by.is_hub_admin:
            self.fields["role"].choices = [(v, label) for v, label in Role.choices if v != Role.HUB_ADMIN]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).strip().lower()
        clash = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Someone already has this e-mail address."))
        return email

    def clean(self):
        cleaned = super().clean()
        # "Partner people must belong to an organisation" is the model's own rule (User.clean).
        role, organisation = cleaned.get("role"), cleaned.get("organisation")
        if role in HUB_ROLES and organisation and not organisation.is_hub:
            self.add_error("organisation", _("Hub staff belong to the hub, not to a partner."))
        return cleaned


class PersonEditForm(PersonForm):
    """Editing a person also switches their login on or off."""

    class Meta(PersonForm.Meta):
        fields = [*PersonForm.Meta.fields, "is_active"]


class FilterForm(StyledForm):
    """The base form of every FilterSet here, so filters look like the other forms."""


class OrganisationQueryForm(forms.Form):
    """``?organisation=<id>`` preselecting the organisation of a new centre."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all(), required=False)
