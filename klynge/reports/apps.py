from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "klynge.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from klynge.core.context_processors import register_navigation

        register_navigation(_("Reports"), "reports:index")
