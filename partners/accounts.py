"""The hub manages login identities: people see their login address here but cannot change it.

Replaces allauth's ``account_email`` page (add an address, make it primary, remove one), which would
let anyone log in under a second, unverified address of their choosing. Hub staff change an address
on the person page (``partners.actions.do_update_person``).
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView


class LoginEmailView(LoginRequiredMixin, TemplateView):
    template_name = "account/email.html"

    def post(self, request, *args, **kwargs):
        # allauth's form posts here (action_add, action_primary, action_remove): refused for everyone.
        raise PermissionDenied
