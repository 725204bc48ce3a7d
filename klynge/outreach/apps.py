from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "klynge.outreach"
    label = "outreach"
    verbose_name = _("Segments and invitations")

    def ready(self):
        from klynge.activities import hooks
        from klynge.core.context_processors import register_navigation
        from klynge.outreach import panels

        register_navigation(_("Invitations"), "outreach:invitation_list")
        hooks.register_detail_panel("outreach/_activity_panel.html", panels.activity_panel)
