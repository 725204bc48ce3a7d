"""Panels that higher apps show on a lower app's detail page, without the lower app
importing them.

    ORGANISATION_PANELS = PanelRegistry()        # in the lower app
    ORGANISATION_PANELS.register("matchmaking/_organisation_panel.html", context)  # ready()
    ORGANISATION_PANELS.render(request, organisation)                  # in the view

`context(request, record)` returns the template's context, or None to show nothing.
"""

from collections.abc import Callable

from django.template.loader import render_to_string


class PanelRegistry:
    def __init__(self):
        self.panels: list[tuple[str, Callable]] = []

    def register(self, template: str, context: Callable) -> None:
        if all(existing != template for existing, _function in self.panels):
            self.panels.append((template, context))

    def render(self, request, record) -> list[str]:
        """The registered panels, rendered in registration order."""
        rendered = []
        for template, context in self.panels:
            values = context(request, record)
            if values is not None:
                rendered.append(render_to_string(template, values, request=request))
        return rendered
