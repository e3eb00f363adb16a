"""Coverage is cached; any change to centres or organisations shows on the next load."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from partners.models import Centre, Organisation

from . import data_changed


@receiver([post_save, post_delete], sender=Centre)
@receiver([post_save, post_delete], sender=Organisation)
def forget_coverage(**kwargs):
    transaction.on_commit(data_changed)
