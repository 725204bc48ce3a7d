"""Evaluations' panel on the overview page (cluster team only)."""

from klynge.core.roles import CLUSTER_TEAM
from klynge.evaluations import selectors


def team_panel(request):
    if request.user.role not in CLUSTER_TEAM:
        return None
    return selectors.open_surveys_overview()


def activity_panel(request, activity):
    """The evaluation of one activity, for its page: surveys, response rates, satisfaction."""
    from klynge.evaluations.selectors import survey_summary_for_activity

    return {"evaluation": survey_summary_for_activity(activity)}
