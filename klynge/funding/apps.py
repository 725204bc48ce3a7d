from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "klynge.funding"
    label = "funding"
    verbose_name = _("Grants and budgets")

    def ready(self):
        from klynge.core.context_processors import NAVIGATION

        entry = (_("Grants"), "funding:grant_list")
        if all(name != entry[1] for _label, name in NAVIGATION):
            NAVIGATION.append(entry)
