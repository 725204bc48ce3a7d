"""How activities take part in access requests and erasure (see klynge/ecosystem/privacy.py).

Registrations and focus-network memberships are kept on erasure: participation is counted in
the KPIs and reports (unique participants, the grant givers' participant data), and the
person they point to is anonymised by the ecosystem. Only the answers to registration
questions (free text such as dietary needs) are removed.
"""

from django.db.models import Q

from klynge.activities.models import FocusNetworkMember, Registration
from klynge.ecosystem.models import Person


def export_person(person) -> dict[str, list[dict]]:
    registrations = [
        {"activity": r.activity.title, "activity_id": r.activity_id,
         "starts_at": r.activity.starts_at,
         "organisation": r.organisation.name if r.organisation else "",
         "role": r.role, "status": r.status, "source": r.source, "answers": r.answers,
         "registered_at": r.created_at, "cancelled_at": r.cancelled_at,
         "attended": r.attended, "checked_in_at": r.checked_in_at}
        for r in Registration.objects.filter(person=person)
        .select_related("activity", "organisation").order_by("created_at", "pk")
    ]
    networks = [
        {"network": m.network.name, "joined_on": m.joined_on, "left_on": m.left_on}
        for m in FocusNetworkMember.objects.filter(person=person).select_related("network")
    ]
    return {"registrations": registrations, "focus_networks": networks}


def erase_person(person, *, actor=None) -> dict:
    answers = Registration.objects.filter(person=person).exclude(answers={}).update(answers={})
    return {
        "registrations_kept": Registration.objects.filter(person=person).count(),
        "registration_answers_removed": answers,
    }


def active_person_ids(*, since):
    """People registered on or after `since`, or for an activity starting on or after it."""
    return Person.objects.filter(
        Q(registrations__created_at__gte=since) | Q(registrations__activity__starts_at__gte=since)
    ).values("pk")
