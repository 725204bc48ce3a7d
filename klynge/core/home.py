"""The overview page is made of panels that apps contribute (the core knows no app).

An app registers `(template_name, context_function)` in its AppConfig.ready(); the function
receives the request and returns the panel's context, or None to show nothing for this user.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable
    order: int = 100


PANELS: list[Panel] = []


def register_panel(template: str, context: Callable, *, order: int = 100) -> None:
    if not any(p.template == template for p in PANELS):
        PANELS.append(Panel(template, context, order))


def panels_for(request) -> list[tuple[str, dict]]:
    shown = []
    for panel in sorted(PANELS, key=lambda p: p.order):
        context = panel.context(request)
        if context is not None:
            shown.append((panel.template, context))
    return shown
