"""Evaluations' panel on the overview page (cluster team only)."""

from klynge.core.roles import CLUSTER_TEAM
from klynge.evaluations import selectors


def team_panel(request):
    if request.user.role not in CLUSTER_TEAM:
        return None
    return selectors.open_surveys_overview()
