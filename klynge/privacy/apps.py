from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "klynge.privacy"
    label = "privacy"
    verbose_name = _("Privacy and consent")

    def ready(self):
        from klynge.core.context_processors import register_navigation

        register_navigation(_("Privacy"), "privacy:overview")
