from django import forms
from django.utils.translation import gettext_lazy as _

from hubsite.core.forms import StyledForm

from .choices import ImportKind
from .sheets import EXTENSIONS, MAX_FILE_BYTES


class UploadForm(StyledForm):
    """A sheet of one kind; people may be sent their invitation at once."""

    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("File"), help_text=_("Excel (.xlsx) or CSV with the template's columns, up to 5 MB.")
    )
    send_invitations = forms.BooleanField(
        label=_("E-mail new people an invitation to set their password"),
        required=False,
        help_text=_("Otherwise they set one with “Forgot password” on the login page."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("Upload an Excel (.xlsx) or CSV file."))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB. Split it into several files."))
        return upload
