from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "chibo.supervision"
    label = "supervision"
    verbose_name = _("Phân công dự sinh hoạt chi bộ")
