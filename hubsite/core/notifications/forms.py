"""Forms of the notification pages: the mobile number for SMS and the code that proves it."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hubsite.core.forms import StyledForm

# Mainland mobiles: 11 digits starting 13-19; "+86", "86" and spaces or dashes are accepted.
MAINLAND_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")


class MobileNumberForm(StyledForm):
    """The number to verify, kept as +86 and 11 digits (the form the SMS provider wants)."""

    number = forms.CharField(label=_("Mobile number"), max_length=20)

    def clean_number(self):
        match = MAINLAND_MOBILE.match(re.sub(r"[\s-]", "", self.cleaned_data["number"]))
        if not match:
            raise ValidationError(_("Enter a mainland mobile number (11 digits)."))
        return f"+86{match.group(1)}"


class MobileCodeForm(StyledForm):
    """The six-digit code from the SMS."""

    code = forms.CharField(label=_("Verification code"), min_length=6, max_length=6)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise ValidationError(_("The code has six digits."))
        return code
