"""The fast heuristic on tiny hand-built events: exact schedules, always checked by the
validator."""

from dataclasses import replace

from klynge.brokerage.domain.heuristic import cancel, place_late, reduce_breaks, schedule
from klynge.brokerage.domain.model import Event, Placement, Request, Schedule, breaks, value
from klynge.brokerage.domain.validate import violations


def slots(s: Schedule) -> dict:
    return {rid: p.slot for rid, p in s.placements.items()}


def test_most_constrained_first_then_the_slot_adding_fewest_breaks():
    e = Event(participants=("a", "b", "c"), slot_sessions=(1, 1, 1), tables=2,
              requests=(Request("r1", "a", "b"), Request("r2", "a", "c")),
              unavailable={"c": frozenset({0, 2})})
    s = schedule(e)
    assert violations(e, s) == []
    # r2 can only be in slot 1 and goes first; r1 then sits next to it (earliest of 0 and 2)
    assert s.placements == {"r1": Placement(0, 0), "r2": Placement(1, 0)}
    assert breaks(e, s) == {"a": 0, "b": 0, "c": 0}


def test_an_empty_event_and_one_without_tables_give_empty_schedules():
    e = Event(participants=("a", "b"), slot_sessions=(1,), tables=0,
              requests=(Request("r1", "a", "b"),))
    assert schedule(e).placements == {}
    assert schedule(Event((), (1, 2), 1, ())).placements == {}


def test_a_chain_of_one_ejection_places_a_blocked_request():
    # r2 fits only slot 0, where a already meets b (from the warm start): r1 moves to slot 1
    e = Event(participants=("a", "b", "c"), slot_sessions=(1, 1), tables=2,
              requests=(Request("r1", "a", "b"), Request("r2", "a", "c")),
              unavailable={"c": frozenset({1})})
    s = schedule(e, start=Schedule({"r1": Placement(0, 0)}))
    assert violations(e, s) == []
    assert slots(s) == {"r1": 1, "r2": 0}


def test_a_chain_of_two_ejections():
    # r2 needs slot 0 (a meets b there); r1 can only go to slot 1, where b meets d;
    # r3 moves on to slot 2
    e = Event(participants=("a", "b", "c", "d"), slot_sessions=(1, 1, 1), tables=3,
              requests=(Request("r1", "a", "b"), Request("r2", "a", "c"),
                        Request("r3", "b", "d")),
              unavailable={"c": frozenset({1, 2}), "a": frozenset({2}),
                           "d": frozenset({0})})
    start = Schedule({"r1": Placement(0, 0), "r3": Placement(1, 0)})
    s = schedule(e, start=start)
    assert violations(e, s) == []
    assert slots(s) == {"r1": 1, "r2": 0, "r3": 2}


def test_a_full_slot_is_freed_by_moving_another_meeting():
    # one table; r2 can only be in slot 0, held by r1 (other participants): r1 moves to slot 1
    e = Event(participants=("a", "b", "c", "d"), slot_sessions=(1, 1), tables=1,
              requests=(Request("r1", "a", "b"), Request("r2", "c", "d")),
              unavailable={"c": frozenset({1})})
    s = schedule(e, start=Schedule({"r1": Placement(0, 0)}))
    assert violations(e, s) == []
    assert slots(s) == {"r1": 1, "r2": 0}


def test_sessions_availability_and_caps_are_respected():
    e = Event(participants=("a", "b", "c", "d"), slot_sessions=(1, 1, 2, 2), tables=1,
              requests=(Request("r1", "a", "b", sessions=frozenset({2})),
                        Request("r2", "a", "c"), Request("r3", "a", "d"),
                        Request("r4", "b", "c", sessions=frozenset({2}))),
              unavailable={"b": frozenset({2})}, caps={"a": 2})
    s = schedule(e)
    assert violations(e, s) == []
    # r1 and r4 need slot 3 (afternoon, b away in 2) and one table: r4 gets it, so that a's
    # two meetings (its cap) go to c and d
    assert set(s.placements) == {"r2", "r3", "r4"} and s.slot_of("r4") == 3


def test_a_higher_priority_request_displaces_a_cheaper_meeting():
    # a may have one meeting: the warm start gave it r1 (priority 1); r2 (priority 3) wins
    e = Event(participants=("a", "b", "c"), slot_sessions=(1, 1), tables=2,
              requests=(Request("r1", "a", "b"), Request("r2", "a", "c", 3.0)),
              caps={"a": 1})
    s = schedule(e, start=Schedule({"r1": Placement(0, 0)}))
    assert violations(e, s) == []
    assert slots(s) == {"r2": 0}
    assert value(e, s) == 3.0


def test_fairness_gives_a_meeting_to_someone_who_has_none():
    # a can meet only in slot 0, so b or c; b also meets d, so c gets a
    e = Event(participants=("a", "b", "c", "d"), slot_sessions=(1, 1), tables=2,
              requests=(Request("r1", "a", "b"), Request("r2", "a", "c"),
                        Request("r3", "b", "d")),
              unavailable={"a": frozenset({1})})
    start = Schedule({"r1": Placement(0, 0), "r3": Placement(1, 0)})
    for s in (schedule(e), schedule(e, start=start)):
        assert violations(e, s) == []
        assert slots(s) == {"r2": 0, "r3": 1}


def test_locked_meetings_stay_with_their_tables():
    e = Event(participants=("a", "b", "c"), slot_sessions=(1, 1, 1), tables=2,
              requests=(Request("r1", "a", "b"), Request("r2", "a", "c")),
              locked={"r1": Placement(2, 1)})
    s = schedule(e)
    assert violations(e, s) == []
    assert s.placements == {"r1": Placement(2, 1), "r2": Placement(1, 0)}


def test_reduce_breaks_closes_a_gap_and_keeps_everything_scheduled():
    e = Event(participants=("a", "b", "c"), slot_sessions=(1, 1, 1, 1), tables=2,
              requests=(Request("r1", "a", "b"), Request("r2", "a", "c")))
    s = reduce_breaks(e, Schedule({"r1": Placement(0, 0), "r2": Placement(3, 0)}))
    assert violations(e, s) == []
    assert sum(breaks(e, s).values()) == 0 and set(s.placements) == {"r1", "r2"}
    locked = replace(e, locked={"r1": Placement(0, 0), "r2": Placement(3, 0)})
    s = reduce_breaks(locked, Schedule({"r1": Placement(0, 0), "r2": Placement(3, 0)}))
    assert slots(s) == {"r1": 0, "r2": 3}


def test_reduce_breaks_with_a_fairness_bound_swaps_meetings():
    # a: 0 and 2 (one break); b: 1; c: 2... moving r1 next to r2 by swapping with r3
    e = Event(participants=("a", "b", "c", "d"), slot_sessions=(1, 1, 1), tables=1,
              requests=(Request("r1", "a", "b"), Request("r2", "a", "c"),
                        Request("r3", "c", "d")),
              unavailable={"c": frozenset({0})})
    start = Schedule({"r1": Placement(0, 0), "r3": Placement(1, 0), "r2": Placement(2, 0)})
    assert breaks(e, start)["a"] == 1
    s = reduce_breaks(e, start, d=0)
    assert violations(e, s) == []
    assert slots(s) == {"r1": 0, "r2": 1, "r3": 2}
    assert sum(breaks(e, s).values()) == 0


def test_place_late_uses_a_free_slot_and_keeps_the_rest_with_their_tables():
    e = Event(participants=("a", "b", "c"), slot_sessions=(1, 1, 1), tables=2,
              requests=(Request("r1", "a", "b"), Request("r2", "a", "c")))
    before = Schedule({"r1": Placement(0, 1)})
    s = place_late(e, before, ["r2"])
    assert violations(e, s) == []
    assert s.placements == {"r1": Placement(0, 1), "r2": Placement(1, 0)}


def test_place_late_moves_an_unpublished_meeting_but_never_a_frozen_or_locked_one():
    e = Event(participants=("a", "b", "c"), slot_sessions=(1, 1), tables=2,
              requests=(Request("r1", "a", "b"), Request("r2", "a", "c")),
              unavailable={"c": frozenset({1})})
    before = Schedule({"r1": Placement(0, 0)})
    s = place_late(e, before, ["r2"])
    assert violations(e, s) == []
    assert s.placements == {"r1": Placement(1, 0), "r2": Placement(0, 0)}
    assert place_late(e, before, ["r2"], frozen={"r1"}).placements == before.placements
    locked = replace(e, locked={"r1": Placement(0, 0)})
    assert place_late(locked, before, ["r2"]).placements == before.placements


def test_cancel_drops_meetings():
    s = Schedule({"r1": Placement(0, 0), "r2": Placement(1, 0)})
    assert cancel(s, ["r1", "zz"]).placements == {"r2": Placement(1, 0)}
    assert s.placements == {"r1": Placement(0, 0), "r2": Placement(1, 0)}
