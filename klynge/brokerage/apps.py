from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrokerageConfig(AppConfig):
    name = "klynge.brokerage"
    label = "brokerage"
    verbose_name = _("B2B meeting events")

    def ready(self):
        from klynge.brokerage import wiring

        wiring.connect()
