from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "klynge.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from klynge.core.context_processors import register_navigation
        from klynge.core.home import register_panel
        from klynge.kpis.hooks import register_frozen
        from klynge.reports import panels
        from klynge.reports.services import frozen_reports_store

        register_navigation(_("Reports"), "reports:index")
        register_panel("reports/panel_grant_giver.html", panels.grant_giver_panel, order=11)
        register_frozen(frozen_reports_store)
