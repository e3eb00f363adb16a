"""Celery tasks of the partners app; each takes ids."""

from celery import shared_task


@shared_task(name="partners.send_invitation_email")
def send_invitation_email(user_id: int) -> None:
    """Run through the outbox's ``run_once``: sent at most once per invitation or resend."""
    from .actions import send_invitation

    send_invitation(user_id)
