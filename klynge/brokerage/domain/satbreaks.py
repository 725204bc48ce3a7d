"""SAT probes "every request scheduled with at most K breaks?" for `exact.minimise_breaks`.

CP-SAT finds the few-break timetables of the tightest JAIR 2022 instances slowly (the
"craf" variants with 12-14 tables: "at most 1 break" stays unknown after 60 s); the
published optima come from a SAT encoding solved by a clause-learning MaxSAT solver. This
module encodes the same question in CNF (after Bofill et al., JAIR 2022) and hands it to
CaDiCaL through python-sat (`pysat`), when that package is installed (`available()`):

- x[r,s] for each request r and each slot s it may be held in (`Event.allowed_slots`; a
  locked request only its locked slot): exactly one per request (every request scheduled);
- busy[p,s] ⇔ OR of p's x[·,s], at most one of them; Σ_s busy[p,s] is not encoded (it
  follows from "exactly one" and "at most one per slot");
- at most `tables` requests per slot (sequential counter);
- after[p,s] ⇔ p meets in some slot ≥ s (a suffix chain); a break of p ends at s when
  busy[p,s] ∧ ¬busy[p,s+1] ∧ after[p,s+2]: brk[p,s], defined in both directions, so the
  number of p's brk literals that hold is exactly its number of breaks (`model.breaks_of`);
- zero[p] → no brk[p,·] (and back); at most K participants without zero, and at most K
  brk literals in all (totalizers);
- zero[p] → first[p,k] for one window k..k+n_p−1 of possible slots, and first[p,k] fixes
  busy[p,·] (busy inside the window, idle outside), as `contiguity` does for CP-SAT
  (`WINDOWS`; measured on two of the JAIR instances with optimum 1, "at most 1 break"
  found in 7.0 and 4.3 CPU s with the windows, 19.4 s and more without);
- fairness d: when K is below the number of participants who meet, at least one of them
  has no break, the least count is 0 and fairness is "at most d breaks each"; otherwise
  the probe is not made (`fairness_reducible`);
- `COUNTS` (Σ_s busy[p,s] = n_p) and `PAIRS` (at most 2·tables participants busy per slot),
  redundant here, are off by default (no gain on ticf-13crafb: "at most 3 breaks" unknown
  after 23 CPU s with either, as without); `satportfolio` runs the encoding with both
  beside the one without (either is faster on one of the hardest instances);
- symmetry: participants whose only request is with the same partner, with the same
  allowed slots (no cap, not locked), are interchangeable: their meetings are put in
  increasing slot order (in request order);
- a hint (the incumbent) gives CaDiCaL its initial phases.

python-sat is optional: without it `available()` is false and `exact` skips the probes
(the project's dependencies must list `python-sat` for the figures in docs/benchmarks.md).

`probe` returns ("sat", schedule), ("unsat", None) or ("unknown", None) when the time limit
stops CaDiCaL. The schedule has no tables yet (`assign_tables`).
"""

import time
from collections import defaultdict

from klynge.brokerage.domain.model import Event, Placement, Schedule

try:
    from pysat.card import CardEnc, EncType, ITotalizer
    from pysat.formula import IDPool
    from pysat.solvers import Solver
except ImportError:  # pragma: no cover - the optional dependency
    Solver = None

SOLVER = "cadical195"
CONFLICTS = 5000
COUNTS = False  # experiments: Σ_s busy[p,s] = n_p
PAIRS = False  # experiments: at most 2·tables participants busy per slot
WINDOWS = True  # zero[p] → one window of n_p consecutive slots (`Encoding._windows`)


def available() -> bool:
    return Solver is not None


def meeting_counts(event: Event) -> dict:
    counts = dict.fromkeys(event.participants, 0)
    for request in event.requests:
        counts[request.a] += 1
        counts[request.b] += 1
    return counts


def fairness_reducible(event: Event, budget: int) -> bool:
    """True when "total breaks ≤ budget" forces some participant who meets to 0 breaks."""
    meeting = sum(1 for n in meeting_counts(event).values() if n)
    return budget < meeting


class Encoding:
    """The CNF of module docstring for `event` (every request scheduled), without a budget."""

    def __init__(self, event: Event, d: int | None, *, counts: bool | None = None,
                 pairs: bool | None = None):
        counts = COUNTS if counts is None else counts
        pairs = PAIRS if pairs is None else pairs
        self.event = event
        self.pool = IDPool()
        self.clauses: list[list[int]] = []
        self.x: dict[int, list[tuple[int, int]]] = {}
        self.brk: dict = {}
        self.zero: dict = {}
        self.feasible = True
        counts = meeting_counts(event)
        for p, cap in event.caps.items():
            if cap is not None and counts.get(p, 0) > cap:
                self.feasible = False
        slots = range(event.n_slots)
        cells: dict = defaultdict(list)
        per_slot: dict = defaultdict(list)
        for i, request in enumerate(event.requests):
            locked = event.locked.get(request.id)
            allowed = [locked.slot] if locked is not None else event.allowed_slots(request)
            options = [(s, self.pool.id(("x", i, s))) for s in allowed]
            self.x[i] = options
            if not options:
                self.feasible = False
                continue
            self._exactly_one([v for _s, v in options])
            for s, v in options:
                per_slot[s].append(v)
                cells[request.a, s].append(v)
                cells[request.b, s].append(v)
        for s in slots:
            if len(per_slot[s]) > event.tables:
                self._at_most(per_slot[s], event.tables)
        rows = {}
        for p in event.participants:
            if not counts[p]:
                continue
            row = []
            for s in slots:
                lits = cells.get((p, s), [])
                if not lits:
                    row.append(None)
                    continue
                if len(lits) > 1:
                    self._at_most(lits, 1)
                busy = self.pool.id(("busy", p, s))
                self.clauses.append([-busy, *lits])
                self.clauses.extend([-v, busy] for v in lits)
                row.append(busy)
            if counts:
                cells_p = [b for b in row if b is not None]
                if len(cells_p) > counts[p]:
                    self.clauses.extend(CardEnc.equals(cells_p, counts[p], vpool=self.pool,
                                                       encoding=EncType.seqcounter).clauses)
            rows[p] = row
            self._breaks(p, row)
        if pairs:
            for s in slots:
                column = [row[s] for row in rows.values() if row[s] is not None]
                if len(column) > 2 * event.tables:
                    self._at_most(column, 2 * event.tables)
        if d is not None:
            for lits in self.brk.values():
                if len(lits) > d:
                    self._at_most(lits, d)
        self._symmetry(counts)

    def _exactly_one(self, lits):
        if len(lits) == 1:
            self.clauses.append(lits)
            return
        encoding = EncType.pairwise if len(lits) <= 6 else EncType.seqcounter
        self.clauses.extend(CardEnc.equals(lits, 1, vpool=self.pool, encoding=encoding).clauses)

    def _at_most(self, lits, k):
        encoding = EncType.pairwise if k == 1 and len(lits) <= 6 else EncType.seqcounter
        self.clauses.extend(CardEnc.atmost(lits, k, vpool=self.pool, encoding=encoding).clauses)

    def _breaks(self, p, row):
        n = len(row)
        after = [None] * (n + 2)
        for s in range(n - 1, -1, -1):
            busy, later = row[s], after[s + 1]
            if busy is None or later is None:
                after[s] = later if busy is None else busy
                continue
            a = self.pool.id(("after", p, s))
            self.clauses.extend([[-a, busy, later], [-busy, a], [-later, a]])
            after[s] = a
        lits = []
        for s in range(n):
            busy = row[s]
            later = after[s + 2] if s + 2 < n else None
            if busy is None or later is None:
                continue
            follow = row[s + 1]
            cause = [busy, later] + ([-follow] if follow is not None else [])
            b = self.pool.id(("brk", p, s))
            self.clauses.append([-c for c in cause] + [b])
            self.clauses.extend([-b, c] for c in cause)
            lits.append(b)
        if lits:
            zero = self.pool.id(("zero", p))
            self.clauses.extend([-zero, -b] for b in lits)
            self.clauses.append([zero, *lits])
            if WINDOWS:
                self._windows(p, row, zero)
            self.brk[p] = lits
            self.zero[p] = zero

    def _windows(self, p, row, zero):
        """zero[p] → one of p's windows of n_p consecutive possible slots is its timetable
        (first[p,k] → busy inside the window, idle outside)."""
        n = sum(1 for i in self.x if p in self.event.requests[i].pair)
        starts = []
        for k in range(len(row) - n + 1):
            if all(row[t] is not None for t in range(k, k + n)):
                first = self.pool.id(("first", p, k))
                starts.append(first)
                for t, busy in enumerate(row):
                    if busy is not None:
                        self.clauses.append([-first, busy if k <= t < k + n else -busy])
        self.clauses.append([-zero, *starts])

    def _symmetry(self, counts):
        event = self.event
        requests_of = defaultdict(list)
        for i, request in enumerate(event.requests):
            requests_of[request.a].append(i)
            requests_of[request.b].append(i)
        groups = defaultdict(list)
        for p in event.participants:
            if counts[p] != 1 or p in event.caps:
                continue
            (i,) = requests_of[p]
            request = event.requests[i]
            if request.id in event.locked:
                continue
            partner = request.b if request.a == p else request.a
            key = (repr(partner), tuple(s for s, _v in self.x[i]))
            groups[key].append(i)
        for members in groups.values():
            for first, second in zip(members, members[1:], strict=False):
                earlier = self.x[first]
                for s, v in self.x[second]:
                    self.clauses.append([-v, *[u for t, u in earlier if t < s]])

    def budget_clauses(self, budget: int) -> list[list[int]]:
        """Total breaks ≤ budget, and at most `budget` participants with a break."""
        extra = []
        without = [-z for z in self.zero.values()]
        every = [b for lits in self.brk.values() for b in lits]
        for items in (without, every):
            if len(items) <= budget:
                continue
            if budget == 0:
                extra.extend([-v] for v in items)
                continue
            tot = ITotalizer(lits=items, ubound=budget + 1, top_id=self.pool.top)
            self.pool.top = tot.top_id
            extra.extend(tot.cnf.clauses)
            extra.append([-tot.rhs[budget]])
        return extra

    def phases(self, schedule: Schedule | None) -> list[int]:
        if schedule is None:
            return []
        result = []
        for i, request in enumerate(self.event.requests):
            slot = schedule.slot_of(request.id)
            for s, v in self.x[i]:
                result.append(v if s == slot else -v)
        return result

    def schedule(self, model: list[int]) -> Schedule:
        true = {v for v in model if v > 0}
        placements = {}
        for i, request in enumerate(self.event.requests):
            for s, v in self.x[i]:
                if v in true:
                    locked = self.event.locked.get(request.id)
                    placements[request.id] = Placement(s, locked.table if locked else None)
                    break
        return Schedule(placements)


def probe(event: Event, budget: int, *, d: int | None, time_limit: float,
          hint: Schedule | None = None, encoding: Encoding | None = None,
          counts: bool | None = None, pairs: bool | None = None):
    """"Every request scheduled, fairness d, at most `budget` breaks?" (module docstring)."""
    if not available():
        return "unknown", None
    if d is not None and not fairness_reducible(event, budget):
        return "unknown", None
    enc = encoding if encoding is not None else Encoding(event, d, counts=counts, pairs=pairs)
    if not enc.feasible:
        return "unsat", None
    clauses = enc.clauses + enc.budget_clauses(budget)
    with Solver(name=SOLVER, bootstrap_with=clauses) as solver:
        phases = enc.phases(hint)
        if phases:
            solver.set_phases(phases)
        # CaDiCaL ignores `interrupt` here: it runs in rounds of conflicts (its learnt
        # clauses are kept between them) until the time limit; each round is sized from the
        # last one's pace to about a second (at least CONFLICTS), so rounds stay few.
        deadline = time.perf_counter() + time_limit
        answer = None
        conflicts = CONFLICTS
        while answer is None and time.perf_counter() < deadline:
            started = time.perf_counter()
            solver.conf_budget(conflicts)
            answer = solver.solve_limited()
            elapsed = max(1e-3, time.perf_counter() - started)
            left = deadline - time.perf_counter()
            conflicts = max(CONFLICTS, int(conflicts / elapsed * min(1.0, left / 2)))
        if answer is None:
            return "unknown", None
        if not answer:
            return "unsat", None
        return "sat", enc.schedule(solver.get_model())
