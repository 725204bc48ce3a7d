"""How B2B meeting events take part in access requests and erasure (klynge/ecosystem/privacy.py).

Participants and meetings are kept (the event's statistics count them; the organisation keeps
its history). The person's marketplace entry (headline, offers, looking for) is blanked and
taken out of the marketplace, and their name, e-mail and phone are removed from the meeting
messages.
"""

from django.db.models import Q

from klynge.brokerage.models import Meeting, Participant
from klynge.core.audit import redact_value
from klynge.ecosystem.models import Person
from klynge.ecosystem.privacy import person_needles


def _meetings(person):
    return Meeting.objects.filter(Q(requester__person=person) | Q(recipient__person=person))


def export_person(person) -> dict[str, list[dict]]:
    participants = [
        {"event": str(p.event), "organisation": p.organisation.name if p.organisation else "",
         "headline": p.headline, "offers": p.offers, "seeks": p.seeks,
         "shown_in_marketplace": p.is_listed, "registered_at": p.created_at,
         "withdrawn_at": p.withdrawn_at}
        for p in Participant.objects.filter(person=person).select_related("event", "organisation")
    ]
    meetings = []
    for m in _meetings(person).select_related(
            "requester__person", "recipient__person", "requester__organisation",
            "recipient__organisation", "slot").order_by("pk"):
        mine = m.requester if m.requester.person_id == person.pk else m.recipient
        other = m.other(mine)
        meetings.append({
            "meeting_id": m.pk, "requested_by_you": mine.pk == m.requester_id,
            "with_organisation": other.organisation.name if other.organisation else "",
            "status": m.status, "message": m.message, "answer": m.answer_message,
            "starts_at": m.slot.starts_at if m.slot else None, "attendance": m.attendance,
        })
    return {"brokerage_participations": participants, "brokerage_meetings": meetings}


def erase_person(person, *, actor=None) -> dict:
    entries = Participant.objects.filter(person=person).update(
        headline="", offers="", seeks="", is_listed=False)
    needles, scrubbed = person_needles(person), 0
    for meeting in _meetings(person):
        texts = {field: redact_value(getattr(meeting, field), needles)
                 for field in ("message", "answer_message")}
        if any(getattr(meeting, field) != text for field, text in texts.items()):
            Meeting.objects.filter(pk=meeting.pk).update(**texts)
            scrubbed += 1
    return {"participants_kept": entries, "meetings_kept": _meetings(person).count(),
            "meetings_scrubbed": scrubbed}


def active_person_ids(*, since):
    """People taking part in a B2B event, or in a meeting, registered on or after `since`."""
    return Person.objects.filter(
        Q(brokerage_participations__created_at__gte=since)
        | Q(brokerage_participations__requests_made__created_at__gte=since)
        | Q(brokerage_participations__requests_received__created_at__gte=since)
    ).values("pk")
