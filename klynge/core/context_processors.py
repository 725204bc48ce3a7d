"""Values every page template needs: the cluster's name and the navigation for the role."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from klynge.core.permissions import declared_access, user_may

# (label, url name): shown when the user's role may open the page. Apps add theirs with
# register_navigation() from AppConfig.ready(), so the core names no app.
NAVIGATION = [(_("Overview"), "core:home")]


def register_navigation(label, url_name: str, *, after: str | None = None) -> None:
    """Add a top-level menu entry (once), optionally right after another entry."""
    if any(name == url_name for _label, name in NAVIGATION):
        return
    names = [name for _label, name in NAVIGATION]
    position = names.index(after) + 1 if after in names else len(NAVIGATION)
    NAVIGATION.insert(position, (label, url_name))


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
            items.append({"label": label, "url": url, "active": False})
    # One active entry: the one whose URL is the longest prefix of the page's path (the
    # portal's home /portal/ must not stay lit on /portal/partners/).
    matching = [item for item in items if request.path == item["url"] or (
        item["url"] != "/" and request.path.startswith(item["url"].rstrip("/") + "/"))]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return items


def klynge(request):
    user = getattr(request, "user", None)
    return {
        "cluster_name": settings.KLYNGE_CLUSTER_NAME,
        "navigation": _navigation(request) if user and user.is_authenticated else [],
    }
