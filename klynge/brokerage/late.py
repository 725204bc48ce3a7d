"""Late placement into a published schedule without a rebuild (the kept state).

Building the domain event from the database (participants, meetings, unavailability) costs
about a second at 3,000 participants, the LP bound seconds, and the validator 0.15 s: too
much for one meeting accepted during the day. So each process keeps, per event, the state
of the schedule it last saved (`LateEntry`: the domain event, an `incremental.LatePlacer`
with the published and locked meetings frozen, the bound, the meetings' columns) and checks,
before using it, that the database still holds exactly that state plus new accepted
meetings:
- `inputs_marker`: everything else the scheduler reads (the event's cap, the slots, the
  tables, the types' caps, the participants' cap/type/withdrawal, the unavailable slots),
  as a few aggregates (pk-weighted sums) — any difference and the entry is dropped (a
  profile edit does not count: only what the scheduler reads);
- the meetings: those changed since the entry's latest change (updated_at at or after its
  stamp, less a MARGIN for transactions that committed late) are read, and the meetings'
  count and sum of pks (`meetings_checksum`, read from the index alone) must match the
  entry's with them (a deleted meeting is noticed so). This relies on every write of a
  meeting's scheduling columns setting updated_at: `save()` does, and so do the bulk
  writes (`adapter.save`, `schedule_publish`, `participant_set_unavailable`, and `save`
  here). (A checksum of every column, pk-weighted sums, read as one aggregate, was
  measured first: 16 ms at 10,500 meetings, a third of the budget.)
The only change taken incrementally is a meeting newly accepted between two active
participants, not yet placed; anything else (a cancellation, a move, a lock, a withdrawal,
another process's run) rebuilds from the database.

Used by `services.scheduling`: a full run or a rebuilt late run `seed`s the state after
saving (kept once the transaction commits), a publication updates it (`published`), and a
late placement calls `plan_for` (None: rebuild), `place`, `check` (the validator on the part
the changes touch), `unchanged` (the last check before writing) and `save`.
"""

from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from klynge.brokerage.adapter import Built
from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.domain.model import (
    Event,
    Request,
    Schedule,
    breaks,
    breaks_of,
    value,
)
from klynge.brokerage.domain.validate import violations
from klynge.brokerage.models import (
    BrokerageEvent,
    Meeting,
    Participant,
    ParticipationType,
    Slot,
    Table,
)

#: Meetings changed this long before the kept state's latest change are read again too: a
#: transaction that set updated_at earlier may have committed later.
MARGIN = timedelta(seconds=10)


def meetings_checksum(record: BrokerageEvent) -> tuple:
    """(how many meetings the event has, the sum of their pks): read from the index alone."""
    found = Meeting.objects.filter(event=record).aggregate(n=Count("pk"), pks=Sum("pk"))
    return (found["n"], found["pks"] or 0)


#: A meeting's scheduling columns, as kept in the late entry.
ROW = ("pk", "requester_id", "recipient_id", "priority", "status", "slot_id", "table_id",
       "locked", "published_slot_id", "published_table_id")


def inputs_marker(record: BrokerageEvent) -> tuple:
    """The scheduler's inputs other than the meetings, as a few aggregates (see above). (One
    query of scalar subqueries instead was measured slower: 43 against 14 ms.)"""
    through = Participant.unavailable.through
    return (
        tuple(BrokerageEvent.objects.filter(pk=record.pk).values_list("meeting_cap",
                                                                       flat=True)),
        tuple(Slot.objects.filter(event=record).order_by("starts_at", "pk").values_list(
            "pk", "session_id", "is_break")),
        tuple(ParticipationType.objects.filter(event=record).order_by("pk").values_list(
            "pk", "meeting_cap")),
        tuple(Table.objects.filter(event=record).aggregate(
            n=Count("pk"), order=Sum(F("pk") * F("position")), last=Max("pk")).values()),
        tuple(Participant.objects.filter(event=record).aggregate(
            n=Count("pk"), active=Sum("pk", filter=Q(withdrawn_at__isnull=True)),
            cap=Sum(F("pk") * F("meeting_cap")),
            kind=Sum(F("pk") * F("participation_type_id"))).values()),
        tuple(through.objects.filter(  # the (participant, slot) index covers this
            participant_id__in=Participant.objects.filter(event=record).values("pk")).aggregate(
            n=Count("pk"), cells=Sum(F("participant_id") * F("slot_id"))).values()),
    )


@dataclass
class LateEntry:
    """One event's schedule as this process last saved it (see above)."""

    event_pk: int
    marker: tuple
    checksum: tuple  # meetings_checksum of `rows`
    stamp: object  # the meetings' latest updated_at
    verified: object  # the latest updated_at when every row was read (see plan_for)
    rows: dict  # meeting pk → its ROW
    slot_pks: list
    table_pks: list
    slot_index: dict
    table_index: dict
    active: frozenset
    base: Event  # the domain event (requests grow in the placer)
    placements: dict  # request id → Placement, as stored
    fixed: dict  # frozen (published or locked) request id → its placement
    bound: float | None
    bound_meetings: int | None
    requests: dict = field(default_factory=dict)  # request id → Request, new ones too
    value: float = 0.0  # the weighted value of `placements`
    breaks: int = 0  # their total of breaks
    placer: object = None  # incremental.LatePlacer, made on first use
    by_participant: dict = field(default_factory=dict)  # participant → its placed requests
    cells: dict = field(default_factory=dict)  # (slot, table) → request id

    def make_placer(self):
        from klynge.brokerage.domain.incremental import LatePlacer

        if len(self.requests) != len(self.base.requests):  # with the late ones placed so far
            self.base = replace(self.base, requests=tuple(self.requests.values()))
        self.placer = LatePlacer(self.base, Schedule(dict(self.placements)),
                                 frozen=self.fixed.keys())
        self.by_participant, self.cells = {}, {}
        for rid, placement in self.placements.items():
            for p in self.requests[rid].pair:
                self.by_participant.setdefault(p, set()).add(rid)
            self.cells[(placement.slot, placement.table)] = rid
        return self.placer


_late: dict[int, LateEntry] = {}


def forget(record_pk: int | None = None) -> None:
    """Drop the kept state of one event (None: of every event)."""
    if record_pk is None:
        _late.clear()
    else:
        _late.pop(record_pk, None)


def entry_of(record_pk: int) -> LateEntry | None:
    return _late.get(record_pk)


def _read_rows(record, *, exclude=None, **since) -> tuple[dict, object]:
    """The meetings' ROWs by pk (those changed at or after `updated_at__gte`, if given, but
    not at `exclude`) and their latest updated_at."""
    rows, stamp = {}, None
    found = Meeting.objects.filter(event=record, **since)
    if exclude is not None:
        found = found.exclude(updated_at=exclude)
    for *row, updated_at in found.values_list(*ROW, "updated_at"):
        rows[row[0]] = tuple(row)
        stamp = updated_at if stamp is None or updated_at > stamp else stamp
    return rows, stamp


def _checksum_of(rows: dict) -> tuple:
    return (len(rows), sum(rows))


def seed(built: Built, schedule: Schedule, *, bound, bound_meetings) -> LateEntry:
    """Keep the state just saved (call inside the transaction, after `save`; the entry is
    kept once the transaction commits)."""
    record = built.record
    rows, stamp = _read_rows(record)
    published = {pk for pk in built.meetings if rows[pk][8] is not None}
    frozen = published | set(built.event.locked)
    entry = LateEntry(
        event_pk=record.pk, marker=inputs_marker(record), checksum=_checksum_of(rows),
        stamp=stamp, verified=stamp,
        rows=rows, slot_pks=[s.pk for s in built.slots], table_pks=[t.pk for t in built.tables],
        slot_index=dict(built.slot_index), table_index=dict(built.table_index),
        active=frozenset(built.participants), base=replace(built.event, locked={}),
        placements=dict(schedule.placements),
        fixed={rid: schedule.placements[rid] for rid in frozen if rid in schedule.placements},
        bound=bound, bound_meetings=bound_meetings, requests=dict(built.event._by_id()),
        value=float(value(built.event, schedule)),
        breaks=sum(breaks(built.event, schedule).values()))
    transaction.on_commit(lambda: _keep(entry))
    return entry


#: At most this many events' states are kept per process (the least recently kept go).
LATE_KEPT = 8


def _keep(entry: LateEntry) -> None:
    _late.pop(entry.event_pk, None)
    _late[entry.event_pk] = entry
    while len(_late) > LATE_KEPT:
        _late.pop(next(iter(_late)))


def published(record_pk: int) -> None:
    """After a publication (on commit): every accepted meeting's place is now its published
    place, and frozen. The kept state follows when the database holds exactly that (read
    again, all rows), else it is dropped."""
    entry = _late.get(record_pk)
    if entry is None:
        return
    expected = {}
    for pk, row in entry.rows.items():
        if row[4] == MeetingStatus.ACCEPTED:
            expected[pk] = (*row[:8], row[5], row[6])
        else:
            expected[pk] = (*row[:8], None, None)
    rows, stamp = _read_rows(BrokerageEvent(pk=record_pk))
    if rows != expected:
        forget(record_pk)
        return
    entry.rows, entry.stamp, entry.verified = rows, stamp, stamp
    entry.fixed = {rid: placement for rid, placement in entry.placements.items()
                   if rows[rid][8] is not None or rows[rid][7]}
    entry.make_placer()


@dataclass
class LatePlan:
    """New accepted meetings to place into a kept state, and what was read to decide it."""

    entry: LateEntry
    marker: tuple
    checksum: tuple
    stamp: object
    new_rows: list  # the touched rows, as read
    requests: list  # the new requests (domain)


def plan_for(record: BrokerageEvent) -> LatePlan | None:
    """The new accepted meetings to place incrementally, or None when the kept state is
    missing or does not match the database (then it is dropped: rebuild)."""
    entry = _late.get(record.pk)
    if entry is None:
        return None
    if inputs_marker(record) != entry.marker:
        forget(record.pk)
        return None
    checksum = meetings_checksum(record)
    # The rows of the last full read with its latest updated_at (those a bulk write such as
    # a publication or a full run just set, often thousands) are known as read; a row written
    # since has a newer updated_at.
    touched, stamp = _read_rows(
        record, updated_at__gte=entry.stamp - MARGIN,
        exclude=entry.verified) if entry.stamp is not None else ({}, None)
    count, pks = entry.checksum
    requests = []
    for pk, row in touched.items():
        old = entry.rows.get(pk)
        if old == row:
            continue
        if old is None:
            count, pks = count + 1, pks + pk
        elif old[4] == MeetingStatus.ACCEPTED:  # a request of the schedule changed: rebuild
            forget(record.pk)
            return None
        _pk, a, b, priority, status, slot, table, locked, published, published_table = row
        if status != MeetingStatus.ACCEPTED:
            continue
        if (slot, table, published, published_table) != (None, None, None, None) or locked \
                or a not in entry.active or b not in entry.active:
            forget(record.pk)
            return None
        requests.append(Request(pk, a, b, float(priority)))
    if (count, pks) != checksum:  # a meeting deleted, or written without updated_at
        forget(record.pk)
        return None
    return LatePlan(entry=entry, marker=entry.marker, checksum=checksum,
                    stamp=max(entry.stamp, stamp) if stamp is not None else entry.stamp,
                    new_rows=list(touched.values()), requests=requests)


def unchanged(record: BrokerageEvent, plan: LatePlan) -> bool:
    """True when the event still has the meetings the plan read (the last check before
    writing, inside the transaction: a run on stale data is refused)."""
    return meetings_checksum(record) == plan.checksum


def place(plan: LatePlan) -> dict:
    """Place the plan's new requests (highest priority first) into the kept state; returns
    {request id: Placement} for every meeting placed or moved (with its table)."""
    entry = plan.entry
    placer = entry.placer or entry.make_placer()
    changed = {}
    for request in sorted(plan.requests, key=lambda r: (-r.priority, r.id)):
        entry.requests[request.id] = request
        changed.update(placer.add(request))
    return changed


def check(plan: LatePlan, changed: dict) -> list:
    """The validator on the part of the schedule the changes touch: every meeting of the
    participants involved, and whatever held the changed meetings' new tables, with the
    frozen meetings among them locked where they were. The rest of the schedule is as saved
    and checked before; a slot cannot overflow when every meeting has its own table."""
    entry = plan.entry
    requests = entry.requests
    current = entry.placer.placements
    ids = set(changed)
    for rid in changed:
        for p in requests[rid].pair:
            ids |= entry.by_participant.get(p, set())
        other = entry.cells.get((current[rid].slot, current[rid].table))
        if other is not None:
            ids.add(other)
    base = entry.base
    sub = Event(participants=base.participants, slot_sessions=base.slot_sessions,
                tables=base.tables, requests=tuple(requests[rid] for rid in sorted(ids)),
                unavailable=base.unavailable, caps=base.caps,
                locked={rid: entry.fixed[rid] for rid in ids if rid in entry.fixed})
    return violations(sub, Schedule({rid: current[rid] for rid in ids if rid in current}))


def save(plan: LatePlan, changed: dict) -> tuple[int, int]:
    """Write the changed placements (one update each) and bring the kept state up to date.
    Returns (meetings moved that were scheduled before, change in the total of breaks)."""
    entry = plan.entry
    requests = entry.requests
    affected = {p for rid in changed for p in requests[rid].pair}
    before = sum(breaks_of(entry.placements[rid].slot for rid in entry.by_participant.get(p, ()))
                 for p in affected)
    moved, new = 0, {r.id for r in plan.requests}
    entry.checksum = plan.checksum
    for row in plan.new_rows:
        entry.rows[row[0]] = row
    now = timezone.now()
    for rid, placement in changed.items():
        slot_pk, table_pk = entry.slot_pks[placement.slot], entry.table_pks[placement.table]
        Meeting.objects.filter(pk=rid).update(slot_id=slot_pk, table_id=table_pk,
                                              updated_at=now)
        old_row = entry.rows[rid]
        entry.rows[rid] = (*old_row[:5], slot_pk, table_pk, *old_row[7:])
        old = entry.placements.get(rid)
        if old is not None:
            moved += 1
            if entry.cells.get((old.slot, old.table)) == rid:
                del entry.cells[(old.slot, old.table)]
        entry.placements[rid] = placement
        entry.cells[(placement.slot, placement.table)] = rid
        for p in requests[rid].pair:
            entry.by_participant.setdefault(p, set()).add(rid)
    entry.stamp = max(plan.stamp, now) if changed else plan.stamp
    entry.value += sum(requests[rid].priority for rid in changed if rid in new)
    entry.bound = None if entry.bound is None else \
        entry.bound + sum(r.priority for r in plan.requests)
    entry.bound_meetings = None if entry.bound_meetings is None else \
        entry.bound_meetings + len(plan.requests)
    after = sum(breaks_of(entry.placements[rid].slot for rid in entry.by_participant.get(p, ()))
                for p in affected)
    entry.breaks += after - before
    return moved, after - before
