"""The block model behind the second phase of `exact.minimise_breaks` (every request
scheduled).

The optimisation model of `exact` counts breaks from run starts; its LP relaxation is weak
(fractional meetings spread over many slots cost almost nothing) and CP-SAT finds 0-break
timetables slowly with it. When every request must be scheduled, each participant's number
of meetings n_p is known, and "p has no break" means "p's meetings fill one block of n_p
consecutive slots". `probe` adds to a copy of the model (built with `require_all`):

- `zero[p]` ⇔ p has no break (its break count is 0);
- block variables `first[p,k]` for every window k..k+n_p−1 in which p may meet in each slot:
  Σ_k first[p,k] = zero[p], and when zero[p] holds, busy[p,s] = Σ_{k ≤ s < k+n_p} first[p,k]
  (linear, enforced by zero[p], plus the clause busy[p,s] ∧ zero[p] → one covering window);
- the budget: total breaks ≤ K and Σ_p ¬zero[p] ≤ K (each participant with a break adds at
  least one);
- then either no objective (a satisfaction problem: "at most K breaks?") or the total breaks
  minimised. Core-guided search (the MaxSAT way, as the solver with the published optima)
  first assumes every break count 0: then every zero[p] holds and propagation runs over block
  positions, where it is strong; each conflict is a core of participants one of whom breaks.

`add_redundant` adds constraints implied by "every request scheduled" to the first model too:
Σ_s busy[p,s] = n_p; per slot, Σ_p busy[p,s] ≤ 2·tables (two participants per table; it
ties the participants' timetables to the table capacity); and a participant whose possible
slots split into segments too short for its meetings (`availability_runs`) has at least that
many runs.
"""

import time
from copy import copy

from ortools.sat.python import cp_model


def meetings_per_participant(event) -> dict:
    counts = dict.fromkeys(event.participants, 0)
    for request in event.requests:
        counts[request.a] += 1
        counts[request.b] += 1
    return counts


def availability_runs(event) -> dict:
    """Participant → the least number of runs its meetings need, from the slots where it has
    a possible meeting (maximal segments of consecutive such slots, longest first). A lower
    bound on its breaks plus one; n_p above all its possible slots gives None (infeasible)."""
    counts = meetings_per_participant(event)
    possible = {p: set() for p in event.participants}
    for request in event.requests:
        locked = event.locked.get(request.id)
        slots = [locked.slot] if locked is not None else event.allowed_slots(request)
        for p in request.pair:
            possible[p].update(slots)
    result = {}
    for p, n in counts.items():
        if n == 0:
            continue
        segments, run = [], 0
        for s in range(event.n_slots + 1):
            if s < event.n_slots and s in possible[p]:
                run += 1
            elif run:
                segments.append(run)
                run = 0
        segments.sort(reverse=True)
        total, runs = 0, 0
        for length in segments:
            if total >= n:
                break
            total += length
            runs += 1
        result[p] = runs if total >= n else None
    return result


def add_redundant(built) -> None:
    """Constraints implied by "every request scheduled" that strengthen the model."""
    m = built.model
    counts = meetings_per_participant(built.event)
    for p, row in built.busy.items():
        cells = [b for b in row if b is not None]
        if counts[p] and len(cells) > counts[p]:
            m.Add(sum(cells) == counts[p])
    for s in range(built.event.n_slots):
        column = [row[s] for row in built.busy.values() if row[s] is not None]
        if len(column) > 2 * built.event.tables:
            m.Add(sum(column) <= 2 * built.event.tables)
    per_participant = built.breaks()
    for p, runs in availability_runs(built.event).items():
        if runs is not None and runs > 1 and p in per_participant:
            m.Add(per_participant[p][0] >= runs - 1)


def add_budget(built, budget: int | None, breakers=None) -> dict:
    """Block variables for every participant with breaks possible, and total breaks ≤ budget
    (module docstring; no budget when None). `built` is an `exact._Model` with
    `require_all`. With `breakers`, only those participants may have a break (every other
    one meets in one block). Returns participant → its `zero` literal ("no break")."""
    m = built.model
    counts = meetings_per_participant(built.event)
    per_participant = built.breaks()
    zeros = {}
    for p, (count, _has) in per_participant.items():
        n = counts[p]
        row = built.busy[p]
        zero = m.NewBoolVar("zero")
        m.Add(count == 0).OnlyEnforceIf(zero)
        m.Add(count >= 1).OnlyEnforceIf(zero.Not())
        windows = {}
        for k in range(len(row) - n + 1):
            if all(row[s] is not None for s in range(k, k + n)):
                first = m.NewBoolVar("first")
                windows[k] = first
                for s in range(k, k + n):
                    m.AddImplication(first, row[s])
        m.Add(sum(windows.values()) == zero)
        for s, b in enumerate(row):
            if b is None:
                continue
            cover = [f for k, f in windows.items() if k <= s < k + n]
            m.AddBoolOr([*cover, b.Not(), zero.Not()])
            m.Add(b == sum(cover)).OnlyEnforceIf(zero)
        zeros[p] = zero
        if breakers is not None and p not in breakers:
            m.Add(zero == 1)
    if budget is not None:
        m.Add(built.total_breaks() <= budget)
        if zeros:
            m.Add(sum(zeros.values()) >= len(zeros) - budget)
    return zeros


def probe(built, budget: int, *, time_limit: float, workers: int, seed: int, hint=None,
          minimise: bool = False, subsolvers=(), breakers=None):
    """Solve "at most `budget` breaks" (with `minimise`: the fewest total breaks within the
    budget) on a copy of `built`'s model, whose fairness and redundant constraints are
    already in; `built` itself is left unchanged. A `hint` within the budget is completed to
    every variable first (`exact._Model.hint`, a tenth of the time at most). Returns
    (status, solver, x) where x maps request index → [(slot, var in the copy)]."""
    saved_breaks = built.breaks()
    clone = built.model.Clone()
    clone.ClearObjective()
    clone.ClearHints()
    shadow = copy(built)
    shadow.model = clone
    shadow._breaks = {p: (_rebind(clone, count), has) for p, (count, has)
                      in saved_breaks.items()}
    shadow.busy = {p: [b if b is None else _bool(clone, b) for b in row]
                   for p, row in built.busy.items()}
    shadow.x = {i: [(s, _bool(clone, v)) for s, v in options] for i, options in built.x.items()}
    add_budget(shadow, budget, breakers)
    if hint is not None:
        started = time.perf_counter()
        shadow.hint(hint, time_limit=0.1 * time_limit)
        time_limit -= time.perf_counter() - started
    if minimise:
        clone.Minimize(shadow.total_breaks())
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    solver.parameters.subsolvers.extend(subsolvers)
    status = solver.Solve(clone)
    return status, solver, shadow.x


def _bool(model, var):
    return model.GetBoolVarFromProtoIndex(var.Index())


def _rebind(model, expr):
    return model.GetIntVarFromProtoIndex(expr.Index())
