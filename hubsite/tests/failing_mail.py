"""A mail backend that fails like an unreachable SMTP server (the edge of the machine)."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("SMTP server went away")
