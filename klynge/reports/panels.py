"""The reports' panel on the overview page: a grant giver's way in to what they may see."""

from klynge.core.roles import Role


def grant_giver_panel(request):
    if request.user.role != Role.GRANT_GIVER:
        return None
    from klynge.reports.views_status import report_entries

    return {"entries": report_entries()}
