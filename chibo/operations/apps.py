from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the system: backup and restore with checksums, retention of uploaded files (C18)."""

    name = "chibo.operations"
    label = "operations"
    verbose_name = _("Vận hành")
