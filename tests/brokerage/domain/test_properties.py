"""Property tests of the heuristic on random small events: whatever the event, the schedules
it returns are valid, locked meetings stay, and late placement keeps frozen meetings."""

from hypothesis import given, settings
from hypothesis import strategies as st

from klynge.brokerage.domain.heuristic import cancel, place_late, reduce_breaks, schedule
from klynge.brokerage.domain.model import Event, Placement, Request, Schedule, breaks, value
from klynge.brokerage.domain.validate import violations


@st.composite
def events(draw, with_locked=True):
    """≤ 8 participants, ≤ 6 slots, ≤ 3 tables, random availability, caps, sessions, and
    locked meetings that are valid among themselves."""
    n = draw(st.integers(2, 8))
    people = tuple(f"p{i}" for i in range(n))
    sessions = tuple(draw(st.lists(st.sampled_from((1, 2)), min_size=1, max_size=6)))
    n_slots = len(sessions)
    tables = draw(st.integers(0, 3))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
                          .filter(lambda ab: ab[0] != ab[1]), max_size=14))
    requests = tuple(
        Request(f"r{k}", people[a], people[b], draw(st.sampled_from((1.0, 2.0, 3.0))),
                draw(st.sampled_from((frozenset(), frozenset({1}), frozenset({2})))))
        for k, (a, b) in enumerate(pairs))
    unavailable = {p: frozenset(draw(st.sets(st.integers(0, n_slots - 1), max_size=3)))
                   for p in people if draw(st.booleans())}
    caps = {p: draw(st.integers(0, 4)) for p in people if draw(st.integers(0, 3)) == 0}
    event = Event(people, sessions, tables, requests, unavailable, caps)
    if not with_locked:
        return event
    locked: dict = {}
    partial = Schedule({})
    for r in requests:
        if draw(st.integers(0, 3)) != 0:
            continue
        allowed = event.allowed_slots(r)
        if not allowed:
            continue
        slot = draw(st.sampled_from(allowed))
        table = draw(st.sampled_from((None, *range(tables)))) if tables else None
        trial = Schedule({**partial.placements, r.id: Placement(slot, table)})
        if violations(event, trial) == []:
            partial = trial
            locked[r.id] = Placement(slot, table)
    return Event(people, sessions, tables, requests, unavailable, caps, locked)


@settings(max_examples=150, deadline=None)
@given(events(), st.integers(0, 3))
def test_the_schedule_is_always_valid_and_keeps_locked_meetings(event, seed):
    s = schedule(event, seed=seed, time_limit=0.2)
    assert violations(event, s) == []
    for rid, locked in event.locked.items():
        assert s.placements[rid].slot == locked.slot
    again = schedule(event, seed=seed, time_limit=0.2, start=s)  # a warm start never loses
    assert violations(event, again) == []
    assert value(event, again) >= value(event, s)


@settings(max_examples=100, deadline=None)
@given(events(), st.data())
def test_place_late_keeps_locked_and_frozen_meetings_and_stays_valid(event, data):
    late = data.draw(st.sets(st.sampled_from([r.id for r in event.requests]))
                     if event.requests else st.just(set()))
    early = Event(event.participants, event.slot_sessions, event.tables,
                  tuple(r for r in event.requests if r.id not in late or r.id in event.locked),
                  event.unavailable, event.caps, event.locked)
    before = schedule(early, time_limit=0.1)
    frozen = data.draw(st.sets(st.sampled_from(sorted(before.placements)))
                       if before.placements else st.just(set()))
    after = place_late(event, before, sorted(late), frozen=frozen)
    assert violations(event, after) == []
    for rid in set(event.locked) | frozen:
        assert after.placements[rid] == before.placements[rid]
    assert set(before.placements) <= set(after.placements)
    assert violations(event, cancel(after, sorted(late - set(event.locked)))) == []


@settings(max_examples=100, deadline=None)
@given(events(), st.sampled_from((None, 0, 1, 2)))
def test_reduce_breaks_never_unschedules_and_stays_valid(event, d):
    start = schedule(event, time_limit=0.05)
    s = reduce_breaks(event, start, d=d, time_limit=0.1)
    assert violations(event, s) == []
    assert set(s.placements) == set(start.placements)
    if d is None:  # the best state seen is kept, so the total never grows
        assert sum(breaks(event, s).values()) <= sum(breaks(event, start).values())
