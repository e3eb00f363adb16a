"""The one form base: Bootstrap styling, bounds on every field, the versioned-edit field.

Every form in the project derives from ``StyledForm``/``StyledModelForm`` (or mixes in
``StyledFormMixin``); edits of a ``VersionedModel`` add ``VersionedFormMixin`` and, when
``save_versioned`` refuses, show ``STALE_MESSAGE``.
"""

from django import forms
from django.db import models
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubsite.core.validators import BoundsMixin

STALE_MESSAGE = _(
    "Someone else changed this record after you opened it. Nothing was saved: reload the page to see "
    "their changes, then make yours again."
)


def https_urls(db_field, **kwargs):
    """Model form fields as usual, but a bare "example.org" means https (Django 6's default)."""
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class DateInput(forms.DateInput):
    """The browser's date picker (phones show their native one), always in ISO format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def widget_css(widget) -> str | None:
    """Bootstrap's class for a widget, or None for those styled as they are (hidden inputs, and
    radio and checkbox lists, whose Django markup already lays the choices out one per line)."""
    if isinstance(widget, forms.HiddenInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        return None
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.NullBooleanSelect):
        return "form-select"
    return "form-control"


def add_css(attrs: dict, *names: str) -> None:
    """Add classes to a widget's ``attrs`` once each, keeping those already there."""
    classes = attrs.get("class", "").split()
    classes += [name for name in names if name and name not in classes]
    attrs["class"] = " ".join(classes)


BLANK_CHOICE = "---------"  # Django's empty choice for a select, the same in every language


def name_empty_choice(field) -> None:
    """A select's empty choice says what it means: 请选择 when a choice is needed, （无） when none
    may be chosen; Django's "---------" reads as a broken page to a Chinese reader."""
    label = (
        pgettext_lazy("empty choice", "Choose…")
        if field.required
        else pgettext_lazy("empty choice", "(none)")
    )
    if isinstance(field, forms.ModelChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
        if field.empty_label == BLANK_CHOICE:
            field.empty_label = label
    elif (
        isinstance(field, forms.ChoiceField)
        and not isinstance(field, forms.MultipleChoiceField)
        and not isinstance(field.choices, CallableChoiceIterator)  # evaluated when rendered, not here
    ):
        choices = list(field.choices)
        if any(value == "" and text == BLANK_CHOICE for value, text in choices):
            field.choices = [
                (value, label if value == "" and text == BLANK_CHOICE else text) for value, text in choices
            ]


class StyledFormMixin(BoundsMixin):
    """Bootstrap classes on every widget, and ``is-invalid`` on fields with errors; bounds on every
    date, number and text (see ``hubsite.core.validators``). The ``bootstrap`` template filter styles
    forms that are not ours (allauth's) with the same ``widget_css``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            name_empty_choice(field)
            widget = field.widget
            css = widget_css(widget)
            if css is None:
                continue
            add_css(widget.attrs, css)
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 4)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                add_css(self.fields[name].widget.attrs, "is-invalid")


class StyledForm(StyledFormMixin, forms.Form):
    """A plain form with the project's styling and bounds."""


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    """A model form with the project's styling and bounds."""


class VersionedFormMixin:
    """Carries the version the editor loaded (a hidden ``version`` field), so the save can refuse to
    overwrite someone else's. A model form takes it from its instance; a plain form from ``initial``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        loaded = instance.version if instance is not None and instance.pk is not None else None
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1, initial=loaded
        )


class VersionedModelForm(VersionedFormMixin, StyledModelForm):
    """The edit form of a ``VersionedModel``: styled, bounded, carrying the loaded version."""
