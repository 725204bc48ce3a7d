"""The exact mode: OR-Tools CP-SAT models of the brokerage scheduling problem.

The model (shared by both entry points)
---------------------------------------
- x[r,s] ∈ {0,1} for each request r and each slot s it may be held in (its sessions, both
  sides available: `Event.allowed_slots`). A locked request has a single variable, for its
  locked slot, fixed to 1.
- Each request at most once: Σ_s x[r,s] ≤ 1 (= 1 when every request must be scheduled).
- busy[p,s] = Σ_{r ∋ p} x[r,s] ∈ {0,1}: a participant has at most one meeting per slot (a
  slot where p has no candidate meeting is the constant 0, no variable is made).
- Σ_r x[r,s] ≤ tables for each slot. Tables are identical, so the model only counts meetings
  per slot (no table variables: that removes the table symmetry); tables are given
  afterwards with `assign_tables` (locked tables stay).
- Caps: Σ_s busy[p,s] ≤ cap[p].
- Breaks (Bofill et al., JAIR 2022): a break of p is "busy at s, idle at s+1..t-1, busy at
  t", i.e. one less than the number of maximal runs of consecutive busy slots. A run starts
  at s when start[p,s] = busy[p,s] ∧ ¬busy[p,s-1], linearised exactly as
  start ≥ busy[s] − busy[s−1], start ≤ busy[s], start ≤ 1 − busy[s−1] (start is busy[s]
  itself when busy[s−1] is the constant 0); has[p] = OR_s busy[p,s] (the constant 1 when
  p must meet someone); breaks_p ∈ [0, runs−1] is an integer variable with
  breaks_p = Σ_s start[p,s] − has[p] (its domain starting at 0 gives the solver the trivial
  bound at once; a participant with at most one possible run gets no variable). The
  definition is exact in both directions, so the fairness constraint below cannot be met by
  overstating a count.
- The solves that minimise breaks put CP-SAT's core-guided worker first in the portfolio of
  full-problem workers (`CORE_FIRST`): the objective is a sum of many small counts, the
  MaxSAT-like case where it proves 0-break optima at once (the published optima come from a
  core-guided MaxSAT solver); the large-neighbourhood-search workers run beside it.

`maximise` (lexicographic, three CP-SAT solves on the same model)
-----------------------------------------------------------------
1. maximise Σ w_r·Σ_s x[r,s] with integer weights w_r = max(1, round(1000·priority))
   (priorities scaled by 1000 and rounded; `Result.bound` is the stage's bound divided back
   by 1000, so with priorities that are not multiples of 0.001 it is approximate);
2. with stage 1's value kept (added as a constraint: weighted value ≥ the value found),
   maximise the number of participants with a feasible request (one with an allowed slot
   and no cap of 0 on either side) that get at least one meeting (met[p] ≤ Σ_s busy[p,s]);
3. with both kept, minimise the total number of breaks.
Each stage starts from the previous stage's solution as a hint (the first from `hint`; a
hint is completed to every variable first, see `_Model.hint`, within 10 % of the time). Time:
stage 1 may use 60 % of `time_limit`, stage 2 half of what is left, stage 3 the rest (a
stage that finishes early leaves its time to the next). `optimal` is true when every stage
was proven optimal.

`minimise_breaks` (the JAIR problem)
-----------------------------------
With `require_all`, every request must be scheduled (Σ_s x[r,s] = 1) and the total number of
breaks is minimised in two phases. Phase 1 (`PROBE_AFTER` = 10 % of the time) solves the
model above, strengthened with constraints implied by "everything scheduled"
(`contiguity.add_redundant`: each participant's number of busy slots is its number of
meetings; at most 2·tables participants busy per slot; a participant whose possible slots
split into segments too short for its meetings has at least that many breaks), with the
hint. Unless that is proven optimal, phase 2 (`probes`) solves the block model of
`contiguity` (a participant without a break fills one window of n_p consecutive slots)
within the incumbent's total, with the rest of the time: core-guided search assumes "no
one has a break" and the blocks propagate that strongly (measured: the published optima
on the JAIR instances where the first model alone stayed far above them). Before that,
`raise_bound` (at most `RAISE_SHARE` of the time, `RAISE_PROBE` s a probe) asks "at most
`low` breaks?" as a satisfaction problem from the lower bound up: with the budget a hard
constraint, presolve proves a budget too small at once where the core-guided search leaves
it open (the JAIR instances with optimum 1: "0 breaks" infeasible in 0.1-0.3 s), and a
probe that finds a schedule is optimal. A valid, fair hint (every request scheduled) with
fewer breaks than the solvers' answer is returned instead (`not_worse_than_hint`: on a
loaded machine the hint's completion may time out and the search end above it).

When python-sat is installed (`satbreaks.available()`), the bound is 1 (`SAT_MAX_BOUND`;
at 0 the CP-SAT block model's core search, which assumes every participant in one block, is
at its strongest, and above 1 CaDiCaL was measured slow where the block model reaches the
optima) and the incumbent is still `SAT_GAP` breaks or more above it after
`raise_bound`, `sat_probes` asks CaDiCaL "at most K breaks?" on a CNF encoding
(`satbreaks`, after the paper's: the published optima come from a SAT-based solver) from
K = the bound up, with at most `SAT_SHARE` of the rest of the time; the CP-SAT block model
gets what is left. On the tightest JAIR instances ("craf" variants with 12-14 tables)
CP-SAT leaves "at most 1 break" unknown after 60 s where CaDiCaL finds a schedule in 4-7
CPU seconds. A close incumbent is left to CP-SAT, which reaches and proves those optima
(the forumt instances) with the block model. When the bound is above 1 and the incumbent
still `SAT_GAP` or more above it, `near_probes` asks "at most the bound + `SAT_NEAR` (2)
breaks?", the question put to `workers` CaDiCaL processes at once with different redundant
constraints (`satportfolio`; CaDiCaL's time to an answer varies several-fold between them),
with the rest of the time; the block model then starts from its schedule. On the two JAIR
instances where CP-SAT alone stays far above the optimum (forum-13crafb, ticf-13crafb) this
gives a schedule within 2 of the proven bound, and on forum-14 the block model reaches the
optimum from it. Phase 1 had 30 % of the time before `near_probes` existed; at 10 % the
probes get about 23 s of the 30 (measured on the 20 instances: no optimum lost, most
reached sooner).

Fairness with parameter d: max_b − min_b ≤ d, where max_b ≥ breaks_p for every participant
and min_b ≤ breaks_p for every participant with at least one meeting (our choice: the paper
states it over all participants, but a participant without meetings has no timetable, and
forcing everyone's breaks down to d because of them is not meant; on the JAIR instances
every participant has a meeting, so the two agree). A participant with a single possible
meeting has 0 breaks, so then min_b = 0. `d=None` drops fairness. Without `require_all`,
stage 1 maximises the weighted value (with fairness as a hard constraint, so the final
schedule is fair), then stage 2 keeps it and minimises breaks. An infeasible event gives
`Result(schedule=None, optimal=False)`. `bound` is the solver's lower bound on the total
breaks.

Above `LARGE` x variables CP-SAT's presolve is switched off (at 3,000 participants it
alone outlasted a 12 s stage without reaching the search); without a hint, `maximise` hints
the schedule of the locked meetings alone and falls back to it (or to a valid `hint`) when
stage 1 finds nothing better in time. A `hint` (e.g. the heuristic's schedule) matters on
the larger JAIR instances: CP-SAT's portfolio with 2 workers finds 0-break timetables slowly
from scratch. Both use `workers` search workers and a fixed `random_seed` (`seed`) for
reproducibility
(fully deterministic with workers=1 when the instance is solved to optimality).
"""

import math
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from klynge.brokerage.domain import contiguity
from klynge.brokerage.domain.model import (
    Event,
    Placement,
    Schedule,
    assign_tables,
    breaks,
    value,
)
from klynge.brokerage.domain.search import (
    CORE_FIRST,
    found,
    not_worse_than_hint,
    probes,
)
from klynge.brokerage.domain.validate import violations

SCALE = 1000  # priorities are scaled by this and rounded to integer weights
LARGE = 50_000  # more x variables than this: CP-SAT runs without its presolve
PROBE_AFTER = 0.1  # minimise_breaks: this share of the time optimises, then budget probes
PARAMETERS: dict = {}  # extra CP-SAT parameters (name → value), for experiments


@dataclass
class Result:
    """A solver's answer. `schedule` is None when no schedule was found (or none exists);
    `bound` is the solver's bound on the optimised quantity: an upper bound on the weighted
    value for `maximise`, a lower bound on the total breaks for `minimise_breaks`."""

    schedule: Schedule | None
    value: float
    breaks_total: int
    optimal: bool
    bound: float
    seconds: float


def weight(priority: float) -> int:
    """A priority as the integer weight CP-SAT optimises."""
    return max(1, round(priority * SCALE))


class _Model:
    """The variables and constraints common to both modes (see the module docstring)."""

    def __init__(self, event: Event, *, require_all: bool):
        self.event = event
        self.model = cp_model.CpModel()
        m = self.model
        n_slots = event.n_slots
        self.x: dict = {}  # request index → list of (slot, var)
        terms: dict = {}  # (participant, slot) → vars
        per_slot: list[list] = [[] for _ in range(n_slots)]
        for i, request in enumerate(event.requests):
            locked = event.locked.get(request.id)
            if locked is not None:
                var = m.NewBoolVar(f"x{i}_{locked.slot}")
                m.Add(var == 1)
                options = [(locked.slot, var)]
            else:
                options = [(s, m.NewBoolVar(f"x{i}_{s}")) for s in event.allowed_slots(request)]
            self.x[i] = options
            if require_all:
                m.AddExactlyOne([v for _s, v in options])
            elif len(options) > 1:
                m.AddAtMostOne([v for _s, v in options])
            for s, var in options:
                per_slot[s].append(var)
                terms.setdefault((request.a, s), []).append(var)
                terms.setdefault((request.b, s), []).append(var)
        for vars_ in per_slot:
            if len(vars_) > event.tables:
                m.Add(sum(vars_) <= event.tables)
        self.busy: dict = {}  # participant → list over slots of None (never busy) or a BoolVar
        for p in event.participants:
            row = []
            for s in range(n_slots):
                vars_ = terms.get((p, s), [])
                if not vars_:
                    row.append(None)
                elif len(vars_) == 1:
                    row.append(vars_[0])
                else:
                    b = m.NewBoolVar(f"busy_{s}")
                    m.Add(sum(vars_) == b)
                    row.append(b)
            self.busy[p] = row
        for p, cap in event.caps.items():
            if cap is not None and p in self.busy:
                row = [b for b in self.busy[p] if b is not None]
                if len(row) > cap:
                    m.Add(sum(row) <= cap)
        self.weighted = sum(weight(r.priority) * v for i, r in enumerate(event.requests)
                            for _s, v in self.x[i])
        self._breaks = None
        self.require_all = require_all
        self.n_x = sum(len(options) for options in self.x.values())

    def has_meeting(self, p):
        """True when p must meet someone, None when it cannot, else a BoolVar = OR of its busy."""
        row = [b for b in self.busy[p] if b is not None]
        if not row:
            return None
        if self.require_all:
            return True
        has = self.model.NewBoolVar("has")
        for b in row:
            self.model.AddImplication(b, has)
        self.model.AddBoolOr(row).OnlyEnforceIf(has)
        return has

    def breaks(self) -> dict:
        """Participant → (breaks expression, has-meeting term), built once."""
        if self._breaks is not None:
            return self._breaks
        m = self.model
        result = {}
        for p, row in self.busy.items():
            starts = []
            previous = None
            for b in row:
                if b is not None:
                    if previous is None:
                        starts.append(b)
                    else:
                        start = m.NewBoolVar("start")
                        m.Add(start >= b - previous)
                        m.AddImplication(start, b)
                        m.AddImplication(start, previous.Not())
                        starts.append(start)
                previous = b
            if len(starts) <= 1:
                continue  # at most one possible run: never a break
            has = self.has_meeting(p)
            count = m.NewIntVar(0, len(starts) - 1, "breaks")
            m.Add(count == sum(starts) - (1 if has is True else has))
            result[p] = (count, has)
        self._breaks = result
        return result

    def total_breaks(self):
        return sum(expr for expr, _has in self.breaks().values())

    def add_fairness(self, d: int):
        """max_b − min_b ≤ d over the participants with at least one meeting."""
        m = self.model
        per_participant = self.breaks()
        if not per_participant:
            return
        bound = max(len(row) for row in self.busy.values())
        max_b = m.NewIntVar(0, bound, "max_breaks")
        min_b = m.NewIntVar(0, bound, "min_breaks")
        for expr, has in per_participant.values():
            m.Add(max_b >= expr)
            if has is True:
                m.Add(min_b <= expr)
            elif has is not None:
                m.Add(min_b <= expr).OnlyEnforceIf(has)
        # A participant with a possible meeting but never two runs has 0 breaks when it meets.
        for p, row in self.busy.items():
            if p in per_participant or all(b is None for b in row):
                continue
            has = self.has_meeting(p)
            if has is True:
                m.Add(min_b == 0)
            else:
                m.Add(min_b == 0).OnlyEnforceIf(has)
        m.Add(max_b - min_b <= d)

    def hint(self, schedule: Schedule | None, *, time_limit: float = 1.0):
        """Hint `schedule` to the next solve. CP-SAT makes little use of a hint on the x
        variables alone (its workers must first complete the auxiliary ones), so a copy of
        the model with x fixed to the schedule is solved first (presolve settles it at once)
        and, when that copy is feasible, every variable is hinted with its value."""
        m = self.model
        m.ClearHints()
        if schedule is None:
            return
        fixed = {}
        for i, request in enumerate(self.event.requests):
            slot = schedule.slot_of(request.id)
            for s, var in self.x[i]:
                fixed[var.Index()] = 1 if s == slot else 0
        trial = m.Clone()
        trial.ClearObjective()
        for index, setting in fixed.items():
            trial.Add(trial.GetBoolVarFromProtoIndex(index) == setting)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, time_limit)
        solver.parameters.num_workers = 1
        if found(solver.Solve(trial)):
            proto = m.Proto().solution_hint
            proto.vars.extend(range(len(m.Proto().variables)))
            proto.values.extend(list(solver.ResponseProto().solution)[:len(proto.vars)])
            return
        for index, setting in fixed.items():
            m.AddHint(m.GetBoolVarFromProtoIndex(index), setting)

    def solve(self, objective, *, maximise: bool, time_limit: float, workers: int, seed: int,
              core: bool = False):
        if isinstance(objective, int):
            self.model.ClearObjective()
        elif maximise:
            self.model.Maximize(objective)
        else:
            self.model.Minimize(objective)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, time_limit)
        solver.parameters.num_workers = max(1, workers)
        solver.parameters.random_seed = seed
        if self.n_x > LARGE:
            # On large events CP-SAT's presolve alone outlasts a 10-20 s limit (3,000
            # participants: no solution after 12 s); without it the search starts at once.
            solver.parameters.cp_model_presolve = False
        if core:
            # A sum of many small counts: core-guided search (MaxSAT style, like the solver
            # with the published optima) leads the portfolio of full-problem workers.
            solver.parameters.subsolvers.extend(CORE_FIRST)
        for key, setting in PARAMETERS.items():
            if isinstance(setting, list):
                getattr(solver.parameters, key).extend(setting)
            else:
                setattr(solver.parameters, key, setting)
        status = solver.Solve(self.model)
        return solver, status

    def schedule(self, solver) -> Schedule:
        placements = {}
        for i, request in enumerate(self.event.requests):
            for s, var in self.x[i]:
                if solver.BooleanValue(var):
                    locked = self.event.locked.get(request.id)
                    placements[request.id] = Placement(s, locked.table if locked else None)
        return assign_tables(self.event, Schedule(placements))


def _result(event, schedule, *, optimal, bound, started) -> Result:
    seconds = time.perf_counter() - started
    if schedule is None:
        return Result(None, 0.0, 0, False, bound, seconds)
    return Result(schedule, float(value(event, schedule)), sum(breaks(event, schedule).values()),
                  optimal, bound, seconds)


def feasible_participants(event: Event) -> set:
    """The participants with at least one request that could be scheduled on its own."""
    found = set()
    for request in event.requests:
        if any(event.caps.get(p) == 0 for p in request.pair):
            continue
        if request.id in event.locked or event.allowed_slots(request):
            found.update(request.pair)
    return found


def maximise(event: Event, *, time_limit: float = 10.0, hint: Schedule | None = None,
             workers: int = 2, seed: int = 0) -> Result:
    """Maximise the weighted value, then coverage, then fewest breaks (module docstring)."""
    started = time.perf_counter()
    deadline = started + time_limit
    built = _Model(event, require_all=False)
    m = built.model
    # Without a hint, the locked meetings alone (a valid schedule when they do not clash)
    # give CP-SAT a first solution at once: on large events it may find none on its own.
    fallback = next((s for s in (hint, Schedule(dict(event.locked)))
                     if s is not None and not violations(event, s)), None)
    built.hint(hint if hint is not None else fallback, time_limit=0.1 * time_limit)
    solver, status = built.solve(built.weighted, maximise=True,
                                 time_limit=started + 0.6 * time_limit - time.perf_counter(),
                                 workers=workers, seed=seed)
    # A solver stopped early may report a bound above everything there is to schedule
    # (measured at 3,000 participants): the total of the priorities bounds it anyway.
    ceiling = sum(r.priority for r in event.requests)
    if not found(status):
        if status == cp_model.INFEASIBLE or fallback is None:
            return _result(event, None, optimal=False, bound=-math.inf, started=started)
        return _result(event, assign_tables(event, fallback), optimal=False,
                       bound=min(solver.BestObjectiveBound() / SCALE, ceiling) + 0.0,
                       started=started)
    optimal = status == cp_model.OPTIMAL
    bound = min(solver.BestObjectiveBound() / SCALE, ceiling) + 0.0
    best = built.schedule(solver)
    m.Add(built.weighted >= round(solver.ObjectiveValue()))

    covered = [p for p in sorted(feasible_participants(event), key=repr)
               if any(b is not None for b in built.busy[p])]
    if covered:
        met = []
        for p in covered:
            flag = m.NewBoolVar("met")
            m.Add(sum(b for b in built.busy[p] if b is not None) >= 1).OnlyEnforceIf(flag)
            met.append(flag)
        built.hint(best, time_limit=0.1 * time_limit)
        remaining = deadline - time.perf_counter()
        solver, status = built.solve(sum(met), maximise=True, time_limit=remaining / 2,
                                     workers=workers, seed=seed)
        if found(status):
            best = built.schedule(solver)
            m.Add(sum(met) >= round(solver.ObjectiveValue()))
        optimal = optimal and status == cp_model.OPTIMAL

    if built.breaks():
        built.hint(best, time_limit=0.1 * time_limit)
        remaining = deadline - time.perf_counter()
        solver, status = built.solve(built.total_breaks(), maximise=False,
                                     time_limit=remaining, workers=workers, seed=seed,
                                     core=True)
        if found(status):
            best = built.schedule(solver)
        optimal = optimal and status == cp_model.OPTIMAL
    return _result(event, best, optimal=optimal, bound=bound, started=started)


def minimise_breaks(event: Event, *, d: int | None = 2, time_limit: float = 30.0,
                    hint: Schedule | None = None, workers: int = 2, require_all: bool = True,
                    seed: int = 0) -> Result:
    """Fewest total breaks under fairness d (module docstring); every request scheduled when
    `require_all`, else the weighted value first."""
    started = time.perf_counter()
    deadline = started + time_limit
    built = _Model(event, require_all=require_all)
    m = built.model
    if d is not None:
        built.add_fairness(d)
    if require_all and built.breaks():
        contiguity.add_redundant(built)
    built.hint(hint, time_limit=0.1 * time_limit)
    best = None
    optimal = True
    if not require_all:
        solver, status = built.solve(built.weighted, maximise=True,
                                     time_limit=started + 0.5 * time_limit - time.perf_counter(),
                                     workers=workers, seed=seed)
        if not found(status):
            return _result(event, None, optimal=False, bound=math.inf, started=started)
        optimal = status == cp_model.OPTIMAL
        best = built.schedule(solver)
        m.Add(built.weighted >= round(solver.ObjectiveValue()))
        built.hint(best, time_limit=0.1 * time_limit)
    if not built.breaks():
        if best is None:
            solver, status = built.solve(0, maximise=False, time_limit=time_limit,
                                         workers=workers, seed=seed)
            if not found(status):
                return _result(event, None, optimal=False, bound=math.inf, started=started)
            best = built.schedule(solver)
        return _result(event, best, optimal=optimal, bound=0.0, started=started)
    remaining = deadline - time.perf_counter()
    share = PROBE_AFTER * remaining if require_all else remaining
    solver, status = built.solve(built.total_breaks(), maximise=False, time_limit=share,
                                 workers=workers, seed=seed, core=True)
    if found(status):
        best = built.schedule(solver)
        bound = solver.BestObjectiveBound()
    else:
        bound = math.inf if status == cp_model.INFEASIBLE else solver.BestObjectiveBound()
    if best is None and status == cp_model.INFEASIBLE:
        return _result(event, None, optimal=False, bound=bound, started=started)
    optimal = optimal and status == cp_model.OPTIMAL
    if require_all and not optimal:
        best, bound, optimal = probes(built, best, bound, deadline, workers=workers, seed=seed,
                                       d=d)
    if require_all:
        best = not_worse_than_hint(event, best, hint, d)
        if best is not None and sum(breaks(event, best).values()) <= bound:
            optimal = True
    if best is None:
        return _result(event, None, optimal=False, bound=bound, started=started)
    return _result(event, best, optimal=optimal, bound=bound, started=started)
