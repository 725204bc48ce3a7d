"""How the member portal takes part in access requests, erasure and retention (see
klynge/privacy/registry.py for the contract).

The portal's own personal data are the invitations to sign in: the address they went to,
who sent them and what became of them. They count in no figure, so erasure deletes them
(an open link must not outlive the person's data); the login itself belongs to the core.
"""

from django.db.models import Q

from klynge.ecosystem.models import Person
from klynge.portal.models import Invitation


def export_person(person) -> dict[str, list[dict]]:
    rows = [
        {"invitation_id": i.pk, "organisation": i.organisation.name, "email": i.email,
         "invited_by": str(i.invited_by or ""), "message": i.message,
         "invited_at": i.created_at, "last_sent_at": i.sent_at, "times_sent": i.send_count,
         "expires_at": i.expires_at, "accepted_at": i.accepted_at, "revoked_at": i.revoked_at,
         "status": i.status}
        for i in Invitation.objects.filter(person=person)
        .select_related("organisation", "invited_by").order_by("pk")
    ]
    return {"portal_invitations": rows}


def erase_person(person, *, actor=None) -> dict:
    deleted, _by_model = Invitation.objects.filter(person=person).delete()
    return {"portal_invitations_deleted": deleted}


def active_person_ids(*, since):
    """People invited to, or signing up for, the portal on or after `since`."""
    recent = Invitation.objects.filter(Q(created_at__gte=since) | Q(sent_at__gte=since)
                                       | Q(accepted_at__gte=since))
    return Person.objects.filter(pk__in=recent.values("person_id")).values("pk")
