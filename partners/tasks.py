"""Celery tasks of the partners app; each takes ids."""

from celery import shared_task


@shared_task(name="partners.send_invitation_email")
def send_invitation_email(user_id: int) -> None:
    """Run through the outbox's ``run_once``: sent at most once per invitation or resend."""
    from .actions import send_invitation

    send_invitation(user_id)


@shared_task(name="partners.purge_old_interests")
def purge_old_interests() -> int:
    """Beat's daily run (partners 0006): takes no ids, deletes what is past the retention period;
    a second run, or a redelivery, finds nothing more."""
    from .actions import do_purge_old_interests

    return do_purge_old_interests()
