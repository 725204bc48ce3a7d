"""The fast scheduler: a constructive pass, repair by ejection chains, then break reduction.

Objectives, in this order: the priority-weighted number of scheduled requests, fairness (no
participant with a feasible request left without a meeting), then the fewest breaks (idle gaps
between a participant's meetings, see `model`). Every schedule returned respects what the
validator checks: no double booking, at most `tables` meetings per slot (and one per table),
availability, sessions, caps, and locked meetings where they were locked.

The algorithm (`schedule`):

1. *Locked meetings first.* They are placed where they are locked and never moved. With a
   `start` schedule, its placements that are still valid are kept next (a warm start).
2. *Constructive pass.* The other requests are taken most-constrained first: fewest allowed
   slots (sessions and both sides' availability), then highest priority, then the busiest pair
   of participants. Each goes to the free slot (both sides idle, a table left, caps not reached)
   that adds the fewest breaks to its two participants; ties go to the earliest slot. A
   participant's first meeting adds no break, so meetings pack from the start of the day.
3. *Repair by ejection chains.* Each request left out is retried (depth 1 first): for an
   allowed slot, the meetings blocking it (the two participants' meetings there, or one meeting
   of a full slot) are lifted, the request is placed, and every lifted meeting is re-placed
   recursively with one level less; a chain that fails is rolled back through a journal. A
   request is never moved twice in one chain. Requests of participants who have no meeting
   yet are tried first, then higher priorities, then fewer allowed slots.
4. *Displacement.* A request still left out may push out meetings (blockers, the cheapest
   meeting of a full slot, a capped participant's cheapest meeting) whose priorities sum to
   less than its own, or to as much when it gives a meeting to a participant who has none
   without leaving anyone else without one; the pushed-out meetings are re-placed where they
   fit. Each step strictly improves (value, number of participants with a meeting), so this
   ends. Rounds after the first look only at requests of participants whose meetings changed.
   A second series also tries equal-value exchanges that let another waiting request in.
   Then chains of depth 2 and 3.
5. *Tabu walk.* While time is left and requests wait, one is forced into a random allowed
   slot, lifting what is in the way (recently placed requests are tabu), and the lifted ones
   are re-placed by chains; the best value seen is restored at the end.
6. *Break reduction* (`reduce_breaks`, with the time left): simulated annealing on
   W × (fairness excess over d) + total breaks. A step moves a meeting to another slot (mostly
   one next to a meeting of its participants), swaps it with the one meeting in the way, or
   exchanges the whole contents of two slots; worse steps are taken with probability
   exp(−Δ/T); the best state seen is restored at the end. It never unschedules.

Steps 2–5 take at most 70 % of `time_limit`, step 6 the rest; a run with the same seed gives
the same schedule as long as the time limit is not what stops it.

`place_late` places new requests into a published schedule: a free slot first, then one-move
repair (ejection depth 1) that may move meetings neither locked nor frozen; it builds an
`incremental.LatePlacer` (the whole state) on each call, and a caller taking many late requests
into the same published schedule keeps one placer instead. `cancel` drops meetings. Tables:
locked tables stay, meetings that keep their slot keep their table, the others get the lowest
free table of their slot.
"""

import math
import random
import time
from bisect import bisect_left
from collections import Counter

from klynge.brokerage.domain.model import Event, Placement, Schedule, breaks_of

_INF = float("inf")


def _delta(slots: list, s: int) -> int:
    """The breaks added to a participant with meetings in sorted `slots` by one more at s."""
    i = bisect_left(slots, s)
    left = slots[i - 1] if i else None
    right = slots[i] if i < len(slots) else None
    if left is None:
        return 0 if right is None else (1 if right - s > 1 else 0)
    if right is None:
        return 1 if s - left > 1 else 0
    return (s - left > 1) + (right - s > 1) - (right - left > 1)


class _State:
    """A schedule being built, with an undo journal for tentative changes."""

    def __init__(self, event: Event, fixed=()):
        self.event = event
        self.req = event._by_id().__getitem__  # request id → Request (the event's cache)
        self.tables = event.tables
        self.n_slots = event.n_slots
        self.slot_of: dict = {}
        self.occ: dict = {p: {} for p in event.participants}  # participant → slot → request id
        # slot → its meetings (a dict used as an ordered set: runs are reproducible)
        self.members: list[dict] = [{} for _ in range(self.n_slots)]
        self.cheapest = min((r.priority for r in event.requests), default=1.0)
        self.caps = {p: (_INF if c is None else c) for p, c in event.caps.items()}
        self.fixed = set(fixed)
        self.journal: list = []
        self.movable: list = []
        self.touched: set = set()  # participants whose meetings changed (repair rounds)
        self._allowed: dict = {}

    # -- basic operations -------------------------------------------------------------------
    def allowed(self, rid) -> list:
        slots = self._allowed.get(rid)
        if slots is None:
            slots = self._allowed[rid] = self.event.allowed_slots(self.req(rid))
        return slots

    def place(self, rid, s: int) -> None:
        r = self.req(rid)
        self.occ[r.a][s] = rid
        self.occ[r.b][s] = rid
        self.members[s][rid] = None
        self.slot_of[rid] = s
        self.journal.append((rid, None))
        self.touched.add(r.a)
        self.touched.add(r.b)

    def remove(self, rid) -> None:
        r = self.req(rid)
        s = self.slot_of.pop(rid)
        del self.occ[r.a][s]
        del self.occ[r.b][s]
        del self.members[s][rid]
        self.journal.append((rid, s))

    def rollback(self, mark: int) -> None:
        journal = self.journal
        while len(journal) > mark:
            rid, old = journal.pop()
            r = self.req(rid)
            if old is None:  # undo a placement
                s = self.slot_of.pop(rid)
                del self.occ[r.a][s]
                del self.occ[r.b][s]
                del self.members[s][rid]
            else:  # undo a removal
                self.occ[r.a][old] = rid
                self.occ[r.b][old] = rid
                self.members[old][rid] = None
                self.slot_of[rid] = old

    def load(self, placements: dict) -> None:
        """Add placements (request id → Placement) at once: no journal, no checks."""
        req, occ, members, slot_of = self.req, self.occ, self.members, self.slot_of
        for rid, placement in placements.items():
            r = req(rid)
            s = placement.slot
            occ[r.a][s] = rid
            occ[r.b][s] = rid
            members[s][rid] = None
            slot_of[rid] = s

    def room(self, p) -> bool:
        return len(self.occ[p]) < self.caps.get(p, _INF)

    # -- placing ----------------------------------------------------------------------------
    def best_free_slot(self, rid):
        """The free slot adding the fewest breaks (earliest on ties), or None."""
        r = self.req(rid)
        occ_a, occ_b = self.occ[r.a], self.occ[r.b]
        if len(occ_a) >= self.caps.get(r.a, _INF) or len(occ_b) >= self.caps.get(r.b, _INF):
            return None
        tables, members = self.tables, self.members
        sa, sb = sorted(occ_a), sorted(occ_b)
        best, best_cost = None, 3
        for s in self.allowed(rid):
            if s in occ_a or s in occ_b or len(members[s]) >= tables:
                continue
            cost = _delta(sa, s) + _delta(sb, s)
            if cost < best_cost:
                best, best_cost = s, cost
                if cost <= -1:
                    break
        return best

    def insert(self, rid, depth: int, banned: frozenset) -> bool:
        """Place rid, lifting blocking meetings and re-placing them (ejection chain)."""
        s = self.best_free_slot(rid)
        if s is not None:
            self.place(rid, s)
            return True
        if depth <= 0:
            return False
        r = self.req(rid)
        if not (self.room(r.a) and self.room(r.b)):
            return False
        occ_a, occ_b = self.occ[r.a], self.occ[r.b]
        banned = banned | {rid}
        for s in self.allowed(rid):
            blockers = {x for x in (occ_a.get(s), occ_b.get(s)) if x is not None}
            if blockers & self.fixed or blockers & banned:
                continue
            options = [blockers]
            if len(self.members[s]) - len(blockers) >= self.tables:
                extra = []
                for x in self.members[s]:
                    if x not in blockers and x not in self.fixed and x not in banned:
                        extra.append(x)
                        if len(extra) == 2:
                            break
                options = [blockers | {x} for x in extra]
            for lifted in options:
                if len(lifted) > 1 and depth < 2:
                    continue
                mark = len(self.journal)
                for x in sorted(lifted, key=repr):
                    self.remove(x)
                self.place(rid, s)
                inner = banned | lifted
                if all(self.insert(x, depth - 1, inner) for x in sorted(lifted, key=repr)):
                    return True
                self.rollback(mark)
        return False

    def displace(self, rid, exchange: bool = True) -> set | None:
        """Place rid by pushing out cheaper meetings (or equal ones, for fairness)."""
        r = self.req(rid)
        occ_a, occ_b = self.occ[r.a], self.occ[r.b]
        for_fairness = not occ_a or not occ_b
        best = None
        for s in self.allowed(rid):
            out = {x for x in (occ_a.get(s), occ_b.get(s)) if x is not None}
            if out & self.fixed:
                continue
            full = len(self.members[s]) - len(out) >= self.tables
            upper = (r.priority - sum(self.req(x).priority for x in out)
                     - (self.cheapest if full else 0))
            if upper < 0 or (upper == 0 and not (for_fairness or exchange)):
                continue
            if full:
                spare = [x for x in self.members[s] if x not in out and x not in self.fixed]
                if not spare:
                    continue
                out.add(min(spare, key=lambda x: self.req(x).priority))
            ok = True
            for p in (r.a, r.b):
                left = [x for x in self.occ[p].values() if x not in out]
                if len(left) >= self.caps.get(p, _INF):
                    spare = [x for x in left if x not in self.fixed]
                    if not spare or len(left) - 1 >= self.caps[p]:
                        ok = False
                        break
                    out.add(min(spare, key=lambda x: (self.req(x).priority, repr(x))))
            if not ok:
                continue
            gain = r.priority - sum(self.req(x).priority for x in out)
            if gain < 0:
                continue
            if gain == 0 and not for_fairness:
                if exchange and self.swap_in(rid, s, out):
                    return set()
                continue
            if gain == 0:
                others = Counter(p for x in out for p in self.req(x).pair
                                 if p not in (r.a, r.b))
                if any(len(self.occ[p]) <= n for p, n in others.items()):
                    continue
            key = (gain, -len(out), -s)
            if best is None or key > best[0]:
                best = (key, s, out)
        if best is None:
            return None
        _key, s, out = best
        for x in sorted(out, key=repr):
            self.remove(x)
        self.place(rid, s)
        return out


    def swap_in(self, rid, s: int, out: set) -> bool:
        """An exchange of equal value that lets a waiting request in: put rid in slot s in
        place of `out`, then keep it if another request of the freed participants fits."""
        mark = len(self.journal)
        for x in sorted(out, key=repr):
            self.remove(x)
        self.place(rid, s)
        for p in sorted({p for x in out for p in self.req(x).pair}, key=repr):
            for y in self.requests_of(p):
                if y in self.slot_of or y in out or y == rid:
                    continue
                if self.insert(y, 1, frozenset({rid})):
                    for x in sorted(out, key=repr):  # lifted meetings come back if they fit
                        if x not in self.slot_of:
                            self.insert(x, 1, frozenset({rid, y}))
                    return True
        self.rollback(mark)
        return False

    def requests_of(self, p) -> list:
        index = self.__dict__.get("_index")
        if index is None:
            index = {}
            for q in self.event.requests:
                index.setdefault(q.a, []).append(q.id)
                index.setdefault(q.b, []).append(q.id)
            self._index = index
        return index.get(p, [])


def _load_locked(state: _State, event: Event) -> None:
    for rid, placement in sorted(event.locked.items(), key=lambda kv: repr(kv[0])):
        r = event.request(rid)
        s = placement.slot
        if s in state.occ[r.a] or s in state.occ[r.b]:
            raise ValueError(f"locked meeting {rid!r} clashes with another locked meeting")
        state.place(rid, s)
    state.fixed |= set(event.locked)


def _load(state: _State, event: Event, schedule: Schedule, check: bool) -> None:
    """Add a schedule's placements (locked ones excepted); with `check`, skip invalid ones."""
    known = {r.id for r in event.requests} if check else ()
    for rid, placement in schedule.placements.items():
        if rid in event.locked:
            continue
        if check:
            if rid not in known:
                continue
            r = event.request(rid)
            s = placement.slot
            if (s not in state.allowed(rid) or s in state.occ[r.a] or s in state.occ[r.b]
                    or len(state.members[s]) >= state.tables
                    or not (state.room(r.a) and state.room(r.b))):
                continue
        state.place(rid, placement.slot)


def _tables(state: _State, event: Event, base: Schedule | None) -> Schedule:
    """Tables: locked ones stay, a meeting keeping its slot keeps its table, others get the
    lowest free table of their slot. Placements come in the event's request order."""
    old = base.placements if base is not None else {}
    slot_of = state.slot_of
    used: list[set] = [set() for _ in range(state.n_slots)]  # tables taken per slot
    result: dict = {}
    for rid, locked in event.locked.items():
        if locked.table is not None and slot_of.get(rid) == locked.slot:
            result[rid] = locked
            used[locked.slot].add(locked.table)
    pending = []
    for r in event.requests:
        rid = r.id
        s = slot_of.get(rid)
        if s is None or rid in result:
            continue
        prev = old.get(rid)
        if (prev is not None and prev.slot == s and prev.table is not None
                and 0 <= prev.table < state.tables and prev.table not in used[s]):
            result[rid] = prev
            used[s].add(prev.table)
        else:
            pending.append(rid)
    nxt = [0] * state.n_slots
    for rid in pending:
        s = slot_of[rid]
        table = nxt[s]
        while table in used[s]:
            table += 1
        nxt[s] = table + 1
        result[rid] = Placement(s, table)
    return Schedule({r.id: result[r.id] for r in event.requests if r.id in result})


def _repair(state: _State, deadline: float, seed: int = 0) -> None:
    """Ejection chains of depth 1, displacement rounds (re-placing what they push out), then
    with equal-value exchanges, then chains of depth 2 and 3, while time is left."""
    event = state.event

    def pending() -> list:
        left = [r for r in event.requests
                if r.id not in state.slot_of and state.allowed(r.id)]
        left.sort(key=lambda r: (bool(state.occ[r.a]) and bool(state.occ[r.b]),
                                 -r.priority, len(state.allowed(r.id))))
        return left

    def chains(depth: int) -> bool:
        placed = False
        for r in pending():
            if time.perf_counter() >= deadline:
                return placed
            if r.id not in state.slot_of and state.insert(r.id, depth, frozenset()):
                placed = True
        state.journal.clear()
        return placed

    def displacements(exchange: bool, only) -> bool:
        moved = False
        state.touched = set()
        for r in pending():
            if only is not None and r.a not in only and r.b not in only:
                continue
            if time.perf_counter() >= deadline:
                return moved
            if r.id in state.slot_of:
                continue
            out = state.displace(r.id, exchange)
            if out is None:
                continue
            moved = True
            for x in sorted(out, key=lambda x: (-state.req(x).priority, repr(x))):
                state.insert(x, 1, frozenset())
            state.journal.clear()
        return moved

    chains(1)
    for exchange in (False, True):
        only = None  # later rounds: only requests of participants whose meetings changed
        for _round in range(20):
            if not displacements(exchange, only):
                break
            only = state.touched
    chains(2)
    if chains(3):
        chains(2)
    _walk(state, deadline, random.Random(seed), pending)


def _walk(state: _State, deadline: float, rng: random.Random, pending) -> None:
    """A tabu random walk for what is still left out: force a waiting request into a random
    allowed slot, lifting what is in the way (not a meeting lifted in the last few steps), and
    re-place the lifted ones by chains of depth 2. The best value seen is restored at the end.
    Runs while time is left, for at most 5,000 steps and 300 without a new best."""
    value = sum(state.req(x).priority for x in state.slot_of)
    best, best_slots = value, dict(state.slot_of)
    tabu: dict = {}
    last = 0
    for step in range(5000):
        if step - last > 300:
            break
        if not step & 15 and time.perf_counter() >= deadline:
            break
        waiting = pending()
        if not waiting:
            break
        r = waiting[rng.randrange(min(len(waiting), 5))]
        s = rng.choice(state.allowed(r.id))
        out = {x for x in (state.occ[r.a].get(s), state.occ[r.b].get(s)) if x is not None}
        if len(state.members[s]) - len(out) >= state.tables:
            spare = [x for x in state.members[s] if x not in out]
            if spare:
                out.add(spare[rng.randrange(len(spare))])
        for p in (r.a, r.b):
            left = [x for x in state.occ[p].values() if x not in out]
            if left and len(left) >= state.caps.get(p, _INF):
                out.add(left[rng.randrange(len(left))])
        if out & state.fixed or any(tabu.get(x, -1) >= step for x in out):
            continue
        if len(state.members[s]) - len(out) >= state.tables:
            continue
        if any(len([x for x in state.occ[p].values() if x not in out])
               >= state.caps.get(p, _INF) for p in (r.a, r.b)):
            continue
        for x in sorted(out, key=repr):
            state.remove(x)
            value -= state.req(x).priority
        state.place(r.id, s)
        value += r.priority
        tabu[r.id] = step + 7
        for x in sorted(out, key=repr):
            if state.insert(x, 2, frozenset({r.id})):
                value += state.req(x).priority
        state.journal.clear()
        if value > best:
            best, best_slots, last = value, dict(state.slot_of), step
    if value < best:
        for x in list(state.slot_of):
            state.remove(x)
        for x, slot in best_slots.items():
            state.place(x, slot)
    state.journal.clear()


def schedule(event: Event, *, seed: int = 0, time_limit: float = 1.0,
             start: Schedule | None = None) -> Schedule:
    """Schedule the event: constructive pass, ejection-chain repair, displacement, then break
    reduction, all within about `time_limit` seconds. `start` is a schedule to improve."""
    began = time.perf_counter()
    deadline = began + time_limit
    state = _State(event)
    _load_locked(state, event)
    if start is not None:
        _load(state, event, start, check=True)
    degree: Counter = Counter()
    for r in event.requests:
        degree[r.a] += 1
        degree[r.b] += 1
    todo = [r for r in event.requests if r.id not in state.slot_of]
    todo.sort(key=lambda r: (len(state.allowed(r.id)), -r.priority,
                             -(degree[r.a] + degree[r.b])))
    for r in todo:
        s = state.best_free_slot(r.id)
        if s is not None:
            state.place(r.id, s)
    state.journal.clear()
    # value first: up to 70 % of the time for the repair, the rest for break reduction
    _repair(state, began + time_limit * 0.7, seed)
    state.journal.clear()
    remaining = deadline - time.perf_counter()
    if remaining > 0:
        _descend(state, None, time.perf_counter() + remaining, random.Random(seed))
    return _tables(state, event, start)


# -- break reduction ----------------------------------------------------------------------


def _descend(state: _State, d, deadline: float, rng: random.Random) -> None:
    """Simulated annealing on W × (fairness excess) + total breaks, W larger than any total.

    A step takes a random movable meeting (mostly one of a participant with a break) and a
    target slot (mostly one next to a meeting of its participants), and either moves it there
    (free participants, a table left) or swaps it with the one meeting in the way (a blocker of
    one participant, or a meeting of a full slot). Worse steps are taken with probability
    exp(-Δ/T), T cooling; the best state seen is restored at the end (the journal since the
    last best is rolled back). Stops at the time limit, at zero, or after a stretch without a
    new best. Never unschedules.
    """
    event, occ, fixed = state.event, state.occ, state.fixed
    br = {p: breaks_of(occ[p]) for p in event.participants}
    hist = Counter(br.values())
    total = sum(br.values())
    weight = 2 * len(event.requests) + 1

    def score() -> int:
        if d is None or not hist:
            return total
        return weight * max(0, max(hist) - min(hist) - d) + total

    def update(p, new):
        nonlocal total
        old = br[p]
        if old == new:
            return
        hist[old] -= 1
        if not hist[old]:
            del hist[old]
        hist[new] += 1
        br[p] = new
        total += new - old

    movable = [r.id for r in event.requests if r.id in state.slot_of and r.id not in fixed]
    current = best = score()
    if not movable or best == 0:
        return
    state.journal.clear()
    temperature = 0.6
    patience = 300 + 200 * len(movable)
    reheat = max(1000, patience // 4)
    state.movable = movable
    since = 0
    step = 0
    while since < patience:
        step += 1
        if not step & 63 and time.perf_counter() >= deadline:
            break
        since += 1
        if since % reheat == 0:
            temperature = 0.6
        if rng.random() < 0.03:  # exchange the whole contents of two slots
            s, t = rng.randrange(state.n_slots), rng.randrange(state.n_slots)
            group = [*state.members[s], *state.members[t]]  # in a reproducible order
            if s == t or not group or not fixed.isdisjoint(group):
                continue
            if not all(s in state.allowed(x) and t in state.allowed(x) for x in group):
                continue
            ops = [(x, t if x in state.members[s] else s) for x in group]
            people = {p for x in group for p in state.req(x).pair}
        else:
            ops = _step(state, rng, br, current < weight)
            if ops is None:
                continue
            people = {p for x, _slot in ops for p in state.req(x).pair}
        mark = len(state.journal)
        saved = [(p, br[p]) for p in people]
        for x, _slot in ops:
            state.remove(x)
        for x, slot in ops:
            state.place(x, slot)
        for p in people:
            update(p, breaks_of(occ[p]))
        new = score()
        delta = new - current
        if delta <= 0 or rng.random() < math.exp(-delta / temperature):
            current = new
            if new < best:
                best = new
                since = 0
                state.journal.clear()
                if best == 0:
                    break
        else:
            state.rollback(mark)
            for p, v in saved:
                update(p, v)
        temperature = max(0.08, temperature * 0.9995)
    state.rollback(0)
    state.journal.clear()


def _step(state: _State, rng: random.Random, br: dict, fair: bool):
    """A random move or swap for the annealing: (request id, new slot) pairs, or None."""
    occ, fixed = state.occ, state.fixed
    movable = state.movable
    rid = movable[rng.randrange(len(movable))]
    r = state.req(rid)
    a, b = r.a, r.b
    if not br[a] and not br[b] and fair and rng.random() < 0.8:
        return None
    allowed = state.allowed(rid)
    if len(allowed) < 2:
        return None
    s = state.slot_of[rid]
    occ_a, occ_b = occ[a], occ[b]
    if rng.random() < 0.7:
        near = [t for q in (occ_a, occ_b) for u in q for t in (u - 1, u + 1)
                if t != s and 0 <= t < state.n_slots]
        t = near[rng.randrange(len(near))] if near else allowed[rng.randrange(len(allowed))]
        if t not in allowed:
            return None
    else:
        t = allowed[rng.randrange(len(allowed))]
    if t == s:
        return None
    xa, xb = occ_a.get(t), occ_b.get(t)
    if xa is None and xb is None:
        if len(state.members[t]) < state.tables:
            ops = [(rid, t)]
        else:
            members = list(state.members[t])
            x = members[rng.randrange(len(members))]
            rx = state.req(x)
            if (x in fixed or s not in state.allowed(x) or s in occ[rx.a]
                    or s in occ[rx.b]):
                return None
            ops = [(rid, t), (x, s)]
    elif xa is not None and xb is not None:
        return None
    else:
        x = xa if xa is not None else xb
        if x in fixed or s not in state.allowed(x):
            return None
        rx = state.req(x)
        c = rx.b if rx.a in (a, b) else rx.a
        if c in (a, b) or s in occ[c]:
            return None
        ops = [(rid, t), (x, s)]
    return ops


def reduce_breaks(event: Event, schedule: Schedule, *, d: int | None = None,
                  time_limit: float = 1.0) -> Schedule:
    """Lower the total breaks by moving and swapping meetings (locked ones stay); with `d`,
    first bring the spread max − min of per-participant breaks to at most d where moves can,
    then never let it exceed d again. Every scheduled request stays scheduled."""
    deadline = time.perf_counter() + time_limit
    state = _State(event)
    _load_locked(state, event)
    _load(state, event, schedule, check=False)
    state.journal.clear()
    _descend(state, d, deadline, random.Random(0))
    return _tables(state, event, schedule)


# -- incremental --------------------------------------------------------------------------


def place_late(event: Event, schedule: Schedule, request_ids, *, frozen=()) -> Schedule:
    """Place new requests (already in `event.requests`) into `schedule`: a free slot first,
    then one-move repair of meetings neither locked nor in `frozen`. Requests that cannot be
    placed stay unscheduled; the others' placements (and tables) stay unless moved. One call
    builds the whole state; to take late requests one at a time into the same published
    schedule, keep an `incremental.LatePlacer` instead (this function uses one inside)."""
    from klynge.brokerage.domain.incremental import LatePlacer

    placer = LatePlacer(event, schedule, frozen=frozen)
    placer.place(request_ids)
    return placer.schedule()


def cancel(schedule: Schedule, request_ids) -> Schedule:
    """The schedule without the given requests' meetings."""
    dropped = set(request_ids)
    return Schedule({rid: p for rid, p in schedule.placements.items() if rid not in dropped})
