"""The independent validator: checks a schedule against the event, knowing nothing of how it
was made. Used by the tests and after every solver run.

Each violation is a (code, detail) pair; an empty list means the schedule is valid:
- unknown_request: a placement for a request the event does not have;
- bad_slot / bad_table: a slot or table number outside the event;
- double_booking: a participant with two meetings in one slot;
- table_overflow: more meetings in a slot than tables, or two meetings at one table;
- unavailable: a meeting in a slot one of its participants cannot attend;
- wrong_session: a meeting outside the sessions its request allows;
- over_cap: a participant with more meetings than its cap;
- locked_moved: a locked meeting missing or not where it was locked.
"""

from collections import Counter, defaultdict

from klynge.brokerage.domain.model import Event, Schedule


def violations(event: Event, schedule: Schedule) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    known = {r.id: r for r in event.requests}
    per_slot: Counter = Counter()
    tables_used: dict = defaultdict(list)
    busy: dict = defaultdict(list)
    meetings: Counter = Counter()
    for request_id, placement in schedule.placements.items():
        request = known.get(request_id)
        if request is None:
            found.append(("unknown_request", repr(request_id)))
            continue
        slot = placement.slot
        if not 0 <= slot < event.n_slots:
            found.append(("bad_slot", f"{request_id!r} in slot {slot}"))
            continue
        if placement.table is not None:
            if not 0 <= placement.table < event.tables:
                found.append(("bad_table", f"{request_id!r} at table {placement.table}"))
            tables_used[(slot, placement.table)].append(request_id)
        per_slot[slot] += 1
        if request.sessions and event.slot_sessions[slot] not in request.sessions:
            found.append(("wrong_session", f"{request_id!r} in slot {slot}"))
        for participant in request.pair:
            busy[(participant, slot)].append(request_id)
            meetings[participant] += 1
            if slot in event.unavailable.get(participant, ()):
                found.append(("unavailable", f"{participant!r} in slot {slot}"))
    for (participant, slot), ids in sorted(busy.items(), key=repr):
        if len(ids) > 1:
            found.append(("double_booking", f"{participant!r} in slot {slot}: {ids!r}"))
    for slot, count in sorted(per_slot.items()):
        if count > event.tables:
            found.append(("table_overflow", f"slot {slot}: {count} meetings, "
                                            f"{event.tables} tables"))
    for (slot, table), ids in sorted(tables_used.items(), key=repr):
        if len(ids) > 1:
            found.append(("table_overflow", f"slot {slot} table {table}: {ids!r}"))
    for participant, cap in event.caps.items():
        if cap is not None and meetings[participant] > cap:
            found.append(("over_cap", f"{participant!r}: {meetings[participant]} > {cap}"))
    for request_id, locked in event.locked.items():
        placement = schedule.placements.get(request_id)
        if placement is None or placement.slot != locked.slot or (
                locked.table is not None and placement.table != locked.table):
            found.append(("locked_moved", repr(request_id)))
    return found


def is_valid(event: Event, schedule: Schedule) -> bool:
    return not violations(event, schedule)
