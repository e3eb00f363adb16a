"""Bootstrap 5 markup for Django form fields without a third-party form library."""

from django import forms, template

register = template.Library()

_CHECKS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, _CHECKS)


@register.filter
def bootstrap(field):
    """Render the field's widget with Bootstrap's classes, marked invalid when it has errors."""
    widget = field.field.widget
    if isinstance(widget, _CHECKS):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    existing = widget.attrs.get("class", "")
    classes = " ".join(part for part in (existing, css, "is-invalid" if field.errors else "") if part)
    attrs = {"class": classes}
    if field.errors:
        described_by = [f"{field.auto_id}_errors"] + (
            [f"{field.auto_id}_helptext"] if field.help_text else []
        )
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
