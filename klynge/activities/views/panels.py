"""The activities' panel on the overview page."""

from klynge.activities import selectors
from klynge.core.roles import CLUSTER_TEAM

PANEL_SIZE = 6


def team_panel(request):
    """The cluster team: the next activities of their hub (all hubs for management)."""
    user = request.user
    if user.role not in CLUSTER_TEAM:
        return None
    hub_id = None if user.sees_all_hubs else user.hub_id
    upcoming = selectors.upcoming(hub_id=hub_id, include_cancelled=False)
    return {"upcoming": list(upcoming[:PANEL_SIZE]), "count": upcoming.count(),
            "hub": None if user.sees_all_hubs else user.hub}
