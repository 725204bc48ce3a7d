"""Registries through which higher apps extend the registry's pages (see klynge.core.panels).

    ORGANISATION_PANELS.register(template, context)   # from a higher app's AppConfig.ready()
"""

from klynge.core.panels import PanelRegistry

#: Panels on an organisation's page (matchmaking's suggestions, CORDIS history, …).
ORGANISATION_PANELS = PanelRegistry()
