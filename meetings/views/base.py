"""The meetings pages' variants of the one view idiom (``hubsite.core.views``).

Two things the core pieces do not do, written here rather than in the ground: meetings form pages
answer 400 to a form that does not validate (tests and the fuzz test rely on it), and most meetings
actions are small forms posted from another page, answered by a message and a redirect back.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView

from hubsite.core.forms import STALE_MESSAGE
from hubsite.core.models import StaleObjectError
from hubsite.core.views import ActionFormView

from ..models import Meeting


class MeetingMixin:
    """The meeting named by ``pk`` in the URL, looked up among those the person may read (404 else).

    Loaded in ``dispatch`` after the role check (the role mixin comes first in the bases), so an
    anonymous visitor is sent to the log-in page before anything is looked up.
    """

    def dispatch(self, request, *args, **kwargs):
        self.meeting = self.get_meeting()
        return super().dispatch(request, *args, **kwargs)

    def get_meeting(self) -> Meeting:
        return get_object_or_404(
            Meeting.objects.for_user(self.request.user).select_related("host", "organisation"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("meeting", self.meeting)
        return super().get_context_data(**kwargs)


class MeetingFormPageView(ActionFormView):
    """``ActionFormView`` as meetings pages answer: 400 for a form that does not validate, and the
    ``success_message`` once the action is done."""

    success_message = ""

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        response = super().form_valid(form)
        if isinstance(response, HttpResponseRedirect) and self.get_success_message():
            messages.success(self.request, self.get_success_message())
        return response

    def get_success_message(self):
        return self.success_message


class PostedActionView(FormView):
    """A small form posted from another page (a button, a status change): its valid data goes to
    one ``actions.do_*`` call (``perform``), and the answer is a message and a redirect back
    (``get_redirect_url``) whether it worked or not."""

    http_method_names = ["post", "options"]
    invalid_message = ""
    success_message = ""

    def perform(self, form):
        raise NotImplementedError

    def get_redirect_url(self) -> str:
        raise NotImplementedError

    def get_success_message(self):
        return self.success_message

    def form_invalid(self, form):
        messages.error(self.request, self.invalid_message)
        return redirect(self.get_redirect_url())

    def form_valid(self, form):
        try:
            self.result = self.perform(form)
        except StaleObjectError:
            messages.error(self.request, STALE_MESSAGE)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
        else:
            messages.success(self.request, self.get_success_message())
        return redirect(self.get_redirect_url())
