import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

from hubsite.core.forms import DateInput, StyledForm
from partners.models import Organisation, Prefecture


class CoverageFilterForm(StyledForm):
    """The coverage page's day and what shades the map (its template lays the two out inline)."""

    METRICS = [
        ("centres", _("Operating centres")),
        ("organisations", _("Organisations")),
        ("per_10k", _("Centres per 10,000 children aged 0-3")),
        ("families_served", _("Families served in an average month, last 12 months")),
        ("child_visits", _("Child visits, last 12 months")),
    ]
    as_of = forms.DateField(label=_("As of"), required=False, widget=DateInput)
    metric = forms.ChoiceField(label=_("Shade by"), choices=METRICS, required=False)


class InterestForm(StyledForm):
    """A local organisation's wish to start a centre; lands as a prospect for hub staff. The public
    page renders it by hand, from the cache, so a cached page costs no query."""

    name = forms.CharField(label=_("Organisation name"), max_length=120)
    prefecture = forms.ModelChoiceField(label=_("Prefecture"), queryset=Prefecture.objects.all())
    contact_name = forms.CharField(label=_("Contact person"), max_length=60)
    contact_phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=40,
        required=False,
        help_text=_("A mainland China mobile number, e.g. 138 0013 8000."),
    )
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    description = forms.CharField(
        label=_("What your organisation does"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    # Explicit, separate consent (Personal Information Protection Law, art. 14): not ticked for them.
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice above and agree that the hub keeps and uses these details as it says."
        ),
        error_messages={
            "required": _(
                "Please tick this box to agree to the privacy notice, or we cannot keep your message."
            )
        },
    )
    # A honeypot: hidden from people by CSS, filled in by form-spamming robots.
    homepage = forms.CharField(required=False, label=_("Leave this empty"))

    def clean_contact_phone(self):
        """A mainland mobile number (the hub calls or texts back), kept as 138 0013 8000."""
        value = self.cleaned_data["contact_phone"].strip()
        if not value:
            return ""
        try:
            number = phonenumbers.parse(value, "CN")
        except phonenumbers.NumberParseException:
            number = None
        if (
            number is None
            or not phonenumbers.is_valid_number(number)
            or phonenumbers.region_code_for_number(number) != "CN"
            or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
        ):
            raise forms.ValidationError(
                _("Enter a mainland China mobile number of 11 digits, e.g. 138 0013 8000."), code="phone"
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Organisation.objects.filter(name=name).exists():
            raise forms.ValidationError(
                _("This organisation is already known to the hub; we will be in touch.")
            )
        return name

    def clean(self):
        cleaned = super().clean()
        # A refused number has its own error already; this one is for a form with neither.
        if (
            not cleaned.get("contact_phone")
            and not cleaned.get("contact_email")
            and "contact_phone" not in self.errors
        ):
            self.add_error(
                "contact_phone", _("Give a phone number or an e-mail address so that we can reply.")
            )
        return cleaned
