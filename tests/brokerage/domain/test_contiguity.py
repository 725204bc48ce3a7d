"""The block model behind `exact.minimise_breaks`' second phase, on tiny events."""

import time

from ortools.sat.python import cp_model

from klynge.brokerage.domain import contiguity, exact, search
from klynge.brokerage.domain.model import Event, Placement, Request, Schedule, breaks
from klynge.brokerage.domain.validate import violations


def star(unavailable=None, tables=2) -> Event:
    """A meets B, C and D in five slots."""
    return Event(("A", "B", "C", "D"), (1, 1, 1, 1, 1), tables,
                 (Request("AB", "A", "B"), Request("AC", "A", "C"), Request("AD", "A", "D")),
                 unavailable or {})


def built(event: Event, d=2) -> exact._Model:
    model = exact._Model(event, require_all=True)
    if d is not None:
        model.add_fairness(d)
    contiguity.add_redundant(model)
    return model


def test_meetings_per_participant_and_the_runs_availability_forces():
    e = star({"A": frozenset({2})})
    assert contiguity.meetings_per_participant(e) == {"A": 3, "B": 1, "C": 1, "D": 1}
    # A may meet in slots 0, 1, 3, 4: two segments of 2, three meetings need both.
    assert contiguity.availability_runs(e) == {"A": 2, "B": 1, "C": 1, "D": 1}
    # Three meetings in two possible slots: impossible, reported as None.
    squeezed = star({"A": frozenset({0, 1, 2})})
    assert contiguity.availability_runs(squeezed)["A"] is None


def test_a_budget_below_the_forced_breaks_is_infeasible_and_one_above_is_met():
    e = star({"A": frozenset({2})})
    status, _solver, _x = contiguity.probe(built(e), 0, time_limit=5, workers=1, seed=0)
    assert status == cp_model.INFEASIBLE
    status, solver, x = contiguity.probe(built(e), 1, time_limit=5, workers=1, seed=0)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    slots = {e.requests[i].id: s for i, options in x.items() for s, var in options
             if solver.BooleanValue(var)}
    schedule = Schedule({rid: Placement(s) for rid, s in slots.items()})
    assert violations(e, schedule) == []
    assert breaks(e, schedule) == {"A": 1, "B": 0, "C": 0, "D": 0}


def test_only_the_named_breakers_may_have_a_break():
    e = star({"A": frozenset({2})})
    status, _solver, _x = contiguity.probe(built(e), 1, time_limit=5, workers=1, seed=0,
                                           breakers={"B", "C"})
    assert status == cp_model.INFEASIBLE
    status, _solver, _x = contiguity.probe(built(e), 1, time_limit=5, workers=1, seed=0,
                                           breakers={"A"})
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_zero_breaks_means_one_block_per_participant():
    e = star()
    status, solver, x = contiguity.probe(built(e), 0, time_limit=5, workers=1, seed=0,
                                         minimise=True)
    assert status == cp_model.OPTIMAL and solver.ObjectiveValue() == 0
    slots = sorted(s for options in x.values() for s, var in options if solver.BooleanValue(var))
    assert slots[2] - slots[0] == 2  # A's three meetings are consecutive


def test_the_second_phase_proves_an_incumbent_optimal_or_improves_it():
    e = star({"A": frozenset({2})})
    incumbent = Schedule({"AB": Placement(0), "AC": Placement(3), "AD": Placement(1)})
    assert sum(breaks(e, incumbent).values()) == 1
    best, low, optimal = search.probes(built(e), incumbent, 0.0, time.perf_counter() + 5,
                                       workers=1, seed=0)
    # Nothing below one break exists: one break is proven optimal.
    assert violations(e, best) == []
    assert (sum(breaks(e, best).values()), low, optimal) == (1, 1.0, True)
    gappy = Event(e.participants, (1,) * 7, 2, e.requests, {"A": frozenset({2})})
    two = Schedule({"AB": Placement(0), "AC": Placement(4), "AD": Placement(6)})
    assert sum(breaks(gappy, two).values()) == 2
    best, low, optimal = search.probes(built(gappy), two, 0.0, time.perf_counter() + 5,
                                       workers=1, seed=0)
    assert violations(gappy, best) == []
    assert len(best.placements) == 3
    # A meets in slots 3, 4, 5 after its unavailable slot: no break at all.
    assert (sum(breaks(gappy, best).values()), low, optimal) == (0, 0.0, True)


def test_minimise_breaks_uses_the_redundant_model_and_stays_exact():
    e = star({"A": frozenset({2})})
    result = exact.minimise_breaks(e, workers=1, time_limit=5)
    assert violations(e, result.schedule) == []
    assert (result.breaks_total, result.optimal, result.bound) == (1, True, 1.0)


def test_add_budget_returns_the_no_break_literals_and_may_leave_the_total_free():
    e = star({"A": frozenset({2})})
    model = built(e)
    zeros = contiguity.add_budget(model, None)
    assert set(zeros) == set(model.breaks())
    # No budget: A's forced break is allowed, and the literal says A has one.
    model.model.Minimize(model.total_breaks())
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.Solve(model.model) == cp_model.OPTIMAL
    assert solver.ObjectiveValue() == 1
    assert not solver.BooleanValue(zeros["A"])
    assert all(solver.BooleanValue(zeros[p]) for p in ("B", "C", "D"))
    schedule = exact._Model.schedule(model, solver)
    assert violations(e, schedule) == []


def test_probes_from_the_lower_bound_up_raise_it_and_stop_at_a_schedule():
    # A may meet in slots 0, 1, 3, 4 and 6: its three meetings need two runs.
    e = Event(("A", "B", "C", "D"), (1,) * 7, 2,
              (Request("AB", "A", "B"), Request("AC", "A", "C"), Request("AD", "A", "D")),
              {"A": frozenset({2, 5})})
    incumbent = Schedule({"AB": Placement(0), "AC": Placement(3), "AD": Placement(6)})
    assert sum(breaks(e, incumbent).values()) == 2
    best, low, high = search.raise_bound(built(e), incumbent, 0, 2, time.perf_counter() + 5,
                                         workers=1, seed=0)
    # "0 breaks" is infeasible (the bound rises to 1), "at most 1" finds a schedule.
    assert violations(e, best) == []
    assert (low, high, sum(breaks(e, best).values())) == (1, 1, 1)
    # An incumbent at the bound is kept without a probe.
    same, low, high = search.raise_bound(built(e), incumbent, 2, 2, time.perf_counter() + 5,
                                         workers=1, seed=0)
    assert (same, low, high) == (incumbent, 2, 2)


def test_minimise_breaks_never_ends_above_a_valid_fair_hint():
    e = star({"A": frozenset({2})})
    one = Schedule({"AB": Placement(0), "AC": Placement(1), "AD": Placement(3)})
    worse = Schedule({"AB": Placement(0), "AC": Placement(3), "AD": Placement(4)})
    assert sum(breaks(e, one).values()) == 1 and sum(breaks(e, worse).values()) == 1
    gappy = Event(e.participants, (1,) * 7, 2, e.requests, {})
    spaced = Schedule({"AB": Placement(0), "AC": Placement(2), "AD": Placement(4)})
    block = Schedule({"AB": Placement(1), "AC": Placement(2), "AD": Placement(3)})
    kept = search.not_worse_than_hint(gappy, spaced, block, 2)
    assert violations(gappy, kept) == [] and sum(breaks(gappy, kept).values()) == 0
    # No schedule found: the valid hint is returned (with tables).
    assert search.not_worse_than_hint(e, None, one, 2).placements["AB"].table is not None
    # A hint with more breaks, an incomplete one or an unfair one is not taken.
    assert search.not_worse_than_hint(gappy, block, spaced, 2) is block
    assert search.not_worse_than_hint(e, one, Schedule({"AB": Placement(0)}), 2) is one
    assert search.not_worse_than_hint(gappy, None, spaced, 1) is None
