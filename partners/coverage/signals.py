"""The public coverage page is cached; any change to centres or organisations shows on the next load."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from partners.models import Centre, Organisation

PUBLIC_CACHE_KEY = "public-coverage"


@receiver([post_save, post_delete], sender=Centre)
@receiver([post_save, post_delete], sender=Organisation)
def forget_public_coverage(**kwargs):
    transaction.on_commit(lambda: cache.delete(PUBLIC_CACHE_KEY))
