from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "klynge.portal"
    label = "portal"
    verbose_name = _("Member portal")

    def ready(self):
        from klynge.core.context_processors import register_navigation
        from klynge.core.home import register_landing
        from klynge.core.roles import Role

        # Members land on the portal's home page instead of the team's overview.
        register_landing(Role.MEMBER, "portal:home")

        # --- H4: the member's home, profiles, history; the staff's invitation list ---------
        # (each entry shows only to the roles its page declares)
        register_navigation(_("My organisation"), "portal:home")
        register_navigation(_("Profile"), "portal:organisation", after="portal:home")
        register_navigation(_("History"), "portal:history", after="portal:organisation")
        register_navigation(_("Portal invitations"), "portal:invitation_list")

        # --- H5: partners, activities, evaluations (add entries below this line) ----------
        register_navigation(_("Partners"), "portal:partners", after="portal:history")
        register_navigation(_("Activities"), "portal:activities", after="portal:partners")
        register_navigation(_("Evaluations"), "portal:evaluations", after="portal:activities")
