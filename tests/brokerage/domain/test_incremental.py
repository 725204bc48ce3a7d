"""LatePlacer: the built state of a published schedule taking late requests one at a time."""

from dataclasses import replace

import pytest

from klynge.brokerage.domain.heuristic import place_late
from klynge.brokerage.domain.incremental import LatePlacer
from klynge.brokerage.domain.model import Event, Placement, Request, Schedule
from klynge.brokerage.domain.validate import violations


def event() -> Event:
    return Event(participants=("a", "b", "c", "d"), slot_sessions=(1, 1, 1), tables=2,
                 requests=(Request("r1", "a", "b"), Request("r2", "c", "d")))


def test_a_late_request_goes_to_a_free_slot_next_to_its_participants_meetings():
    published = Schedule({"r1": Placement(0, 0), "r2": Placement(0, 1)})
    placer = LatePlacer(event(), published, frozen=published.placements)

    changes = placer.add(Request("r3", "a", "c", priority=2))

    assert changes == {"r3": Placement(1, 0)}
    assert placer.schedule().placements == {"r1": Placement(0, 0), "r2": Placement(0, 1),
                                            "r3": Placement(1, 0)}
    assert [r.id for r in placer.event.requests] == ["r1", "r2", "r3"]
    assert violations(placer.event, placer.schedule()) == []


def test_requests_come_one_at_a_time_into_the_same_state():
    published = Schedule({"r1": Placement(0, 0), "r2": Placement(0, 1)})
    placer = LatePlacer(event(), published, frozen=published.placements)
    placer.add(Request("r3", "a", "c"))
    changes = placer.add(Request("r4", "b", "d"))

    assert changes == {"r4": Placement(1, 1)}
    checked = replace(placer.event, locked=dict(published.placements))
    assert violations(checked, placer.schedule()) == []


def test_an_unpublished_meeting_moves_but_a_frozen_one_never_does():
    e = Event(participants=("a", "b", "c"), slot_sessions=(1, 1), tables=2,
              requests=(Request("r1", "a", "b"),), unavailable={"c": frozenset({1})})
    before = Schedule({"r1": Placement(0, 0)})

    moved = LatePlacer(e, before)
    assert moved.add(Request("r2", "a", "c")) == {"r1": Placement(1, 0), "r2": Placement(0, 0)}

    frozen = LatePlacer(e, before, frozen={"r1"})
    assert frozen.add(Request("r2", "a", "c")) == {}
    assert frozen.schedule().placements == {"r1": Placement(0, 0)}


def test_a_moved_meeting_frees_its_table_and_takes_the_lowest_free_one():
    e = Event(participants=("a", "b", "c", "d", "e"), slot_sessions=(1, 1), tables=2,
              requests=(Request("r1", "a", "b"), Request("r2", "d", "e")),
              unavailable={"c": frozenset({1})})
    before = Schedule({"r1": Placement(0, 1), "r2": Placement(1, 0)})
    placer = LatePlacer(e, before, frozen={"r2"})

    changes = placer.add(Request("r3", "a", "c"))

    assert changes == {"r1": Placement(1, 1), "r3": Placement(0, 0)}
    assert violations(placer.event, placer.schedule()) == []


def test_cancel_frees_the_slot_for_the_next_late_request():
    e = Event(participants=("a", "b", "c"), slot_sessions=(1,), tables=1,
              requests=(Request("r1", "a", "b"),))
    published = Schedule({"r1": Placement(0, 0)})
    placer = LatePlacer(e, published, frozen=published.placements)
    assert placer.add(Request("r2", "b", "c")) == {}

    placer.cancel(["r1"])
    assert placer.place(["r2"]) == {"r2": Placement(0, 0)}
    assert placer.schedule().placements == {"r2": Placement(0, 0)}


def test_unknown_participants_and_duplicate_ids_are_refused():
    placer = LatePlacer(event(), Schedule())
    with pytest.raises(ValueError, match="already exists"):
        placer.add(Request("r1", "a", "c"))
    with pytest.raises(ValueError, match="unknown participant"):
        placer.add(Request("r9", "a", "zz"))


def test_place_late_gives_the_same_schedule_as_the_placer():
    e = replace(event(), requests=event().requests + (Request("r3", "a", "c"),))
    published = Schedule({"r1": Placement(0, 0), "r2": Placement(0, 1)})
    placer = LatePlacer(e, published, frozen=published.placements)
    placer.place(["r3"])

    assert place_late(e, published, ["r3"], frozen=published.placements) == placer.schedule()
