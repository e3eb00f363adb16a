"""Where attachments are stored: ``settings.ATTACHMENTS_STORAGE`` (the filesystem under MEDIA_ROOT by
default, an S3-compatible bucket in production), read when first used and again after a test changes
the setting, so the model field never captures one backend at import time."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.module_loading import import_string


class AttachmentStorage(LazyObject):
    def _setup(self):
        config = settings.ATTACHMENTS_STORAGE
        self._wrapped = import_string(config["BACKEND"])(**config.get("OPTIONS", {}))


attachment_storage = AttachmentStorage()


def get_attachment_storage():
    """The FileField's storage (a callable, so migrations name this function, not a backend)."""
    return attachment_storage


def is_local(storage) -> bool:
    """Whether files sit on this machine's disk (nginx's X-Accel-Redirect can send them)."""
    return isinstance(storage, FileSystemStorage)


@receiver(setting_changed)
def _reset_storage(*, setting, **kwargs):
    if setting in {"ATTACHMENTS_STORAGE", "MEDIA_ROOT"}:
        attachment_storage._wrapped = empty
