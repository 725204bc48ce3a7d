"""The event model and the independent validator, on hand-built events."""

import pytest

from klynge.brokerage.domain.model import (
    Event,
    Placement,
    Request,
    Schedule,
    assign_tables,
    breaks,
    breaks_of,
    value,
)
from klynge.brokerage.domain.validate import is_valid, violations


def event(**changes) -> Event:
    """Four participants, four slots (two morning, two afternoon), two tables."""
    fields = {
        "participants": ("ann", "bo", "cy", "di"),
        "slot_sessions": (1, 1, 2, 2),
        "tables": 2,
        "requests": (Request("r1", "ann", "bo", 2.0), Request("r2", "ann", "cy"),
                  Request("r3", "bo", "di", sessions=frozenset({2})), Request("r4", "cy", "di")),
        "unavailable": {"di": frozenset({3})},
        "caps": {"ann": 2},
    }
    fields.update(changes)
    return Event(**fields)


def test_a_valid_schedule_has_no_violations_and_its_value_and_breaks():
    e = event()
    s = Schedule({"r1": Placement(0), "r2": Placement(3), "r3": Placement(2),
                  "r4": Placement(0)})
    assert violations(e, s) == []
    assert value(e, s) == 5.0
    assert breaks(e, s) == {"ann": 1, "bo": 1, "cy": 1, "di": 1}
    assert breaks_of([0, 1, 2]) == 0 and breaks_of([0, 3, 5]) == 2 and breaks_of([]) == 0


def test_each_kind_of_violation_is_found():
    e = event(locked={"r4": Placement(1, 1)})
    s = Schedule({"r1": Placement(0, 0), "r2": Placement(0, 0), "r3": Placement(1),
                  "r4": Placement(3), "zz": Placement(0), "r5": Placement(9)})
    codes = sorted({code for code, _detail in violations(e, s)})
    assert codes == ["double_booking", "locked_moved", "table_overflow", "unavailable",
                     "unknown_request", "wrong_session"]


def test_more_meetings_in_a_slot_than_tables_and_a_cap_exceeded():
    e = event(tables=1, caps={"ann": 1})
    s = Schedule({"r1": Placement(0), "r4": Placement(0), "r2": Placement(1)})
    codes = sorted(code for code, _detail in violations(e, s))
    assert codes == ["over_cap", "table_overflow"]
    assert not is_valid(e, s)


def test_allowed_slots_follow_sessions_and_both_sides_availability():
    e = event()
    assert e.allowed_slots(e.request("r3")) == [2]  # afternoon only, di away in slot 3
    assert e.allowed_slots(e.request("r1")) == [0, 1, 2, 3]


def test_tables_are_given_lowest_first_and_locked_tables_stay():
    e = event(locked={"r4": Placement(0, 0)})
    s = assign_tables(e, Schedule({"r1": Placement(0), "r4": Placement(0, 0)}))
    assert s.placements == {"r1": Placement(0, 1), "r4": Placement(0, 0)}
    with pytest.raises(ValueError, match="more meetings than tables"):
        assign_tables(event(tables=1), Schedule({"r1": Placement(0), "r4": Placement(0)}))


def test_bad_events_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="cannot meet itself"):
        Request("x", "ann", "ann")
    with pytest.raises(ValueError, match="unknown participant 'eve'"):
        event(requests=(Request("x", "ann", "eve"),))
    with pytest.raises(ValueError, match="duplicate request ids"):
        event(requests=(Request("x", "ann", "bo"), Request("x", "cy", "di")))
    with pytest.raises(ValueError, match="no slot 7"):
        event(locked={"r1": Placement(7)})
