"""How outreach takes part in access requests and erasure (see klynge/ecosystem/privacy.py).

Deliveries (which invitation went to the person, and what happened) are kept so the counts of
an invitation do not change; the address each one was sent to is replaced by the person's
anonymised address.
"""

from klynge.ecosystem.privacy import erased_email
from klynge.outreach.models import Delivery


def export_person(person) -> dict[str, list[dict]]:
    return {"invitations_received": [
        {"invitation": d.invitation.subject, "email": d.email, "status": d.status,
         "sent_at": d.sent_at, "error": d.error}
        for d in Delivery.objects.filter(person=person).select_related("invitation")
        .order_by("pk")
    ]}


def erase_person(person, *, actor=None) -> dict:
    changed = Delivery.objects.filter(person=person).update(email=erased_email(person), error="")
    return {"deliveries_kept": changed}
