from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "chibo.households"
    label = "households"
    verbose_name = _("Hộ dân phụ trách")

    def ready(self) -> None:
        # The agenda's "ý kiến, kiến nghị của nhân dân" point is filled from the liaison log (one hook).
        from chibo.households.selectors import opinions_for_agenda
        from chibo.meetings import agenda

        agenda.register_notes(agenda.K.RESIDENTS, opinions_for_agenda)
