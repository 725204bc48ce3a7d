"""The database event as the scheduler's pure `Event`, and a domain `Schedule` back as slot and
table updates.

- Participants are the active participants' pks; requests are the accepted meetings whose both
  sides are active (request id = meeting pk, priority = meeting priority, any session).
- Slots are the event's non-break slots in time order (slot index = position in that list,
  slot session = the Session pk): a break slot is simply not a slot, so meetings either side of
  a coffee break follow each other without counting as a break. Tables are numbered by their
  order (position, pk).
- Unavailable slots become slot indexes; the cap is the participant's, else its type's, else
  the event's (none: no cap).
- Locked meetings and published meetings (announced to the participants: they must not move)
  are locked where they are now.

`current` is the schedule as stored, cleaned of any placement that would break a rule (so the
scheduler can start from it); `save` writes a schedule back in one bulk update.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.domain.model import Event, Placement, Request, Schedule
from klynge.brokerage.models import BrokerageEvent, Meeting, Participant, Slot, Table
from klynge.core.errors import ApplicationError


@dataclass
class Built:
    """The domain event with the maps between its indexes and the database rows."""

    event: Event
    record: BrokerageEvent
    slots: list[Slot]
    tables: list[Table]
    participants: dict[int, Participant]
    meetings: dict[int, Meeting]  # the requests' meetings, by pk
    current: Schedule = field(default_factory=Schedule)
    slot_index: dict[int, int] = field(default_factory=dict)
    table_index: dict[int, int] = field(default_factory=dict)

    def slot_at(self, index: int) -> Slot:
        return self.slots[index]

    def table_at(self, index: int) -> Table:
        return self.tables[index]

    @property
    def published_ids(self) -> set[int]:
        return {pk for pk, m in self.meetings.items() if m.published_slot_id is not None}


def cap_of(participant: Participant, event: BrokerageEvent) -> int | None:
    """The participant's cap, else its type's, else the event's; None: no cap."""
    if participant.meeting_cap is not None:
        return participant.meeting_cap
    kind = participant.participation_type
    if kind is not None and kind.meeting_cap is not None:
        return kind.meeting_cap
    return event.meeting_cap


def refuse_unless_ready(slots, tables) -> None:
    if not slots:
        raise ApplicationError(_("The event has no meeting slots yet: add a session (and make "
                                 "sure not every slot is a break) before scheduling."))
    if not tables:
        raise ApplicationError(_("The event has no tables yet: set the number of tables "
                                 "before scheduling."))


def build(record: BrokerageEvent, *, check: bool = True) -> Built:
    """The domain event of a brokerage event (see the module docstring)."""
    slots = list(Slot.objects.filter(event=record, is_break=False).order_by("starts_at", "pk"))
    tables = list(Table.objects.filter(event=record).order_by("position", "pk"))
    if check:
        refuse_unless_ready(slots, tables)
    slot_index = {s.pk: i for i, s in enumerate(slots)}
    table_index = {t.pk: i for i, t in enumerate(tables)}
    participants = {
        p.pk: p for p in Participant.objects.filter(event=record, withdrawn_at__isnull=True)
        .select_related("person", "organisation", "participation_type")
        .prefetch_related("unavailable")
    }
    meetings = {
        m.pk: m for m in Meeting.objects.filter(
            event=record, status=MeetingStatus.ACCEPTED,
            requester_id__in=participants, recipient_id__in=participants,
        ).order_by("pk")
    }
    requests = tuple(Request(m.pk, m.requester_id, m.recipient_id, float(m.priority))
                     for m in meetings.values())
    unavailable = {}
    for pk, p in participants.items():
        blocked = frozenset(slot_index[s.pk] for s in p.unavailable.all() if s.pk in slot_index)
        if blocked:
            unavailable[pk] = blocked
    caps = {pk: cap for pk, p in participants.items()
            if (cap := cap_of(p, record)) is not None}
    locked = {}
    for pk, m in meetings.items():
        if (m.locked or m.published_slot_id is not None) and m.slot_id in slot_index:
            locked[pk] = Placement(slot_index[m.slot_id], table_index.get(m.table_id))
    event = Event(participants=tuple(participants),
                  slot_sessions=tuple(s.session_id for s in slots), tables=len(tables),
                  requests=requests, unavailable=unavailable, caps=caps, locked=locked)
    built = Built(event=event, record=record, slots=slots, tables=tables,
                  participants=participants, meetings=meetings, slot_index=slot_index,
                  table_index=table_index)
    built.current = _clean(built)
    # A locked meeting that clashes with another (it cannot be where it is) is not kept there.
    kept = {pk: built.current.placements[pk] for pk in locked if pk in built.current.placements}
    if kept != locked:
        built.event = Event(participants=event.participants, slot_sessions=event.slot_sessions,
                            tables=event.tables, requests=requests, unavailable=unavailable,
                            caps=caps, locked=kept)
    return built


def _clean(built: Built) -> Schedule:
    """The stored placements that keep every rule, locked ones first (a placement that would
    double-book someone, overfill a slot or table, break an availability or a cap is left
    out: the scheduler places that meeting again)."""
    event = built.event
    order = sorted(built.meetings.values(),
                   key=lambda m: (m.pk not in event.locked, not m.locked, m.pk))
    busy, tables_taken, per_slot, counts = set(), set(), {}, {}
    placements = {}
    for m in order:
        slot = built.slot_index.get(m.slot_id)
        if slot is None:
            continue
        table = built.table_index.get(m.table_id)
        pair = (m.requester_id, m.recipient_id)
        if any((p, slot) in busy for p in pair):
            continue
        if any(slot in event.unavailable.get(p, ()) for p in pair):
            continue
        if any(event.caps.get(p) is not None and counts.get(p, 0) >= event.caps[p]
               for p in pair):
            continue
        if per_slot.get(slot, 0) >= event.tables:
            continue
        if table is not None and (slot, table) in tables_taken:
            table = None
        placements[m.pk] = Placement(slot, table)
        per_slot[slot] = per_slot.get(slot, 0) + 1
        if table is not None:
            tables_taken.add((slot, table))
        for p in pair:
            busy.add((p, slot))
            counts[p] = counts.get(p, 0) + 1
    # Meetings without a (valid) table get the lowest free one of their slot.
    for pk, placement in list(placements.items()):
        if placement.table is None:
            free = next(t for t in range(event.tables) if (placement.slot, t) not in tables_taken)
            tables_taken.add((placement.slot, free))
            placements[pk] = Placement(placement.slot, free)
    return Schedule(placements)


def save(built: Built, schedule: Schedule) -> int:
    """Write the schedule back to the requests' meetings (slot and table; a meeting without a
    placement is unscheduled): one update per slot and one per table of the meetings that
    changed (a bulk update of thousands of rows, one CASE per row, takes seconds). Returns
    how many meetings that were scheduled before now sit elsewhere or nowhere."""
    by_slot: dict = {}
    by_table: dict = {}
    moved = 0
    for pk, meeting in built.meetings.items():
        placement = schedule.placements.get(pk)
        slot = built.slot_at(placement.slot) if placement else None
        table = (built.table_at(placement.table)
                 if placement and placement.table is not None else None)
        slot_id, table_id = (slot.pk if slot else None), (table.pk if table else None)
        if (slot_id, table_id) == (meeting.slot_id, meeting.table_id):
            continue
        if meeting.slot_id is not None:
            moved += 1
        if slot_id != meeting.slot_id:
            by_slot.setdefault(slot_id, []).append(pk)
        if table_id != meeting.table_id:
            by_table.setdefault(table_id, []).append(pk)
        meeting.slot, meeting.table = slot, table
    now = timezone.now()  # updated_at too: the late state of other processes relies on it
    for column, groups in (("slot_id", by_slot), ("table_id", by_table)):
        for target, pks in groups.items():
            for start in range(0, len(pks), 500):
                Meeting.objects.filter(pk__in=pks[start:start + 500]).update(
                    **{column: target}, updated_at=now)
    return moved


def fingerprint(record: BrokerageEvent) -> tuple:
    """What the scheduler's input and the stored schedule are made of: when it differs after a
    run, someone changed the meetings meanwhile and the run must not be saved over it."""
    meetings = tuple(Meeting.objects.filter(event=record).order_by("pk").values_list(
        "pk", "status", "slot_id", "table_id", "locked", "published_slot_id"))
    participants = tuple(Participant.objects.filter(event=record, withdrawn_at__isnull=True)
                         .order_by("pk").values_list("pk", flat=True))
    return meetings, participants
