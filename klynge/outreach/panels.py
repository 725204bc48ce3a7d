"""The outreach panel on an activity's page: its invitations and a way to send one."""


def activity_panel(request, activity):
    from klynge.outreach.models import Invitation

    return {
        "activity": activity,
        "invitations": list(
            Invitation.objects.filter(activity=activity).select_related("segment")
            .order_by("-pk")[:10]
        ),
        "can_invite": activity.is_public and activity.status == "open",
    }
