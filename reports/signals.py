"""Report figures feed the cached coverage pages: a saved report (any step, any value change, since
each bumps the report's version) makes them recompute on the next load."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from partners.coverage import data_changed

from .models import MonthlyReport


@receiver([post_save, post_delete], sender=MonthlyReport)
def forget_coverage(**kwargs):
    transaction.on_commit(data_changed)
