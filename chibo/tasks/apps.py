from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "chibo.tasks"
    label = "tasks"
    verbose_name = _("Nhiệm vụ và kiểm điểm")
