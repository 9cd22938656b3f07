from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriticismConfig(AppConfig):
    name = "chibo.criticism"
    label = "criticism"
    verbose_name = _("Phê bình và tự phê bình")
