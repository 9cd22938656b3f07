from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "chibo.dashboards"
    label = "dashboards"
    verbose_name = _("Bảng theo dõi và cảnh báo")

    def ready(self) -> None:
        # The home page (chibo.core) shows what needs the person now; this app knows what that is.
        from chibo.core import home
        from chibo.dashboards.home import sections

        home.register(sections)
