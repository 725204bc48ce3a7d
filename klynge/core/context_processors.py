"""Values every page template needs: the cluster's name and the navigation for the role."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from klynge.core.permissions import declared_access, user_may

# (label, url name): shown when the user's role may open the page.
NAVIGATION = [
    (_("Overview"), "core:home"),
    (_("Organisations"), "ecosystem:organisation_list"),
    (_("People"), "ecosystem:person_list"),
    (_("Interactions"), "ecosystem:interaction_list"),
    (_("Follow-ups"), "ecosystem:my_followups"),
    (_("Memberships"), "ecosystem:membership_list"),
    (_("Renewals"), "ecosystem:renewals"),
    (_("Import"), "ecosystem:import_start"),
]


def _navigation(request):
    from django.urls import resolve

    items = []
    for label, name in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        declared = declared_access(resolve(url).func)
        if declared is not None and user_may(request.user, declared):
            active = request.path == url or (
                url != "/" and request.path.startswith(url.rstrip("/") + "/")
            )
            items.append({"label": label, "url": url, "active": active})
    return items


def klynge(request):
    user = getattr(request, "user", None)
    return {
        "cluster_name": settings.KLYNGE_CLUSTER_NAME,
        "navigation": _navigation(request) if user and user.is_authenticated else [],
    }
