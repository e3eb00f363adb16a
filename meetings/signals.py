"""Keep invitations in step when people join, move or leave, and when an organisation's status changes."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from partners.models import Organisation

from .audience import sync_organisation, sync_person


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="meetings_sync_person")
def person_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    # Log-ins touch last_login only; that never changes an audience.
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    sync_person(instance)


@receiver(post_save, sender=Organisation, dispatch_uid="meetings_sync_organisation")
def organisation_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw or created:
        return
    if update_fields is not None and not {"status", "is_hub"} & set(update_fields):
        return
    sync_organisation(instance)
