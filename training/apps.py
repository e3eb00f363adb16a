from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """The talent programme (人才培养): modules, selection, practice, certificates, talent pool."""

    name = "training"
    verbose_name = _("Talent programme")
