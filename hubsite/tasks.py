"""The site's operational tasks: worker health and the nightly backup."""

import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from hubsite import backups, health


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, retry_kwargs={"max_retries": 5})
def ping(self, token: str) -> str:
    """A health check that proves a worker picks tasks from the broker and can reach the cache."""
    cache.set(f"celery-ping:{token}", self.request.hostname or "worker", timeout=300)
    return token


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Beat sends this every minute; the stamp a worker leaves is what /healthz/ready/ looks for."""
    health.record_heartbeat()


@shared_task(time_limit=4 * 3600, soft_time_limit=4 * 3600 - 60)
def backup(fresh_minutes: int = 60) -> str | None:
    """The nightly backup (beat). Run twice (a redelivery, a second beat), it writes one archive:
    a run while another is going, or within `fresh_minutes` of the newest archive, does nothing."""
    newest = backups.archives(settings.BACKUP_DIR)[-1:]
    if newest and time.time() - newest[0].stat().st_mtime < fresh_minutes * 60:
        return None
    try:
        return backups.create_backup().name
    except backups.BackupBusy:
        return None
