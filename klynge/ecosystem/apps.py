from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    name = "klynge.ecosystem"
    label = "ecosystem"
    verbose_name = _("Ecosystem registry")

    def ready(self):
        from klynge.core.context_processors import register_navigation
        from klynge.core.home import register_panel
        from klynge.ecosystem import panels

        for label, name in (
            (_("Organisations"), "ecosystem:organisation_list"),
            (_("People"), "ecosystem:person_list"),
            (_("Interactions"), "ecosystem:interaction_list"),
            (_("Follow-ups"), "ecosystem:my_followups"),
            (_("Memberships"), "ecosystem:membership_list"),
            (_("Renewals"), "ecosystem:renewals"),
            (_("Import"), "ecosystem:import_start"),
        ):
            register_navigation(label, name)

        register_panel("ecosystem/panel_team.html", panels.team_panel, order=10)
        register_panel("ecosystem/panel_member.html", panels.member_panel, order=10)
        register_panel("ecosystem/panel_grant_giver.html", panels.grant_giver_panel, order=10)
