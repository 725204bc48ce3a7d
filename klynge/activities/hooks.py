"""Follow-up work other apps attach to activity events, without the activities app
importing them (they sit above it).

An app registers a callable in its AppConfig.ready(); the activities services call each one
after the transaction commits, with the activity's id.

    HELD.append(send_evaluations)      # klynge.evaluations: e-mail the attendees
"""

from collections.abc import Callable

#: Called with the activity id when an activity is marked held.
HELD: list[Callable[[int], None]] = []

#: Panels other apps show on an activity's page: (template, context function). The function
#: gets (request, activity) and returns the template's context, or None to show nothing.
DETAIL_PANELS: list[tuple[str, Callable]] = []


def register_detail_panel(template: str, context: Callable) -> None:
    if all(existing != template for existing, _function in DETAIL_PANELS):
        DETAIL_PANELS.append((template, context))


def render_detail_panels(request, activity) -> list[str]:
    """The registered panels of an activity's page, rendered in registration order."""
    from django.template.loader import render_to_string

    rendered = []
    for template, context in DETAIL_PANELS:
        values = context(request, activity)
        if values is not None:
            rendered.append(render_to_string(template, values, request=request))
    return rendered
