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


#: Where a role lands instead of the overview (role -> URL name); apps register theirs in
#: AppConfig.ready(), e.g. the member portal for members.
LANDINGS: dict[str, str] = {}


def register_landing(role: str, url_name: str) -> None:
    LANDINGS[str(role)] = url_name


def landing_for(request) -> str | None:
    """The URL a signed-in user lands on instead of the overview, if their role has one that
    they may open (a member without a current membership stays on the overview)."""
    from django.urls import NoReverseMatch, resolve, reverse

    from klynge.core.permissions import declared_access, user_may

    name = LANDINGS.get(getattr(request.user, "role", None) or "")
    if not name:
        return None
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    declared = declared_access(resolve(url).func)
    return url if declared is not None and user_may(request.user, declared) else None
