"""The exact mode (CP-SAT) on tiny hand-built events whose optima are known by hand."""

from klynge.brokerage.domain.exact import Result, maximise, minimise_breaks
from klynge.brokerage.domain.model import Event, Placement, Request, Schedule, breaks
from klynge.brokerage.domain.validate import violations


def triangle(**changes) -> Event:
    """Three participants, two slots, one table; AB is worth 2, AC and BC 1 each."""
    fields = {
        "participants": ("A", "B", "C"),
        "slot_sessions": (1, 1),
        "tables": 1,
        "requests": (Request("AB", "A", "B", 2.0), Request("AC", "A", "C"),
                     Request("BC", "B", "C")),
    }
    fields.update(changes)
    return Event(**fields)


def cycle(unavailable) -> Event:
    """A 4-cycle A-B-C-D-A plus the chord AC, four slots, two tables."""
    return Event(("A", "B", "C", "D"), (1, 1, 1, 1), 2,
                 (Request("AB", "A", "B"), Request("BC", "B", "C"), Request("CD", "C", "D"),
                  Request("DA", "D", "A"), Request("AC", "A", "C")), unavailable)


def solved(event: Event, result: Result) -> Schedule:
    assert result.schedule is not None
    assert violations(event, result.schedule) == []
    assert result.breaks_total == sum(breaks(event, result.schedule).values())
    return result.schedule


def test_maximise_takes_the_heavy_request_and_one_more_without_breaks():
    e = triangle()
    result = maximise(e, workers=1, time_limit=5)
    schedule = solved(e, result)
    assert result.value == 3.0 and result.optimal and result.bound == 3.0
    assert "AB" in schedule.placements and len(schedule.placements) == 2
    assert result.breaks_total == 0
    assert all(p.table == 0 for p in schedule.placements.values())  # tables are given


def test_maximise_then_meets_as_many_participants_as_possible():
    e = Event(("A", "B", "C", "D", "E"), (1, 1), 1,
              (Request("AB", "A", "B"), Request("AC", "A", "C"), Request("DE", "D", "E")))
    result = maximise(e, workers=1, time_limit=5)
    schedule = solved(e, result)
    assert result.value == 2.0 and result.optimal
    assert "DE" in schedule.placements  # {AB, AC} has the same value but meets only three


def test_maximise_then_fewest_breaks():
    e = Event(("A", "B", "C"), (1, 1, 1), 2, (Request("AB", "A", "B"), Request("AC", "A", "C")))
    result = maximise(e, workers=1, time_limit=5)
    solved(e, result)
    assert (result.value, result.breaks_total, result.optimal) == (2.0, 0, True)
    away = Event(e.participants, e.slot_sessions, 2, e.requests, {"A": frozenset({1})})
    result = maximise(away, workers=1, time_limit=5)
    schedule = solved(away, result)
    assert (result.value, result.breaks_total) == (2.0, 1)
    assert sorted(p.slot for p in schedule.placements.values()) == [0, 2]


def test_maximise_respects_sessions_caps_and_unavailability():
    e = triangle(slot_sessions=(1, 2), tables=2,
                 requests=(Request("AB", "A", "B", 2.0, frozenset({2})), Request("AC", "A", "C"),
                           Request("BC", "B", "C")),
                 unavailable={"C": frozenset({0})}, caps={"B": 1})
    result = maximise(e, workers=1, time_limit=5)
    schedule = solved(e, result)
    # AB must be in the afternoon (slot 1); C only comes then too; B may meet once: AB alone.
    assert result.value == 2.0 and schedule.placements == {"AB": Placement(1, 0)}


def test_locked_meetings_are_kept_even_when_they_cost_value():
    e = triangle(locked={"AC": Placement(0, 0)})
    result = maximise(e, workers=1, time_limit=5)
    assert solved(e, result).placements == {"AC": Placement(0, 0), "AB": Placement(1, 0)}
    assert result.value == 3.0
    e = triangle(locked={"BC": Placement(0), "AC": Placement(1)})
    result = maximise(e, workers=1, time_limit=5)
    schedule = solved(e, result)
    assert result.value == 2.0 and {r: p.slot for r, p in schedule.placements.items()} == {
        "BC": 0, "AC": 1}


def test_a_hint_is_accepted_and_the_optimum_still_reached():
    e = triangle()
    hint = Schedule({"BC": Placement(0), "AC": Placement(1), "unknown": Placement(0)})
    result = maximise(e, workers=1, time_limit=5, hint=hint)
    solved(e, result)
    assert result.value == 3.0 and result.optimal
    e = cycle({"A": frozenset({1})})
    hint = Schedule({"AB": Placement(0), "AC": Placement(2), "DA": Placement(3),
                     "BC": Placement(1), "CD": Placement(0)})
    assert violations(e, hint) == []
    result = minimise_breaks(e, d=None, workers=1, time_limit=5, hint=hint)
    solved(e, result)
    assert (result.breaks_total, result.optimal) == (1, True)


def test_minimise_breaks_schedules_everything_with_the_fewest_breaks():
    e = Event(("A", "B", "C"), (1, 1, 1), 2, (Request("AB", "A", "B"), Request("AC", "A", "C")),
              {"A": frozenset({1})})
    result = minimise_breaks(e, workers=1, time_limit=5)
    schedule = solved(e, result)
    assert len(schedule.placements) == 2
    assert (result.breaks_total, result.optimal, result.bound) == (1, True, 1.0)


def test_fairness_can_cost_breaks_and_can_make_an_event_infeasible():
    e = cycle({"A": frozenset({1})})
    for d, expected in ((None, 1), (2, 1), (1, 1), (0, 4)):
        result = minimise_breaks(e, d=d, workers=1, time_limit=5)
        schedule = solved(e, result)
        assert (result.breaks_total, result.optimal) == (expected, True), d
        counts = breaks(e, schedule).values()
        assert d is None or max(counts) - min(counts) <= d
    e = cycle({"A": frozenset({1}), "C": frozenset({2})})
    assert minimise_breaks(e, d=1, workers=1, time_limit=5).breaks_total == 3
    result = minimise_breaks(e, d=0, workers=1, time_limit=5)
    assert result.schedule is None and not result.optimal


def test_fairness_ignores_participants_without_meetings():
    e = Event(("A", "B", "C", "Z"), (1, 1, 1), 2,
              (Request("AB", "A", "B"), Request("AC", "A", "C")), {"A": frozenset({1})})
    # Z has no meeting: its 0 breaks do not count, B and C (one meeting, 0 breaks) do.
    assert minimise_breaks(e, d=1, workers=1, time_limit=5).breaks_total == 1
    assert minimise_breaks(e, d=0, workers=1, time_limit=5).schedule is None


def test_require_all_on_an_infeasible_event_gives_no_schedule():
    e = Event(("A", "B", "C"), (1,), 2, (Request("AB", "A", "B"), Request("AC", "A", "C")))
    result = minimise_breaks(e, workers=1, time_limit=5)
    assert result.schedule is None and not result.optimal and result.value == 0.0
    # Without require_all the best partial schedule comes back instead.
    result = minimise_breaks(e, workers=1, time_limit=5, require_all=False)
    assert len(solved(e, result).placements) == 1 and result.value == 1.0 and result.optimal


def test_minimise_breaks_keeps_locked_meetings():
    e = Event(("A", "B", "C"), (1, 1, 1), 2, (Request("AB", "A", "B"), Request("AC", "A", "C")),
              locked={"AB": Placement(0, 1)})
    result = minimise_breaks(e, workers=1, time_limit=5)
    assert solved(e, result).placements == {"AB": Placement(0, 1), "AC": Placement(1, 0)}
    assert result.breaks_total == 0
