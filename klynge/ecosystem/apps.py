from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    name = "klynge.ecosystem"
    label = "ecosystem"
    verbose_name = _("Ecosystem registry")

    def ready(self):
        from klynge.core.home import register_panel
        from klynge.ecosystem import panels

        register_panel("ecosystem/panel_team.html", panels.team_panel, order=10)
        register_panel("ecosystem/panel_member.html", panels.member_panel, order=10)
        register_panel("ecosystem/panel_grant_giver.html", panels.grant_giver_panel, order=10)
