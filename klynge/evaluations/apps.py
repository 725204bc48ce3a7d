from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "klynge.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations and surveys")

    def ready(self):
        from klynge.activities import hooks
        from klynge.core.context_processors import register_navigation
        from klynge.core.home import register_panel
        from klynge.evaluations import panels
        from klynge.evaluations.tasks import on_activity_held

        if on_activity_held not in hooks.HELD:
            hooks.HELD.append(on_activity_held)
        register_panel("evaluations/panel_team.html", panels.team_panel, order=40)
        register_navigation(_("Surveys"), "evaluations:survey_list")
        hooks.register_detail_panel(
            "evaluations/_activity_panel.html", panels.activity_panel
        )
