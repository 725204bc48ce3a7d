"""The CP-SAT search settings of `exact`, and the second phase of `exact.minimise_breaks`:
raising the lower bound with "at most K breaks?" probes (`raise_bound`), the block-model
probes (`probes`), the SAT probes (`sat_probes`, CaDiCaL through `satbreaks`; `near_probes`
through `satportfolio`, several CaDiCaL processes at once) and the checks
that a result is complete, fair and no worse than the hint (see `exact`'s docstring for the
method and docs/benchmarks.md for what it reaches)."""

import math
import time

from ortools.sat.python import cp_model

from klynge.brokerage.domain import contiguity, satbreaks, satportfolio
from klynge.brokerage.domain.model import Placement, Schedule, assign_tables, breaks
from klynge.brokerage.domain.validate import violations

CORE_FIRST = ("core", "default_lp", "quick_restart", "max_lp", "no_lp", "reduced_costs",
              "pseudo_costs", "lb_tree_search")
RAISE_SHARE = 0.25  # minimise_breaks phase 2: at most this share raises the lower bound
RAISE_PROBE = 2.0  # seconds for each "at most K breaks" probe that raises the lower bound
SAT_SHARE = 0.85  # minimise_breaks phase 2: at most this share of the rest for SAT probes
SAT_FIRST = 0.7  # of that, at most this share for the first probe left unknown
SAT_GAP = 3  # SAT probes only when the incumbent is this many breaks above the bound or more
# and the bound is 1 to SAT_MAX_BOUND: at 0 the CP-SAT block model is at its strongest, and
# above 1 CaDiCaL was measured slow ("at most 3" and "at most 6" unknown after 25 CPU s)
# while the block model reaches the optima 2-5 of forum-14 and the forumt instances
SAT_MAX_BOUND = 1
SAT_NEAR = 2  # near_probes: first "at most the bound + this many breaks"


def found(status) -> bool:
    """Whether CP-SAT's status holds a solution."""
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def not_worse_than_hint(event, best, hint, d):
    """`best`, or the hint when it is a valid fair schedule of every request with fewer
    breaks: on a loaded machine the hint's completion (`_Model.hint`) may time out, and the
    solver may then end above it."""
    if hint is None or len(hint.placements) != len(event.requests) or violations(event, hint):
        return best
    meeting = hint.meetings_of(event)
    counts = [b for p, b in breaks(event, hint).items() if meeting[p]]
    if d is not None and counts and max(counts) - min(counts) > d:
        return best
    if best is not None and sum(breaks(event, best).values()) <= sum(counts):
        return best
    return assign_tables(event, hint)


def probes(built, best, bound, deadline, *, workers, seed, d=2):
    """Phase 2 of `minimise_breaks` with `require_all` (`contiguity`): the block model,
    minimising the total breaks within the incumbent's, core-guided search first (its
    assumption "nobody has a break" propagates through the blocks), the incumbent hinted
    (completed to every variable) to the other workers. `bound` is phase 1's lower bound.
    Returns (best schedule, lower bound, optimal)."""
    event = built.event
    low = max(0, math.ceil(bound - 1e-9)) if math.isfinite(bound) else 0
    high = sum(breaks(event, best).values()) if best is not None else None
    remaining = deadline - time.perf_counter()
    if (high is not None and high <= low) or remaining < 0.2:
        return best, float(low), best is not None and high == low
    best, low, high = raise_bound(built, best, low, high, deadline, workers=workers, seed=seed)
    best, low, high = sat_phase(event, best, low, high, deadline, d=d, workers=workers)
    remaining = deadline - time.perf_counter()
    if (high is not None and high <= low) or remaining < 0.2:
        return best, float(low), best is not None and high == low
    budget = high if high is not None else event.n_slots * len(event.participants)
    status, solver, x = contiguity.probe(built, budget, time_limit=remaining, workers=workers,
                                         seed=seed, hint=best, minimise=True,
                                         subsolvers=CORE_FIRST)
    if found(status):
        best = probe_schedule(event, solver, x)
        high = sum(breaks(event, best).values())
        low = max(low, math.ceil(solver.BestObjectiveBound() - 1e-9))
        if status == cp_model.OPTIMAL:
            low = high
    elif status != cp_model.INFEASIBLE:
        low = max(low, math.ceil(solver.BestObjectiveBound() - 1e-9))
    return best, float(low), best is not None and high == low


def sat_phase(event, best, low, high, deadline, *, d, workers):
    """The SAT probes where CP-SAT was measured weak: `sat_probes` when the bound is 1 to
    `SAT_MAX_BOUND`, `near_probes` above it, when the incumbent is still `SAT_GAP` or more
    above the bound (or missing, for `sat_probes`) and python-sat is installed."""
    if not satbreaks.available():
        return best, low, high
    if 1 <= low <= SAT_MAX_BOUND and (high is None or high - low >= SAT_GAP):
        return sat_probes(event, best, low, high, deadline, d=d)
    if low > SAT_MAX_BOUND and high is not None and high - low >= SAT_GAP:
        return near_probes(event, best, low, high, deadline, d=d, workers=workers)
    return best, low, high


def sat_probes(event, best, low, high, deadline, *, d):
    """SAT probes "at most K breaks?" (`satbreaks`, CaDiCaL) from K = the lower bound up,
    within `SAT_SHARE` of the remaining time: an unsatisfiable probe raises the bound, a
    satisfiable one at K = the bound gives an optimal schedule. The first probe left
    unknown (after at most `SAT_FIRST` of what is left) is followed by one probe at K + 1
    with the rest (a schedule one break above the bound, not proven optimal; on the JAIR
    instance whose bound stays below the optimum it is the optimum), then the probes stop.
    Without an incumbent, a probe with the loosest budget comes first (any fair schedule).
    A schedule is kept only when it is valid, schedules every request, is fair and has
    fewer breaks than the incumbent. Returns (best, low, high)."""
    stop = time.perf_counter() + SAT_SHARE * (deadline - time.perf_counter())
    encoding = None
    if high is None:
        # No incumbent yet (a loaded machine): first any fair schedule of every request
        # (the loosest budget that still makes fairness "at most d each").
        loosest = sum(1 for n in satbreaks.meeting_counts(event).values() if n) - 1
        if loosest > low:
            encoding = satbreaks.Encoding(event, d)
            status, schedule = satbreaks.probe(
                event, loosest, d=d, time_limit=SAT_FIRST * (stop - time.perf_counter()),
                encoding=encoding)
            if status == "unsat":
                return best, max(low, loosest + 1), high
            if status == "sat":
                schedule = assign_tables(event, schedule)
                if fair_and_complete(event, schedule, d):
                    best, high = schedule, sum(breaks(event, schedule).values())
    budget = low
    stuck = False
    while high is None or budget < high:
        remaining = stop - time.perf_counter()
        if remaining < 0.2 or (d is not None and not satbreaks.fairness_reducible(event, budget)):
            break
        if encoding is None:
            encoding = satbreaks.Encoding(event, d)
        limit = remaining if stuck else SAT_FIRST * remaining
        status, schedule = satbreaks.probe(event, budget, d=d, time_limit=limit, hint=best,
                                           encoding=encoding)
        if status == "unsat":
            budget += 1
            low = max(low, budget)
            continue
        if status == "sat":
            schedule = assign_tables(event, schedule)
            if fair_and_complete(event, schedule, d) and (
                    high is None or sum(breaks(event, schedule).values()) < high):
                best, high = schedule, sum(breaks(event, schedule).values())
            break
        if stuck:
            break
        stuck = True
        budget += 1
    return best, low, high


def near_probes(event, best, low, high, deadline, *, d, workers):
    """A schedule within `SAT_NEAR` breaks of the lower bound: the SAT probe "at most the
    bound + `SAT_NEAR` breaks?", put to `workers` CaDiCaL runs at once (`satportfolio`),
    with the remaining time. An unsatisfiable probe raises the bound (and the next probe is
    `SAT_NEAR` above it); a schedule found, or a probe left unknown, ends them, and the
    CP-SAT block model takes the schedule as its hint for what time is left (measured: it
    then reaches forum-14's optimum 2 from SAT's 4 in 3 s). For a bound above
    `SAT_MAX_BOUND` with the incumbent still `SAT_GAP` or more above it (the two JAIR
    instances where the block model alone stays far above the optimum: forum-13crafb and
    ticf-13crafb). Returns (best, low, high) as `sat_probes`."""
    budget = min(low + SAT_NEAR, high - 1)
    while low <= budget < high:
        remaining = deadline - time.perf_counter() - satportfolio.GRACE
        if remaining < 0.5 or (d is not None and not satbreaks.fairness_reducible(event, budget)):
            break
        status, schedule = satportfolio.probe(event, budget, d=d, time_limit=remaining,
                                              processes=workers)
        if status == "unsat":
            low = budget + 1
            budget = min(low + SAT_NEAR, high - 1)
            continue
        if status != "sat":
            break
        schedule = assign_tables(event, schedule)
        if not fair_and_complete(event, schedule, d):
            break
        best, high = schedule, sum(breaks(event, schedule).values())
        break
    return best, low, high


def fair_and_complete(event, schedule, d) -> bool:
    if len(schedule.placements) != len(event.requests) or violations(event, schedule):
        return False
    meeting = schedule.meetings_of(event)
    counts = [b for p, b in breaks(event, schedule).items() if meeting[p]]
    return d is None or not counts or max(counts) - min(counts) <= d


def probe_schedule(event, solver, x) -> Schedule:
    placements = {}
    for i, request in enumerate(event.requests):
        for s, var in x[i]:
            if solver.BooleanValue(var):
                locked = event.locked.get(request.id)
                placements[request.id] = Placement(s, locked.table if locked else None)
    return assign_tables(event, Schedule(placements))


def raise_bound(built, best, low, high, deadline, *, workers, seed):
    """Satisfaction probes "at most `low` breaks" from the lower bound up (`RAISE_SHARE` of
    the remaining time, at most `RAISE_PROBE` seconds each): with the budget a hard
    constraint, presolve fixes most participants to one block and often proves the probe
    infeasible at once (measured: "0 breaks" on the JAIR instances with optimum 1 in
    0.1-0.3 s, which the core-guided search leaves unproven), so the bound rises by one; a
    probe that finds a schedule is optimal. Stops at the first probe left unknown. Returns
    (best, low, high)."""
    event = built.event
    stop = time.perf_counter() + RAISE_SHARE * (deadline - time.perf_counter())
    while high is None or low < high:
        remaining = min(RAISE_PROBE, stop - time.perf_counter())
        if remaining < 0.1:
            break
        status, solver, x = contiguity.probe(built, low, time_limit=remaining,
                                             workers=workers, seed=seed)
        if status == cp_model.INFEASIBLE:
            low += 1
            continue
        if found(status):
            best = probe_schedule(event, solver, x)
            high = sum(breaks(event, best).values())
        break
    return best, low, high
