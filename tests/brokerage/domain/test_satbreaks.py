"""The SAT probes of `exact.minimise_breaks` (`satbreaks`, CaDiCaL through python-sat), on
tiny events; every schedule is checked with the validator."""

import pytest

from klynge.brokerage.domain import satbreaks, search
from klynge.brokerage.domain.model import (
    Event,
    Placement,
    Request,
    Schedule,
    assign_tables,
    breaks,
)
from klynge.brokerage.domain.validate import violations

pytest.importorskip("pysat")


def star(unavailable=None, tables=2) -> Event:
    """A meets B, C and D in five slots."""
    return Event(("A", "B", "C", "D"), (1, 1, 1, 1, 1), tables,
                 (Request("AB", "A", "B"), Request("AC", "A", "C"), Request("AD", "A", "D")),
                 unavailable or {})


def test_the_solver_is_available():
    assert satbreaks.available() is True


def test_a_budget_below_the_forced_breaks_is_unsatisfiable_and_one_above_is_met():
    e = star({"A": frozenset({2})})
    assert satbreaks.probe(e, 0, d=2, time_limit=5) == ("unsat", None)
    status, schedule = satbreaks.probe(e, 1, d=2, time_limit=5)
    assert status == "sat"
    schedule = assign_tables(e, schedule)
    assert violations(e, schedule) == []
    assert len(schedule.placements) == 3
    assert breaks(e, schedule) == {"A": 1, "B": 0, "C": 0, "D": 0}


def test_zero_breaks_when_the_star_has_room_and_the_leaves_in_slot_order():
    e = star()
    status, schedule = satbreaks.probe(e, 0, d=2, time_limit=5)
    assert status == "sat"
    assert violations(e, assign_tables(e, schedule)) == []
    assert sum(breaks(e, schedule).values()) == 0
    # B, C and D only meet A and are interchangeable: their meetings in request order.
    slots = [schedule.slot_of(r) for r in ("AB", "AC", "AD")]
    assert slots == sorted(slots)
    assert slots[2] - slots[0] == 2


def test_table_capacity_and_sessions_are_respected():
    # Two pairs in two slots and one table: each slot holds one meeting.
    e = Event(("A", "B", "C", "D"), (1, 2), 1,
              (Request("AB", "A", "B", sessions=frozenset({2})), Request("CD", "C", "D")))
    status, schedule = satbreaks.probe(e, 0, d=2, time_limit=5)
    assert status == "sat"
    assert schedule.placements == {"AB": Placement(1), "CD": Placement(0)}
    # Three pairs do not fit.
    crowded = Event(("A", "B", "C", "D", "E", "F"), (1, 2), 1,
                    (Request("AB", "A", "B"), Request("CD", "C", "D"), Request("EF", "E", "F")))
    assert satbreaks.probe(crowded, 5, d=2, time_limit=5) == ("unsat", None)


def test_fairness_caps_each_participant_at_d_when_someone_must_have_none():
    # A meets B in slot 0, C in slot 2 and D in slot 4 (sessions): 2 breaks, B, C, D none.
    e = Event(("A", "B", "C", "D"), (1, 2, 3, 4, 5), 3,
              (Request("AB", "A", "B", sessions=frozenset({1})),
               Request("AC", "A", "C", sessions=frozenset({3})),
               Request("AD", "A", "D", sessions=frozenset({5}))))
    assert satbreaks.fairness_reducible(e, 2) is True
    assert satbreaks.fairness_reducible(e, 4) is False
    assert satbreaks.probe(e, 2, d=1, time_limit=5) == ("unsat", None)
    status, schedule = satbreaks.probe(e, 2, d=2, time_limit=5)
    assert status == "sat"
    assert breaks(e, schedule) == {"A": 2, "B": 0, "C": 0, "D": 0}
    # A budget of 4 (one per participant) does not force anyone to 0: no probe is made.
    assert satbreaks.probe(e, 4, d=2, time_limit=5) == ("unknown", None)


def test_locked_meetings_stay_and_caps_below_the_requests_are_unsatisfiable():
    e = Event(("A", "B", "C", "D"), (1, 1, 1, 1, 1), 2,
              (Request("AB", "A", "B"), Request("AC", "A", "C"), Request("AD", "A", "D")),
              locked={"AB": Placement(0, 1)})
    status, schedule = satbreaks.probe(e, 0, d=2, time_limit=5)
    assert status == "sat"
    assert schedule.placements["AB"] == Placement(0, 1)
    assert sorted(schedule.slot_of(r) for r in ("AC", "AD")) == [1, 2]
    capped = Event(e.participants, e.slot_sessions, 2, e.requests, caps={"A": 2})
    assert satbreaks.probe(capped, 3, d=2, time_limit=5) == ("unsat", None)


def test_without_the_windows_the_answers_are_the_same():
    e = star({"A": frozenset({2})})
    saved = satbreaks.WINDOWS
    satbreaks.WINDOWS = False
    try:
        assert satbreaks.probe(e, 0, d=2, time_limit=5) == ("unsat", None)
        status, schedule = satbreaks.probe(e, 1, d=2, time_limit=5)
    finally:
        satbreaks.WINDOWS = saved
    assert status == "sat"
    assert sum(breaks(e, schedule).values()) == 1


def test_sat_probes_raise_the_bound_and_return_an_optimal_fair_schedule():
    e = star({"A": frozenset({2})})
    best, low, high = search.sat_probes(e, None, 0, None, _far(), d=2)
    assert (low, high) == (1, 1)
    assert violations(e, best) == []
    assert len(best.placements) == 3
    assert sum(breaks(e, best).values()) == 1


def test_sat_probes_without_an_incumbent_find_one_then_the_optimum():
    # Five pairs around A in nine slots, A unavailable in slots 2 and 6: runs of 3 at most,
    # so A has 1 break at best.
    e = Event(("A", "B", "C", "D", "E", "F"), (1,) * 9, 2,
              tuple(Request(f"A{p}", "A", p) for p in "BCDEF"), {"A": frozenset({2, 6})})
    best, low, high = search.sat_probes(e, None, 0, None, _far(), d=2)
    assert (low, high) == (1, 1)
    assert violations(e, best) == []
    assert len(best.placements) == 5
    assert sum(breaks(e, best).values()) == 1


def test_sat_probes_keep_the_incumbent_when_the_bound_is_already_met():
    e = star()
    incumbent = assign_tables(e, Schedule({"AB": Placement(0), "AC": Placement(1),
                                           "AD": Placement(2)}))
    best, low, high = search.sat_probes(e, incumbent, 0, 0, _far(), d=2)
    assert (best, low, high) == (incumbent, 0, 0)


def test_sat_probes_without_time_leave_everything_as_it_was():
    # A deadline already past: no probe is made.
    e = star({"A": frozenset({2})})
    best, low, high = search.sat_probes(e, None, 1, None, _far() - 10.0, d=2)
    assert (best, low, high) == (None, 1, None)


def _far() -> float:
    import time

    return time.perf_counter() + 10.0
