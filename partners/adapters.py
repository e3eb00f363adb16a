from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: hub staff invite people, who then set their password from the e-mail link."""

    def is_open_for_signup(self, request):
        return False
