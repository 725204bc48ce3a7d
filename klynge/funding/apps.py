from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "klynge.funding"
    label = "funding"
    verbose_name = _("Grants and budgets")

    def ready(self):
        from klynge.core.context_processors import register_navigation

        register_navigation(_("Grants"), "funding:grant_list")
