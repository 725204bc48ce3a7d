"""Synthetic brokerage events for the scheduling benchmark (issue 6, "Synthetic scale").

`synthetic(n_participants, seed=0, load=0.9)` builds an event shaped like a real B2B day:
- two sessions of nine 20-minute slots (09:00–12:00 and 13:30–16:30), slots 0..17;
- two participation types (about 45 % buyers, 55 % sellers); 85 % of the requests go across
  types;
- popularity skew: the requested side is drawn with Zipf-like weights 1 / rank^0.9 over a
  random order of the participants, so a few are requested by many; nobody is in more than
  twice as many requests as there are slots;
- priorities 1 (55 %), 2 (30 %), 3 (15 %); 10 % of the requests ask for one session;
- availability windows: 12 % come only in the morning, 12 % only in the afternoon, 10 % leave
  early (the last 2–6 slots), 6 % arrive late (the first 2–4 slots); 5 % miss one other slot;
- caps: 30 % of the participants take at most 4–10 meetings;
- about 3.5 requests per participant, and `tables` chosen so that the table load
  requests / (tables × slots) is `load` (up to rounding: tables is an integer; the number of
  requests is then set to round(load × tables × slots), so the load is exact to ±0.5 request).
Every request is valid: two different known participants, no pair twice, and at least one
slot that its sessions and both participants' availability allow. The same arguments always
give the same event. Participants are 0..n-1, request ids 0..m-1.
"""

import random
from itertools import accumulate

from klynge.brokerage.domain.model import Event, Request

MORNING = 9
AFTERNOON = 9
REQUESTS_PER_PARTICIPANT = 3.5
ZIPF = 0.9
CROSS_TYPES = 0.85


def _windows(rng: random.Random, n: int, n_slots: int) -> dict:
    unavailable = {}
    morning = range(MORNING)
    afternoon = range(MORNING, n_slots)
    for p in range(n):
        blocked: set[int] = set()
        draw = rng.random()
        if draw < 0.12:
            blocked.update(afternoon)
        elif draw < 0.24:
            blocked.update(morning)
        elif draw < 0.34:
            blocked.update(range(n_slots - rng.randint(2, 6), n_slots))
        elif draw < 0.40:
            blocked.update(range(rng.randint(2, 4)))
        if rng.random() < 0.05:
            blocked.add(rng.randrange(n_slots))
        if len(blocked) >= n_slots:
            blocked = set(afternoon)
        if blocked:
            unavailable[p] = frozenset(blocked)
    return unavailable


def synthetic(n_participants: int, *, seed: int = 0, load: float = 0.9) -> Event:
    """A realistic synthetic event (see the module docstring)."""
    if n_participants < 10:
        raise ValueError("a synthetic event needs at least 10 participants")
    if not 0.1 <= load <= 2.0:
        raise ValueError("the table load must be between 0.1 and 2.0")
    rng = random.Random(f"brokerage-{seed}-{n_participants}")
    n = n_participants
    slot_sessions = (1,) * MORNING + (2,) * AFTERNOON
    n_slots = len(slot_sessions)
    participants = tuple(range(n))
    kinds = [0 if rng.random() < 0.45 else 1 for _ in participants]
    unavailable = _windows(rng, n, n_slots)
    caps = {p: rng.randint(4, 10) for p in participants if rng.random() < 0.30}

    wanted = round(n * REQUESTS_PER_PARTICIPANT)
    tables = max(1, round(wanted / (load * n_slots)))
    m = max(1, round(load * tables * n_slots))

    order = list(participants)
    rng.shuffle(order)
    weight = {p: 1.0 / (rank + 1) ** ZIPF for rank, p in enumerate(order)}
    by_kind = {k: [p for p in participants if kinds[p] == k] for k in (0, 1)}
    cumulative = {k: list(accumulate(weight[p] for p in members))
                  for k, members in by_kind.items()}
    all_cumulative = list(accumulate(weight[p] for p in participants))
    most = 2 * n_slots
    degree = [0] * n
    free = [frozenset(range(n_slots)) - unavailable.get(p, frozenset()) for p in participants]

    pairs: set = set()
    requests = []
    attempts = 0
    while len(requests) < m:
        attempts += 1
        if attempts > 200 * m:
            raise ValueError(f"cannot draw {m} distinct valid requests among {n} participants")
        a = rng.randrange(n)
        if degree[a] >= most:
            continue
        if rng.random() < CROSS_TYPES:
            other = 1 - kinds[a]
            if not by_kind[other]:
                continue
            b = rng.choices(by_kind[other], cum_weights=cumulative[other])[0]
        else:
            b = rng.choices(participants, cum_weights=all_cumulative)[0]
        if b == a or degree[b] >= most:
            continue
        pair = (min(a, b), max(a, b))
        common = free[a] & free[b]
        if pair in pairs or not common:
            continue
        priority = rng.choices((1, 2, 3), (0.55, 0.30, 0.15))[0]
        sessions: frozenset = frozenset()
        if rng.random() < 0.10:
            possible = sorted({slot_sessions[s] for s in common})
            sessions = frozenset({rng.choice(possible)})
        pairs.add(pair)
        degree[a] += 1
        degree[b] += 1
        requests.append(Request(len(requests), a, b, priority, sessions))
    return Event(participants=participants, slot_sessions=slot_sessions, tables=tables,
                 requests=tuple(requests), unavailable=unavailable, caps=caps)


def table_load(event: Event) -> float:
    """Requests per table-slot: len(requests) / (tables × slots)."""
    return len(event.requests) / (event.tables * event.n_slots)
