"""Follow-up work other apps attach to activity events, without the activities app
importing them (they sit above it).

An app registers a callable in its AppConfig.ready(); the activities services call each one
after the transaction commits, with the activity's id.

    HELD.append(send_evaluations)      # klynge.evaluations: e-mail the attendees
"""

from collections.abc import Callable

from klynge.core.panels import PanelRegistry

#: Called with the activity id when an activity is marked held.
HELD: list[Callable[[int], None]] = []

#: Panels other apps show on an activity's page (see klynge.core.panels).
DETAIL_PANELS = PanelRegistry()


def register_detail_panel(template: str, context: Callable) -> None:
    DETAIL_PANELS.register(template, context)


def render_detail_panels(request, activity) -> list[str]:
    """The registered panels of an activity's page, rendered in registration order."""
    return DETAIL_PANELS.render(request, activity)
