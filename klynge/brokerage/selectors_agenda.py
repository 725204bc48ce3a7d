"""Reads of the participants' agendas: the personal page by key, the .ics and PDF files, the
publication e-mails and the organiser's all-agendas PDF.

An agenda shows only accepted meetings; once the schedule is published, the published slot
and table (what the participant was told), in time order. Contact details of the other side
are shown for accepted meetings only (an agenda never holds any other).
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.urls import reverse

from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.models import BrokerageEvent, Meeting, Participant


@dataclass(frozen=True)
class AgendaItem:
    meeting_id: int
    starts_at: datetime | None
    ends_at: datetime | None
    table: str
    other_name: str
    organisation: str
    headline: str
    email: str
    phone: str
    message: str
    priority: int


def participant_for_key(key) -> Participant:
    """The active participant of a personal link, or 404 (an unknown key, or withdrawn)."""
    participant = (Participant.objects.select_related("event__activity", "person",
                                                      "organisation")
                   .filter(key=key, withdrawn_at__isnull=True).first())
    if participant is None:
        raise Http404("No such participant")
    return participant


def _accepted(participant: Participant):
    return (Meeting.objects.filter(status=MeetingStatus.ACCEPTED)
            .filter(requester__withdrawn_at__isnull=True, recipient__withdrawn_at__isnull=True)
            .filter(Q(requester=participant) | Q(recipient=participant))
            .select_related("requester__person", "requester__organisation",
                            "recipient__person", "recipient__organisation", "slot", "table",
                            "published_slot", "published_table"))


def _item(meeting: Meeting, participant: Participant, *, published: bool) -> AgendaItem:
    other = meeting.other(participant)
    slot = meeting.published_slot if published else meeting.slot
    table = meeting.published_table if published else meeting.table
    return AgendaItem(
        meeting_id=meeting.pk,
        starts_at=slot.starts_at if slot else None, ends_at=slot.ends_at if slot else None,
        table=table.name if table else "",
        other_name=other.person.full_name,
        organisation=other.organisation.name if other.organisation_id else "",
        headline=other.headline, email=other.person.email, phone=other.person.phone,
        message=meeting.message, priority=meeting.priority,
    )


def agenda(participant: Participant, *, published: bool = True) -> list[AgendaItem]:
    """The participant's meetings in time order: with `published`, those of the published
    schedule at their published place; else the current schedule (scheduled ones only)."""
    meetings = _accepted(participant)
    meetings = (meetings.filter(published_slot__isnull=False) if published
                else meetings.filter(slot__isnull=False))
    items = [_item(m, participant, published=published) for m in meetings]
    return sorted(items, key=lambda i: (i.starts_at, i.meeting_id))


def published_agendas(event: BrokerageEvent, participants) -> dict:
    """Participant pk → its published agenda (as `agenda(published=True)` gives it), read in
    one query for all of them instead of one per participant (the publication e-mails)."""
    wanted = {p.pk for p in participants}
    found: dict = {pk: [] for pk in wanted}
    meetings = (Meeting.objects.filter(event=event, status=MeetingStatus.ACCEPTED,
                                       published_slot__isnull=False,
                                       requester__withdrawn_at__isnull=True,
                                       recipient__withdrawn_at__isnull=True)
                .select_related("requester__person", "requester__organisation",
                                "recipient__person", "recipient__organisation",
                                "published_slot", "published_table"))
    for meeting in meetings:
        for side in (meeting.requester, meeting.recipient):
            if side.pk in wanted:
                found[side.pk].append(_item(meeting, side, published=True))
    for items in found.values():
        items.sort(key=lambda i: (i.starts_at, i.meeting_id))
    return found


def accepted_unplaced(participant: Participant) -> list[AgendaItem]:
    """Accepted meetings without a published time (before publication: all of them)."""
    items = [_item(m, participant, published=True)
             for m in _accepted(participant).filter(published_slot__isnull=True)]
    return sorted(items, key=lambda i: (i.other_name, i.meeting_id))


def is_published(event: BrokerageEvent) -> bool:
    return event.published_at is not None


def base_url() -> str:
    return str(getattr(settings, "KLYNGE_BASE_URL", "http://localhost:8000")).rstrip("/")


def links(participant: Participant) -> dict[str, str]:
    """Absolute links to the participant's agenda page, .ics and PDF (for e-mails)."""
    base = base_url()
    return {
        "agenda": base + reverse("brokerage:me_agenda", args=[participant.key]),
        "ics": base + reverse("brokerage:me_agenda_ics", args=[participant.key]),
        "pdf": base + reverse("brokerage:me_agenda_pdf", args=[participant.key]),
    }


def agendas_for_event(event: BrokerageEvent, *, published: bool) -> list[tuple]:
    """(participant, agenda) for every active participant with at least one meeting, by
    name: the organiser's all-agendas PDF."""
    result = []
    for participant in (Participant.objects.filter(event=event, withdrawn_at__isnull=True)
                        .select_related("person", "organisation")):
        items = agenda(participant, published=published)
        if items:
            result.append((participant, items))
    return result
