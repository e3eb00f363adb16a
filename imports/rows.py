"""What every kind of import shares: its columns, the row form's special fields, and each row's plan.

A kind checks all its rows first (``Importer.plan``), loading what it compares with in a fixed number
of queries whatever the number of rows, and writes only once every row is valid (``Importer.apply``,
inside the caller's transaction). Every cell goes through a Django form field, with the bounds and
messages of the site's own forms.
"""

from __future__ import annotations

import datetime
import json
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import translation
from django.utils.translation import gettext as _

from .choices import RowAction
from .sheets import TEMPLATE_LANGUAGE, SheetRow


@dataclass
class Column:
    """A column of a kind's sheet: the row form's field ``name`` and its heading."""

    name: str
    header: Any  # a lazy translation: Chinese in the template, either language when reading
    required: bool = False
    # Other headings read as this column (e.g. the model field's name for it).
    aliases: tuple = ()


def normalise(text) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split()).casefold()


def row_message(number: int, message: str) -> str:
    return _("Row %(row)s: %(message)s") % {"row": number, "message": message}


def field_message(label, message) -> str:
    return _("%(field)s: %(message)s") % {"field": label, "message": message}


def display(value) -> str:
    """A value as the preview shows it (old -> new)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


@dataclass
class RowPlan:
    """One sheet row: what it will do (new/changed/unchanged) or why it cannot be imported."""

    number: int
    key: str = ""
    action: str = ""
    changes: list = field(default_factory=list)  # [field label, old, new]
    errors: list = field(default_factory=list)  # full messages naming the row
    warnings: list = field(default_factory=list)  # shown on the preview; they do not block
    data: dict = field(default_factory=dict)
    instance: Model | None = None

    def error(self, message) -> None:
        self.errors.append(row_message(self.number, str(message)))
        self.action = RowAction.ERROR

    def form_errors(self, form) -> None:
        for name, errors in form.errors.as_data().items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                for message in error:
                    # A lookup's message names its field already ("地市「x」不存在").
                    named = label and error.code != "unknown"
                    self.error(field_message(label, message) if named else message)

    def as_json(self) -> dict:
        return {
            "row": self.number,
            "key": self.key,
            "action": str(self.action),
            "changes": [[str(label), old, new] for label, old, new in self.changes],
            "errors": self.errors,
            "warnings": self.warnings,
        }


# ---------------------------------------------------------------------------------------------
# Row form fields for what a person types in a spreadsheet


def _both_languages(label) -> list[str]:
    texts = []
    for language in (TEMPLATE_LANGUAGE, "en"):
        with translation.override(language):
            texts.append(str(label))
    return texts


class LabelledChoiceField(forms.ChoiceField):
    """A choice typed as its label, Chinese or English, or as its stored value."""

    def __init__(self, *, choices, **kwargs):
        choices = list(choices)
        super().__init__(choices=[("", "")] + choices, **kwargs)
        self.by_text = {}
        for value, label in choices:
            for text in [*_both_languages(label), value]:
                self.by_text.setdefault(normalise(text), value)
        self.labels = [label for _value, label in choices]

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return ""
        found = self.by_text.get(normalise(text))
        if found is None:
            raise ValidationError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": text, "choices": "、".join(str(label) for label in self.labels)},
                code="invalid_choice",
            )
        return found


class YesNoField(forms.Field):
    """是/否 (or yes/no, 1/0, true/false); empty stays None."""

    TRUE = {"是", "yes", "y", "true", "1", "√", "✓"}
    FALSE = {"否", "no", "n", "false", "0", "×"}

    def to_python(self, value):
        text = normalise(value)
        if not text:
            return None
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError(_("Write “yes” or “no”."), code="invalid")


class LookupField(forms.Field):
    """A record named in a cell (by name, short name or code), found in ``lookup`` loaded beforehand:
    no query per row."""

    def __init__(self, *, lookup: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        self.lookup = lookup or {}

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        found = self.lookup.get(normalise(text))
        if found is None:
            raise ValidationError(
                _("%(field)s “%(value)s” does not exist.") % {"field": self.label, "value": text[:200]},
                code="unknown",
            )
        return found


def rebind(form, data):
    """Give a form another row to check, as if built anew with ``data`` (fields keep their settings)."""
    form.data = data
    form.is_bound = True
    form._errors = None
    form.__dict__.pop("cleaned_data", None)
    return form


def relax(form, keep=()) -> None:
    """On an update, an empty cell keeps what is stored: no field but the key is required."""
    for name, form_field in form.fields.items():
        if name not in keep:
            form_field.required = False


def diff(instance, data: dict, labels: dict, given: set) -> list:
    """[label, old, new] for each field the sheet gives that differs from the stored value."""
    changes = []
    for name, new in data.items():
        if name not in given:
            continue
        old = getattr(instance, name)
        if old != new:
            changes.append(
                [
                    labels[name],
                    display(choice_label(instance, name, old)),
                    display(choice_label(instance, name, new)),
                ]
            )
    return changes


def choice_label(model_or_instance, name, value):
    """A stored choice as its label (other values as they are)."""
    model_field = model_or_instance._meta.get_field(name)
    if model_field.choices and value not in (None, ""):
        return dict(model_field.flatchoices).get(value, value)
    return value


class Importer:
    """One kind of sheet. Subclasses give ``columns``, ``plan_rows`` and ``apply``."""

    kind = ""
    columns: list[Column] = []

    def __init__(self, by, *, file_name: str = "", send_invitations: bool = False):
        self.by = by
        self.file_name = file_name
        self.send_invitations = send_invitations

    def example(self) -> list:
        """The template's example row, one value per column (``data/examples.json``)."""
        examples = json.loads((Path(__file__).parent / "data" / "examples.json").read_text("utf-8"))
        return [examples[self.kind].get(column.name, "") for column in self.columns]

    def plan(self, rows: list[SheetRow]) -> list[RowPlan]:
        plans = self.plan_rows(rows)
        for plan in plans:
            if not plan.action:
                plan.action = RowAction.CHANGED if plan.changes else RowAction.UNCHANGED
        return plans

    def plan_rows(self, rows: list[SheetRow]) -> list[RowPlan]:
        raise NotImplementedError

    def apply(self, plans: list[RowPlan]) -> None:
        raise NotImplementedError

    def check_duplicates(self, plans: list[RowPlan], keys: dict) -> None:
        """The same record twice in one sheet: the later rows say which row came first."""
        first = {}
        for plan in plans:
            key = keys.get(plan.number)
            if key is None:
                continue
            if key in first:
                plan.error(_("the same record as row %(row)s.") % {"row": first[key]})
            else:
                first[key] = plan.number
