"""Bootstrap 5 markup for Django form fields without a third-party form library.

Our forms are styled by ``StyledFormMixin``; ``bootstrap`` gives forms we do not write (allauth's)
the same classes through the same ``widget_css``, and changes nothing on a form already styled.
Django itself links the input to its help text and errors (``aria-describedby``, ``aria-invalid``),
which ``includes/field.html`` renders with the ids Django expects.
"""

from django import forms, template

from hubsite.core.forms import add_css, widget_css

register = template.Library()


@register.filter
def is_checkbox(field) -> bool:
    """A single checkbox, which Bootstrap puts before its label."""
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def bootstrap(field):
    """Render the field's widget with Bootstrap's classes, marked invalid when it has errors."""
    attrs = {"class": field.field.widget.attrs.get("class", "")}
    add_css(attrs, widget_css(field.field.widget) or "", "is-invalid" if field.errors else "")
    return field.as_widget(attrs=attrs if attrs["class"] else None)
