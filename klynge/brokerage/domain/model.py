"""A brokerage event as the scheduler sees it, and a schedule.

- Slots are numbered 0..n_slots-1 in time order; each belongs to a session (e.g. 1 morning,
  2 afternoon). Two meetings of a participant in slots s and s+1 follow each other without a
  break; a gap of one or more idle slots between two of its meetings is one *break* (the
  definition of Bofill et al., JAIR 2022, used by the published optima).
- `tables` meetings fit in one slot (a table each). Tables are numbered 0..tables-1.
- A participant may be unavailable in some slots and may have a cap on its number of meetings.
- A request is a wanted meeting between two participants with a priority (its weight in the
  objective) and the sessions it may be held in (empty: any).
- A locked meeting keeps its slot (and its table, when it has one): late requests and
  re-optimisation must not move it.

Participants are any hashable ids; requests have ids of their own (one meeting per request).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    id: object
    a: object
    b: object
    priority: float = 1.0
    sessions: frozenset = field(default_factory=frozenset)

    def __post_init__(self):
        if self.a == self.b:
            raise ValueError(f"request {self.id!r}: a participant cannot meet itself")
        if self.priority <= 0:
            raise ValueError(f"request {self.id!r}: the priority must be positive")

    @property
    def pair(self) -> tuple:
        return (self.a, self.b)


@dataclass(frozen=True)
class Placement:
    slot: int
    table: int | None = None


@dataclass(frozen=True)
class Event:
    participants: tuple
    slot_sessions: tuple[int, ...]
    tables: int
    requests: tuple[Request, ...]
    unavailable: dict = field(default_factory=dict)  # participant → frozenset of slots
    caps: dict = field(default_factory=dict)  # participant → at most this many meetings
    locked: dict = field(default_factory=dict)  # request id → Placement

    def __post_init__(self):
        known = set(self.participants)
        if len(known) != len(self.participants):
            raise ValueError("duplicate participant ids")
        if self.tables < 0:
            raise ValueError("the number of tables cannot be negative")
        ids = [r.id for r in self.requests]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate request ids")
        for r in self.requests:
            for p in r.pair:
                if p not in known:
                    raise ValueError(f"request {r.id!r}: unknown participant {p!r}")
        by_id = {r.id for r in self.requests}
        for request_id, placement in self.locked.items():
            if request_id not in by_id:
                raise ValueError(f"locked meeting {request_id!r} is not a request")
            if not 0 <= placement.slot < self.n_slots:
                raise ValueError(f"locked meeting {request_id!r}: no slot {placement.slot}")

    @property
    def n_slots(self) -> int:
        return len(self.slot_sessions)

    def request(self, request_id) -> Request:
        return self._by_id()[request_id]

    def _by_id(self) -> dict:
        cache = self.__dict__.get("_by_id_cache")
        if cache is None:
            cache = {r.id: r for r in self.requests}
            object.__setattr__(self, "_by_id_cache", cache)
        return cache

    def allowed_slots(self, request: Request) -> list[int]:
        """The slots a request may be held in: its sessions, both sides available."""
        blocked = (self.unavailable.get(request.a, frozenset())
                   | self.unavailable.get(request.b, frozenset()))
        return [s for s, session in enumerate(self.slot_sessions)
                if (not request.sessions or session in request.sessions) and s not in blocked]


@dataclass
class Schedule:
    """Request id → placement; a request without one is not scheduled."""

    placements: dict = field(default_factory=dict)

    def slot_of(self, request_id) -> int | None:
        placement = self.placements.get(request_id)
        return None if placement is None else placement.slot

    def meetings_of(self, event: Event) -> dict:
        """Participant → sorted slots of its meetings."""
        slots: dict = {p: [] for p in event.participants}
        for request_id, placement in self.placements.items():
            request = event.request(request_id)
            slots[request.a].append(placement.slot)
            slots[request.b].append(placement.slot)
        return {p: sorted(s) for p, s in slots.items()}


def value(event: Event, schedule: Schedule) -> float:
    """The priority-weighted number of scheduled requests (the first objective)."""
    return sum(event.request(r).priority for r in schedule.placements)


def breaks_of(slots: Iterable[int]) -> int:
    """The number of idle gaps between consecutive meetings of one participant."""
    ordered = sorted(slots)
    return sum(1 for x, y in zip(ordered, ordered[1:], strict=False) if y - x > 1)


def breaks(event: Event, schedule: Schedule) -> dict:
    """Participant → its number of breaks."""
    return {p: breaks_of(s) for p, s in schedule.meetings_of(event).items()}


def assign_tables(event: Event, schedule: Schedule) -> Schedule:
    """Give every meeting without a table the lowest free table of its slot (locked tables
    stay). Raises ValueError when a slot holds more meetings than there are tables."""
    taken: dict[int, set] = {}
    for placement in schedule.placements.values():
        if placement.table is not None:
            taken.setdefault(placement.slot, set()).add(placement.table)
    result = {}
    for request_id in sorted(schedule.placements, key=repr):
        placement = schedule.placements[request_id]
        if placement.table is None:
            used = taken.setdefault(placement.slot, set())
            free = next((t for t in range(event.tables) if t not in used), None)
            if free is None:
                raise ValueError(f"slot {placement.slot} holds more meetings than tables")
            used.add(free)
            placement = Placement(placement.slot, free)
        result[request_id] = placement
    return Schedule(result)
