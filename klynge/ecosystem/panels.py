"""The registry's panels on the overview page, per role."""

from django.utils import timezone

from klynge.core.roles import CLUSTER_TEAM, Role
from klynge.ecosystem import selectors
from klynge.ecosystem.models import Interaction, Organisation


def team_panel(request):
    """Staff and management: follow-ups due, the member count, the latest interactions."""
    user = request.user
    if user.role not in CLUSTER_TEAM:
        return None
    today = timezone.localdate()
    follow_ups = selectors.open_follow_ups(user=user)
    recent = selectors.interaction_list().order_by("-date", "-pk")
    if not user.sees_all_hubs and user.hub_id:
        recent = recent.filter(hub=user.hub_id)
    return {
        "follow_ups_due": follow_ups.filter(follow_up_date__lte=today).count(),
        "follow_ups_open": follow_ups.count(),
        "paying_members": selectors.paying_members_on(today),
        "organisations": Organisation.objects.count(),
        "renewals": selectors.renewals(window_days=30).count(),
        "recent": list(recent[:6]),
        "hub": user.hub,
    }


def member_panel(request):
    """Members: their organisation as the cluster has it registered."""
    user = request.user
    if user.role != Role.MEMBER or not user.organisation_id:
        return None
    organisation = user.organisation
    return {
        "organisation": organisation,
        "membership": organisation.memberships.current().select_related("tier").first(),
        "interactions": Interaction.objects.filter(organisation=organisation).count(),
    }


def grant_giver_panel(request):
    if request.user.role != Role.GRANT_GIVER:
        return None
    return {"paying_members": selectors.paying_members_on(timezone.localdate())}
