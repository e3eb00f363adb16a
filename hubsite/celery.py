"""The Celery app: configured from Django settings (CELERY_*), tasks discovered in every app."""

import logging
import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubsite.settings.local")

app = Celery("hubsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


@worker_ready.connect
def sweep_outbox_at_start(sender=None, **kwargs):
    """A worker that starts (say, after an outage) asks for the outbox to be published at once,
    rather than waiting up to a minute for beat."""
    try:
        app.send_task("hubsite.outbox.sweep", ignore_result=True, retry=False)
    except Exception as error:  # the worker is ready, so this is unlikely; beat sweeps anyway
        logger.warning("could not ask for an outbox sweep at start-up: %s", error)
