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
        from chibo.meetings.models import AgendaItem

        agenda.register_notes(AgendaItem.Kind.RESIDENTS, opinions_for_agenda)
