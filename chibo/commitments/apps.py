from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "chibo.commitments"
    label = "commitments"
    verbose_name = _("Học tập và làm theo Bác")
