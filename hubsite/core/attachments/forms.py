"""The upload form (phones offer the camera: ``accept="image/*,..."``) and the consent form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubsite.core.forms import StyledForm

from . import content
from .actions import check_size
from .models import AttachmentKind


class ConsentFields(forms.Form):
    shows_children = forms.BooleanField(label=_("The photo shows children"), required=False)
    consent_recorded = forms.BooleanField(
        label=_("Their parents agreed in writing that it may be used in reports for funders"),
        required=False,
        help_text=_(
            "Without that consent the photo stays in the report but is left out of funders' reports."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent_recorded") and not cleaned.get("shows_children"):
            self.add_error("consent_recorded", _("Consent is recorded only for a photo that shows children."))
        return cleaned


class AttachmentForm(StyledForm, ConsentFields):
    """One file for one object. The type is checked again by content when it is stored; the size here
    already, so a too-big file is refused before anything else is read."""

    file = forms.FileField(
        label=pgettext_lazy("attachment", "File"),
        widget=forms.FileInput(attrs={"accept": content.ACCEPT}),
        error_messages={"required": _("Choose a file or take a photo.")},
    )
    kind = forms.ChoiceField(label=pgettext_lazy("attachment", "Kind"))
    centre = forms.ModelChoiceField(
        label=_("Which centre"), queryset=None, required=False, empty_label=_("The organisation as a whole")
    )

    field_order = ["file", "kind", "centre", "shows_children", "consent_recorded"]

    def __init__(self, *args, policy, owner, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(AttachmentKind.choices)
        self.fields["kind"].choices = [(kind, labels[kind]) for kind in policy.kinds]
        if policy.kinds:
            self.fields["kind"].initial = policy.kinds[0]
        if policy.centres is None:
            del self.fields["centre"]
        else:
            self.fields["centre"].queryset = policy.centres(owner)
        limit = content_limit_mb()
        self.fields["file"].help_text = _(
            "A photo (the phone's camera or gallery), a PDF, an Excel workbook or a Word document, up to "
            "%(limit)s MB. Photos are stored without their location and camera data."
        ) % {"limit": limit}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return upload


def content_limit_mb() -> int:
    from .actions import max_bytes

    return max_bytes() // (1024 * 1024)


class ConsentForm(StyledForm, ConsentFields):
    """Consent recorded later (the parents signed after the upload)."""
