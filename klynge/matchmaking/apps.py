from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "klynge.matchmaking"
    label = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self):
        from klynge.core.context_processors import register_navigation
        from klynge.ecosystem.hooks import ORGANISATION_PANELS
        from klynge.matchmaking.views import suggestions

        register_navigation(_("Matchmaking"), "matchmaking:home", after="projects:project_list")
        ORGANISATION_PANELS.register("matchmaking/_suggestion_panel.html",
                                     suggestions.organisation_panel)
        # the organisation's EU projects from its linked CORDIS records
        from klynge.matchmaking.selectors_cordis import panel_context as cordis_panel

        ORGANISATION_PANELS.register("matchmaking/cordis_panel.html", cordis_panel)
        # introductions on the organisation's timeline (made, answered, outcomes)
        from klynge.ecosystem.selectors import ORGANISATION_TIMELINE
        from klynge.matchmaking.selectors_introductions import organisation_introductions

        if organisation_introductions not in ORGANISATION_TIMELINE:
            ORGANISATION_TIMELINE.append(organisation_introductions)
