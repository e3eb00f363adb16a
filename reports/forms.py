from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hubsite.core import validators as bounds
from hubsite.core.forms import DateInput, StyledForm, StyledModelForm, VersionedFormMixin

from .choices import Scope, ValueType
from .models import Indicator

BOOLEAN_CHOICES = [("", "—"), ("1", _("Yes")), ("0", _("No"))]


def field_name(centre_id: int | None, indicator: Indicator) -> str:
    return f"c{centre_id}__{indicator.code}" if centre_id else f"org__{indicator.code}"


def _field_for(indicator: Indicator, required: bool) -> forms.Field:
    common = {"label": indicator.label, "help_text": indicator.help, "required": required}
    # An indicator without bounds of its own still cannot take a figure the database cannot store.
    low = bounds.FIGURE.minimum if indicator.min_value is None else indicator.min_value
    high = bounds.FIGURE.maximum if indicator.max_value is None else indicator.max_value
    attrs = {"class": "form-control"}
    if indicator.value_type == ValueType.INTEGER:
        attrs.update(inputmode="numeric")
        return forms.IntegerField(
            min_value=int(low),
            max_value=int(high),
            widget=forms.NumberInput(attrs=attrs),
            **common,
        )
    if indicator.value_type == ValueType.DECIMAL:
        attrs.update(inputmode="decimal", step="0.5")
        return forms.DecimalField(
            min_value=low,
            max_value=high,
            max_digits=12,
            decimal_places=2,
            widget=forms.NumberInput(attrs=attrs),
            **common,
        )
    if indicator.value_type == ValueType.BOOLEAN:
        return forms.TypedChoiceField(
            choices=BOOLEAN_CHOICES,
            coerce=lambda value: value == "1",
            empty_value=None,
            widget=forms.Select(attrs={"class": "form-select"}),
            **common,
        )
    if indicator.value_type == ValueType.SHORT_TEXT:
        return forms.CharField(max_length=200, widget=forms.TextInput(attrs=attrs), **common)
    return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={**attrs, "rows": 3}), **common)


class ReportForm(VersionedFormMixin, StyledForm):
    """Every figure of one report: a section per operating centre, then the organisation's notes.

    Built from the indicators valid for the report's month (one query) and its centres (one query).
    Drafts may leave required figures empty; ``for_submit`` makes them required. The version the
    person loaded comes back with the figures, so a save over someone else's is refused.
    """

    def __init__(self, *args, report, indicators, centres, stored, for_submit=False, rules=(), **kwargs):
        self.report = report
        self.rules = list(rules)  # validation rules in force for the month (reports.validation)
        self.for_submit = for_submit
        self.warnings = []  # (violation, where, reason field's bound field) after a "check and submit"
        self.indicators = list(indicators)
        self.centres = list(centres)
        self.stored = stored  # {(centre_id, indicator_id): value as the form shows it}
        initial = {"version": report.version}
        for key, indicator in self._cells():
            value = stored.get((key, indicator.pk))
            if indicator.value_type == ValueType.BOOLEAN and value is not None:
                value = "1" if value else "0"
            initial[field_name(key, indicator)] = value
        super().__init__(*args, initial=initial, **kwargs)
        for key, indicator in self._cells():
            self.fields[field_name(key, indicator)] = _field_for(indicator, for_submit and indicator.required)

    def _cells(self):
        centre_indicators = [i for i in self.indicators if i.scope == Scope.CENTRE]
        for centre in self.centres:
            for indicator in centre_indicators:
                yield centre.pk, indicator
        for indicator in self.indicators:
            if indicator.scope == Scope.ORGANISATION:
                yield None, indicator

    def sections(self):
        """For the template: [(centre or None, [(group, [bound fields])])]."""
        result = []
        for centre in [*self.centres, None]:
            groups = defaultdict(list)
            scope = Scope.CENTRE if centre else Scope.ORGANISATION
            for indicator in self.indicators:
                if indicator.scope == scope:
                    bound = self[field_name(centre.pk if centre else None, indicator)]
                    bound.indicator = indicator
                    bound.stored_display = self._stored_display(centre, indicator)
                    groups[indicator.group].append(bound)
            if groups:
                result.append((centre, list(groups.items())))
        return result

    def _stored_display(self, centre, indicator) -> str:
        value = self.stored.get((centre.pk if centre else None, indicator.pk))
        if value is None or value == "":
            return ""
        if indicator.value_type == ValueType.BOOLEAN:
            return str(_("Yes") if value else _("No"))
        return f"{value:f}" if isinstance(value, Decimal) else str(value)

    def clean(self):
        cleaned = super().clean()
        # Indicators pointing to another with `within` cannot together exceed it, per section.
        parts = defaultdict(list)
        for indicator in self.indicators:
            if indicator.within_id:
                parts[indicator.within_id].append(indicator)
        by_id = {i.pk: i for i in self.indicators}
        keys = [c.pk for c in self.centres] + [None]
        for whole_id, members in parts.items():
            whole = by_id.get(whole_id)
            if whole is None:
                continue
            for key in keys:
                if (whole.scope == Scope.CENTRE) != (key is not None):
                    continue
                total_name = field_name(key, whole)
                total = cleaned.get(total_name)
                names = [field_name(key, m) for m in members]
                values = [cleaned.get(name) for name in names]
                if total is None or any(name in self.errors for name in names):
                    continue
                if sum(v for v in values if v is not None) > total:
                    message = _("Together, %(parts)s cannot exceed %(whole)s (%(total)s).") % {
                        "parts": "、".join(m.label for m in members),
                        "whole": whole.label,
                        "total": total,
                    }
                    # Once, beside the first part with a figure: the sentence names every part, and
                    # six copies of it read as six problems.
                    first = next(name for name, value in zip(names, values, strict=True) if value)
                    self.add_error(first, ValidationError(message, code="exceeds"))
        if self.for_submit and self.rules:
            self._check_rules(cleaned)
        return cleaned

    def figures(self, cleaned) -> dict:
        """The typed numbers by unit (centre id or None -> {code: number}), as the rules read them."""
        figures = {c.pk: {} for c in self.centres}
        figures[None] = {}
        for key, indicator in self._cells():
            value = cleaned.get(field_name(key, indicator))
            if indicator.is_numeric and value is not None:
                figures[key][indicator.code] = Decimal(int(value) if isinstance(value, bool) else value)
        return figures

    def _check_rules(self, cleaned) -> None:
        """Broken error rules block with their message beside each figure they read; a broken
        warning asks for a reason (a field of its own, kept with the report for the reviewer)."""
        from .validation import check_units

        by_code = {i.code: i for i in self.indicators}
        names = {c.pk: c.name for c in self.centres}
        kept = {entry.get("key"): entry.get("reason", "") for entry in self.report.warning_reasons}
        for violation in check_units(self.rules, self.figures(cleaned)):
            text = f"{violation.message} ({violation.figures()})"
            if violation.is_error:
                for code in sorted(violation.rule.codes()):
                    if code in by_code:
                        name = field_name(violation.unit, by_code[code])
                        if name in self.fields:
                            self.add_error(name, ValidationError(text, code="rule"))
                continue
            name = f"reason__{violation.key}"
            self.fields[name] = forms.CharField(
                label=_("Reason"),
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                initial=kept.get(violation.key, ""),
                error_messages={"required": _("Give the reason for this warning, or correct the figures.")},
            )
            raw = self.data.get(name, "")
            try:
                cleaned[name] = self.fields[name].clean(raw)
            except ValidationError as error:
                self.add_error(name, error)
            self.warnings.append((violation, names.get(violation.unit, ""), self[name]))

    def warning_reasons(self) -> list[dict]:
        """The warnings of a valid "check and submit" with their reasons, as the report keeps them."""
        return [
            {
                "key": violation.key,
                "rule": violation.rule.pk,
                "centre": where,
                "message": violation.message,
                "figures": violation.figures(),
                "reason": self.cleaned_data.get(bound.name, ""),
            }
            for violation, where, bound in self.warnings
        ]

    def values(self) -> dict:
        """(centre_id or None, indicator) -> cleaned value, for MonthlyReport.save_values."""
        return {
            (key, indicator): self.cleaned_data.get(field_name(key, indicator))
            for key, indicator in self._cells()
        }

    def conflicts(self) -> list[tuple[str, str, str, str]]:
        """After a refused save: (section, label, stored, typed) where the stored value differs."""
        rows = []
        for key, indicator in self._cells():
            name = field_name(key, indicator)
            centre = next((c for c in self.centres if c.pk == key), None)
            stored = self._stored_display(centre, indicator)
            typed = str(self.data.get(name, "")).strip()
            if indicator.value_type == ValueType.BOOLEAN:
                typed = {"1": str(_("Yes")), "0": str(_("No"))}.get(typed, "")
            normalised_stored = stored.rstrip("0").rstrip(".") if "." in stored else stored
            normalised_typed = typed.rstrip("0").rstrip(".") if "." in typed else typed
            if normalised_stored != normalised_typed:
                rows.append((centre.name if centre else _("Organisation"), indicator.label, stored, typed))
        return rows


class ReturnForm(StyledForm):
    """The hub's comment when it returns a report: what the organisation has to change."""

    comment = forms.CharField(
        label=_("What needs to change"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )


class ReopenForm(StyledForm):
    """Why a hub admin unlocks an approved report."""

    reason = forms.CharField(
        label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 2}), max_length=3000
    )


class IndicatorForm(StyledModelForm):
    """An indicator's definition; its code is fixed once created."""

    class Meta:
        model = Indicator
        fields = [
            "code",
            "label_zh",
            "label_en",
            "help_zh",
            "help_en",
            "unit",
            "value_type",
            "min_value",
            "max_value",
            "required",
            "scope",
            "group_zh",
            "group_en",
            "order",
            "within",
            "over_months",
            "over_units",
            "valid_from",
            "valid_until",
        ]
        widgets = {"valid_from": DateInput, "valid_until": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The code names the figure in exports and history; changing it would break both.
            self.fields["code"].disabled = True


class FiguresFilterForm(StyledForm):
    """The query of the grid, the figures page and their exports; a value that does not parse is ignored."""

    FORMATS = [("csv", "CSV"), ("xlsx", "Excel")]

    year = forms.IntegerField(required=False, validators=[bounds.YEAR])
    prefecture = forms.CharField(required=False, max_length=6)
    indicator = forms.SlugField(required=False, max_length=40)
    format = forms.ChoiceField(choices=FORMATS, required=False)

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.is_valid()

    def value(self, name, default=None):
        return self.cleaned_data.get(name) or default
