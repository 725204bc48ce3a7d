from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "klynge.kpis"
    label = "kpis"
    verbose_name = _("KPIs and targets")

    def ready(self):
        from klynge.core.context_processors import register_navigation
        from klynge.core.home import register_panel
        from klynge.kpis import panels

        register_navigation(_("KPIs"), "kpis:kpi_list")
        register_panel("kpis/panel_management.html", panels.management_panel, order=20)
