"""The SAT portfolio (`satportfolio`: one question to several CaDiCaL processes) and the
near-bound probes of `minimise_breaks` that use it (`search.near_probes`), on small events
with a known optimum; real child processes, every schedule checked with the validator."""

import time

import pytest

from klynge.brokerage.domain import satbreaks, satportfolio, search
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

HUBS = "AGM"


def hubs() -> Event:
    """Three hubs (A, G, M) each meet five partners of their own in nine slots and are away
    in slots 2 and 6: runs of at most three slots, so each hub has at least one break and
    the optimum is 3 (the partners meet once and never have one)."""
    participants, requests = [], []
    unavailable = {}
    for hub in HUBS:
        participants.append(hub)
        unavailable[hub] = frozenset({2, 6})
        for k in range(5):
            partner = f"{hub}{k}"
            participants.append(partner)
            requests.append(Request(f"{hub}-{partner}", hub, partner))
    return Event(tuple(participants), (1,) * 9, 3, tuple(requests), unavailable)


def two_breaks_each(event: Event) -> Schedule:
    """A valid, fair schedule with two breaks per hub (slots 0, 3, 4, 5, 8): 6 in all."""
    placements = {}
    for hub in HUBS:
        for k, slot in enumerate((0, 3, 4, 5, 8)):
            placements[f"{hub}-{hub}{k}"] = Placement(slot)
    return assign_tables(event, Schedule(placements))


def test_the_incumbent_is_valid_with_six_breaks():
    event = hubs()
    incumbent = two_breaks_each(event)
    assert violations(event, incumbent) == []
    assert sum(breaks(event, incumbent).values()) == 6


@pytest.mark.parametrize("processes", [1, 2])
def test_the_portfolio_answers_as_one_solver_does(processes):
    event = hubs()
    assert satportfolio.probe(event, 2, d=2, time_limit=10,
                              processes=processes) == ("unsat", None)
    status, schedule = satportfolio.probe(event, 3, d=2, time_limit=10, processes=processes)
    assert status == "sat"
    schedule = assign_tables(event, schedule)
    assert violations(event, schedule) == []
    assert len(schedule.placements) == len(event.requests)
    assert {p: n for p, n in breaks(event, schedule).items() if n} == dict.fromkeys(HUBS, 1)


def test_each_encoding_variant_gives_the_same_answers():
    event = hubs()
    for variant in satportfolio.VARIANTS:
        assert satbreaks.probe(event, 2, d=2, time_limit=10, **variant) == ("unsat", None)
        status, schedule = satbreaks.probe(event, 3, d=2, time_limit=10, **variant)
        assert status == "sat"
        assert sum(breaks(event, schedule).values()) == 3


def test_runs_left_without_time_answer_unknown():
    # Both children start, find no time left, answer "unknown" and are reaped.
    event = hubs()
    assert satportfolio.probe(event, 3, d=2, time_limit=0.0, processes=2) == ("unknown", None)


def test_near_probes_find_a_schedule_within_two_of_the_bound():
    event = hubs()
    incumbent = two_breaks_each(event)
    deadline = time.perf_counter() + 30.0
    best, low, high = search.near_probes(event, incumbent, 3, 6, deadline, d=2, workers=2)
    assert low == 3
    assert 3 <= high <= 5
    assert violations(event, best) == []
    assert len(best.placements) == len(event.requests)
    assert sum(breaks(event, best).values()) == high
    counts = breaks(event, best).values()
    assert max(counts) - min(counts) <= 2


def test_near_probes_raise_a_bound_that_was_too_low():
    # A bound of 0, three below the truth: "at most 2" is unsatisfiable, the bound rises to
    # 3 and the next probe, "at most 5", is met.
    event = hubs()
    incumbent = two_breaks_each(event)
    best, low, high = search.near_probes(event, incumbent, 0, 6, time.perf_counter() + 30.0,
                                         d=2, workers=1)
    assert low == 3
    assert 3 <= high <= 5
    assert sum(breaks(event, best).values()) == high


def test_near_probes_without_time_keep_the_incumbent():
    event = hubs()
    incumbent = two_breaks_each(event)
    best, low, high = search.near_probes(event, incumbent, 3, 6, time.perf_counter(), d=2,
                                         workers=2)
    assert (best, low, high) == (incumbent, 3, 6)
