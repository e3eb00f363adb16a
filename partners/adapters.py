import ipaddress
import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils import translation

from hubsite.core.language import language_of

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: hub staff invite people, who then set their password from the e-mail link."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        """allauth's mails (password reset) in the person's language, not the page's: someone who
        chose English on their account reads the reset mail in English from a Chinese login page."""
        user = context.get("user")
        if user is None:
            return super().send_mail(template_prefix, email, context)
        with translation.override(language_of(user)):
            return super().send_mail(template_prefix, email, context)

    def get_client_ip(self, request) -> str:
        """The one client address of the project: allauth's rate limits and the public interest form
        both key on it (`get_adapter(request).get_client_ip(request)`).

        allauth picks it from X-Forwarded-For `ALLAUTH_TRUSTED_PROXY_COUNT` hops from the right (or
        from `ALLAUTH_TRUSTED_CLIENT_IP_HEADER`). A request that did not come through all our proxies
        (too few hops, no header) would make allauth raise, a 500 or 403 on the login page; the
        connection's own address is the honest answer then.
        """
        try:
            return super().get_client_ip(request)
        except (ImproperlyConfigured, PermissionDenied):
            try:
                remote = str(ipaddress.ip_address(request.META.get("REMOTE_ADDR") or ""))
            except ValueError:
                raise PermissionDenied("Unable to determine client IP address") from None
            logger.warning("client address not found in the proxy headers; using %s", remote)
            return remote
