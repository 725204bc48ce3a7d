"""The synthetic event generator of the scheduling benchmark."""

from collections import Counter

import pytest

from bench.brokerage_gen import synthetic, table_load
from klynge.brokerage.domain.model import Schedule
from klynge.brokerage.domain.validate import violations


def test_same_seed_same_event_other_seed_other_event():
    assert synthetic(200, seed=3) == synthetic(200, seed=3)
    assert synthetic(200, seed=3) != synthetic(200, seed=4)


def test_sizes_and_sessions():
    event = synthetic(300)
    assert event.participants == tuple(range(300))
    assert event.slot_sessions == (1,) * 9 + (2,) * 9
    assert [r.id for r in event.requests] == list(range(len(event.requests)))
    assert 3.0 <= len(event.requests) / 300 <= 4.0


@pytest.mark.parametrize("load", [0.7, 0.9, 1.1])
@pytest.mark.parametrize("n", [100, 1000])
def test_table_load_within_five_percent(n, load):
    assert abs(table_load(synthetic(n, seed=1, load=load)) - load) <= 0.05 * load


def test_every_request_is_valid():
    event = synthetic(1000, seed=2)
    pairs = [frozenset(r.pair) for r in event.requests]
    assert len(set(pairs)) == len(pairs)
    assert all(event.allowed_slots(r) for r in event.requests)
    assert {r.priority for r in event.requests} == {1, 2, 3}
    assert {r.sessions for r in event.requests} == {frozenset(), frozenset({1}), frozenset({2})}
    assert violations(event, Schedule()) == []


def test_realistic_shape():
    event = synthetic(1000, seed=0)
    degree = Counter(p for r in event.requests for p in r.pair)
    mean = 2 * len(event.requests) / len(event.participants)
    assert max(degree.values()) >= 4 * mean  # a few are requested by many
    assert max(degree.values()) <= 2 * event.n_slots
    morning, afternoon = frozenset(range(9)), frozenset(range(9, 18))
    windows = list(event.unavailable.values())
    assert any(w >= afternoon and not w & morning for w in windows)  # morning only
    assert any(w >= morning and not w & afternoon for w in windows)  # afternoon only
    assert 0.2 <= len(event.caps) / 1000 <= 0.4
    assert all(4 <= cap <= 10 for cap in event.caps.values())


def test_too_small_or_odd_load_is_refused():
    with pytest.raises(ValueError, match="at least 10"):
        synthetic(5)
    with pytest.raises(ValueError, match="table load"):
        synthetic(100, load=5)
