from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "klynge.api"
    label = "api"
    verbose_name = _("API and webhooks")

    def ready(self) -> None:
        from klynge.api.webhooks_events import on_audit_entry
        from klynge.core.audit import register_listener
        from klynge.core.context_processors import register_navigation

        # Webhooks follow the audit log: no domain service knows about them.
        register_listener(on_audit_entry)
        register_navigation(_("Webhooks"), "api:webhook_list")
