from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "klynge.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from klynge.activities import selectors
        from klynge.activities.views import panels
        from klynge.core.context_processors import register_navigation
        from klynge.core.home import register_panel
        from klynge.ecosystem.selectors import ORGANISATION_TIMELINE, PERSON_TIMELINE

        for providers, provider in (
            (ORGANISATION_TIMELINE, selectors.organisation_registrations),
            (ORGANISATION_TIMELINE, selectors.organisation_co_organised),
            (PERSON_TIMELINE, selectors.person_registrations),
        ):
            if provider not in providers:
                providers.append(provider)
        register_panel("activities/panel_team.html", panels.team_panel, order=20)
        register_navigation(_("Activities"), "activities:activity_list",
                            after="ecosystem:import_start")
