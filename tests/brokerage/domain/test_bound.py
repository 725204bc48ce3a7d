"""The LP bound (HiGHS) against exact optima on hand-built events."""

import pytest

from klynge.brokerage.domain.bound import lp_bound
from klynge.brokerage.domain.exact import maximise
from klynge.brokerage.domain.model import Event, Placement, Request
from klynge.brokerage.domain.validate import violations


def test_the_bound_equals_the_optimum_when_the_lp_is_integral():
    e = Event(("A", "B", "C"), (1, 1), 1,
              (Request("AB", "A", "B", 2.0), Request("AC", "A", "C"), Request("BC", "B", "C")))
    result = maximise(e, workers=1, time_limit=5)
    assert violations(e, result.schedule) == []
    assert result.value == 3.0 and lp_bound(e) == pytest.approx(3.0)


def test_the_bound_is_above_the_optimum_on_an_odd_cycle():
    e = Event(("A", "B", "C"), (1,), 3,
              (Request("AB", "A", "B"), Request("AC", "A", "C"), Request("BC", "B", "C")))
    result = maximise(e, workers=1, time_limit=5)
    assert violations(e, result.schedule) == []
    assert result.value == 1.0 and lp_bound(e) == pytest.approx(1.5)


def test_sessions_unavailability_caps_and_tables_tighten_the_bound():
    requests = (Request("AB", "A", "B", 3.0, frozenset({2})), Request("CD", "C", "D", 2.0),
                Request("AC", "A", "C"), Request("BD", "B", "D"))
    e = Event(("A", "B", "C", "D"), (1, 2), 2, requests)
    assert lp_bound(e) == pytest.approx(7.0)  # two slots of two disjoint meetings
    assert lp_bound(Event(e.participants, (1, 1), 2, requests)) == pytest.approx(4.0)
    assert lp_bound(Event(e.participants, (1, 2), 1, requests)) == pytest.approx(5.0)
    assert lp_bound(Event(e.participants, (1, 2), 2, requests, caps={"C": 0})) == \
        pytest.approx(4.0)
    assert lp_bound(Event(e.participants, (1, 2), 2, requests,
                          unavailable={"B": frozenset({1})})) == pytest.approx(4.0)


def test_locked_meetings_count_in_the_bound():
    e = Event(("A", "B", "C"), (1,), 1,
              (Request("AB", "A", "B", 5.0), Request("AC", "A", "C")),
              locked={"AC": Placement(0)})
    assert lp_bound(e) == pytest.approx(1.0)
    assert maximise(e, workers=1, time_limit=5).value == 1.0
    # Locks that clash leave no valid schedule: the bound without them is returned.
    clash = Event(e.participants, (1,), 1, e.requests,
                  locked={"AC": Placement(0), "AB": Placement(0)})
    assert lp_bound(clash) == pytest.approx(5.0)


def test_an_event_without_requests_or_slots_has_a_zero_bound():
    assert lp_bound(Event(("A",), (1, 1), 1, ())) == 0.0
    assert lp_bound(Event(("A", "B"), (), 1, (Request("AB", "A", "B"),))) == 0.0
