"""The one view idiom: Django's generic class-based views plus these mixins.

- lists: ``SingleTableMixin`` + ``FilterView`` (a FilterSet with ``q``), ``SafeExportMixin`` for exports;
- details: ``DetailView`` whose ``get_queryset`` is ``Model.objects.for_user(user)``;
- edits of a ``VersionedModel``: ``UpdateView`` + ``VersionedSaveMixin`` (409 and ``STALE_MESSAGE``);
- state changes: ``ActionFormView``, whose valid form goes to one ``actions.do_*`` call;
- every page with a form: ``FormPageMixin`` (title, subtitle, submit label, where Cancel goes),
  rendered by ``form_page.html`` unless the view names its own template.

Who may open a page is a mixin from ``hubsite.core.permissions``; which objects, the queryset.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import FormView

from hubsite.core.forms import STALE_MESSAGE
from hubsite.core.models import StaleObjectError


class FormPageMixin:
    """Context for ``form_page.html``: a title, an optional subtitle, the button's label, Cancel."""

    template_name = "form_page.html"
    page_title = ""
    subtitle = ""
    submit_label = pgettext_lazy("button", "Save")
    cancel_url: str | None = None

    def get_page_title(self):
        return self.page_title

    def get_cancel_url(self):
        return self.cancel_url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("title", self.get_page_title())
        context.setdefault("subtitle", self.subtitle)
        context.setdefault("submit_label", self.submit_label)
        context.setdefault("cancel_url", self.get_cancel_url())
        return context


class VersionedSaveMixin:
    """Save through ``save_versioned`` so an edit made over someone else's is refused, not merged."""

    success_message = _("Saved.")

    def form_valid(self, form):
        obj = form.save(commit=False)
        try:
            obj.save_versioned(form.cleaned_data["version"])
        except StaleObjectError:
            return self.stale(form)
        self.object = obj
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def stale(self, form):
        form.add_error(None, STALE_MESSAGE)
        return self.render_to_response(self.get_context_data(form=form), status=409)


def add_validation_errors(form, error: ValidationError) -> None:
    """Put an action's ``ValidationError`` next to the fields it names (others above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)


class ActionFormView(FormPageMixin, FormView):
    """A form whose valid data goes to one ``actions.do_*`` call (``perform``); a ``ValidationError``
    it raises lands next to the fields, and ``StaleObjectError`` answers 409 with ``STALE_MESSAGE``.
    Once it is done, ``get_success_message`` (if any) is shown on the page the view redirects to."""

    success_message = ""

    def perform(self, form):
        raise NotImplementedError

    def get_success_message(self):
        """The message once ``perform`` is done; ``self.result`` holds what it returned."""
        return self.success_message

    def form_valid(self, form):
        try:
            self.result = self.perform(form)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        except StaleObjectError:
            form.add_error(None, STALE_MESSAGE)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        if message := self.get_success_message():
            messages.success(self.request, message)
        return redirect(self.get_success_url())
