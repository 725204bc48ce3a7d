"""Property tests: on random small events the exact mode is valid, optimal (checked against
an enumeration of every schedule), never beaten by a simple greedy or by the heuristic, and
never above the LP bound."""

import importlib
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from klynge.brokerage.domain.bound import lp_bound
from klynge.brokerage.domain.exact import maximise, minimise_breaks
from klynge.brokerage.domain.model import Event, Placement, Request, Schedule, breaks, value
from klynge.brokerage.domain.validate import is_valid, violations


@st.composite
def events(draw) -> Event:
    n = draw(st.integers(3, 5))
    participants = tuple(f"p{i}" for i in range(n))
    slot_sessions = tuple(draw(st.lists(st.sampled_from((1, 2)), min_size=1, max_size=4)))
    pairs = draw(st.lists(st.sampled_from(list(itertools.combinations(participants, 2))),
                          min_size=1, max_size=5, unique=True))
    requests = tuple(
        Request(f"r{i}", a, b, draw(st.sampled_from((1.0, 1.5, 2.0, 3.0))),
                draw(st.sampled_from((frozenset(), frozenset({1}), frozenset({2})))))
        for i, (a, b) in enumerate(pairs))
    slots = range(len(slot_sessions))
    unavailable = {p: frozenset(draw(st.lists(st.sampled_from(slots), max_size=2)))
                   for p in participants if draw(st.booleans())}
    caps = {p: draw(st.integers(0, 2)) for p in participants if draw(st.integers(0, 3)) == 0}
    return Event(participants, slot_sessions, draw(st.integers(1, 3)), requests, unavailable,
                 caps)


def greedy(event: Event) -> Schedule:
    """Highest priority first, each into its first slot that keeps the schedule valid."""
    schedule = Schedule({})
    for request in sorted(event.requests, key=lambda r: -r.priority):
        for slot in event.allowed_slots(request):
            trial = Schedule({**schedule.placements, request.id: Placement(slot)})
            if is_valid(event, trial):
                schedule = trial
                break
    return schedule


def every_schedule(event: Event, *, require_all: bool):
    options = [(None, *range(event.n_slots))] if not require_all else [range(event.n_slots)]
    for combo in itertools.product(*(options * len(event.requests))):
        schedule = Schedule({r.id: Placement(s) for r, s in zip(event.requests, combo,
                                                                strict=True) if s is not None})
        if is_valid(event, schedule):
            yield schedule


def fair(event: Event, schedule: Schedule, d: int) -> bool:
    met = {p for r in schedule.placements for p in event.request(r).pair}
    counts = [n for p, n in breaks(event, schedule).items() if p in met]
    return not counts or max(counts) - min(counts) <= d


@settings(max_examples=100, deadline=None)
@given(events())
def test_maximise_is_valid_optimal_and_within_the_lp_bound(event):
    result = maximise(event, workers=1, time_limit=10)
    assert result.schedule is not None and violations(event, result.schedule) == []
    assert result.optimal
    best = max(value(event, s) for s in every_schedule(event, require_all=False))
    assert abs(result.value - best) < 1e-9
    assert result.value >= value(event, greedy(event)) - 1e-9
    assert lp_bound(event) >= result.value - 1e-6
    assert result.bound >= result.value - 1e-6
    try:
        heuristic = importlib.import_module("klynge.brokerage.domain.heuristic")
    except ImportError:
        return
    found = heuristic.schedule(event, seed=0, time_limit=0.2)
    assert violations(event, found) == []
    assert value(event, found) <= result.value + 1e-9


@settings(max_examples=100, deadline=None)
@given(events(), st.sampled_from((0, 1, 2, None)))
def test_minimise_breaks_matches_an_enumeration(event, d):
    result = minimise_breaks(event, d=d, workers=1, time_limit=10)
    totals = [sum(breaks(event, s).values()) for s in every_schedule(event, require_all=True)
              if d is None or fair(event, s, d)]
    if not totals:
        assert result.schedule is None and not result.optimal
        return
    assert result.schedule is not None and violations(event, result.schedule) == []
    assert len(result.schedule.placements) == len(event.requests)
    assert d is None or fair(event, result.schedule, d)
    assert result.optimal and result.breaks_total == min(totals)
    assert result.bound == min(totals)
