"""Read a B2B meeting-scheduling instance in the MiniZinc data format of Bofill et al. (JAIR 2022).

The files hold `nBusiness`, `nMeetings`, `nTables`, `nTotalSlots`, `nMorningSlots`, the
meetings as a 2-D array `requested = [| p1, p2, session | ... |]` (participants numbered from 1;
session 1 morning, 2 afternoon, 3 either) and `forbidden`, one set of slots per participant
(slots numbered from 1; the element 0 stands for no slot). Other fields (`meetingsxBusiness`,
`nMeetingsBusiness`, `precedences`) are derived or unused and are parsed but ignored; `fixed`
(one slot per meeting, 0 for none) becomes a locked meeting when it is not 0.

The resulting `Event`: participants 1..nBusiness; request ids 0..nMeetings-1 in file order,
priority 1; slots 0-based (file slot k is slot k-1), the first nMorningSlots in session 1, the
rest in session 2; `nTables` tables; no caps.
"""

import re

from klynge.brokerage.domain.model import Event, Placement, Request

_TOKEN = re.compile(r"\s*(?:(\[\||\|\]|\.\.|-?\d+|[A-Za-z_][A-Za-z0-9_]*|[\[\]{}|,=;])|(\S))")
_SESSIONS = {1: frozenset({1}), 2: frozenset({2}), 3: frozenset()}


def _strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"%[^\n]*", "", text)


def _tokens(text: str) -> list[str]:
    tokens = []
    for match in _TOKEN.finditer(_strip_comments(text)):
        if match.group(2) is not None:
            raise ValueError(f"dzn: unexpected character {match.group(2)!r}")
        if match.group(1) is not None:
            tokens.append(match.group(1))
    return tokens


class _Parser:
    def __init__(self, tokens: list[str], name: str = ""):
        self.tokens = tokens
        self.at = 0
        self.name = name

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None:
            raise ValueError(f"dzn: {self.name or 'file'} ends unexpectedly")
        if expected is not None and token != expected:
            raise ValueError(f"dzn: {self.name or 'file'}: expected {expected!r}, got {token!r}")
        self.at += 1
        return token

    def value(self):
        token = self.peek()
        if token == "[|":
            return self.matrix()
        if token == "[":
            return self.sequence("[", "]")
        if token == "{":
            return frozenset(self.sequence("{", "}"))
        if token is not None and re.fullmatch(r"-?\d+", token):
            start = int(self.take())
            if self.peek() == "..":
                self.take()
                end = int(self.take())
                return range(start, end + 1)
            return start
        if token in ("true", "false"):
            self.take()
            return token == "true"
        raise ValueError(f"dzn: {self.name or 'file'}: unexpected {token!r}")

    def sequence(self, opening: str, closing: str) -> list:
        self.take(opening)
        items: list = []
        while self.peek() != closing:
            item = self.value()
            if opening == "{" and isinstance(item, range):
                items.extend(item)
            else:
                items.append(item)
            if self.peek() == ",":
                self.take()
            elif self.peek() != closing:
                raise ValueError(f"dzn: {self.name}: expected ',' or {closing!r}, "
                                 f"got {self.peek()!r}")
        self.take(closing)
        return items

    def matrix(self) -> list[list]:
        self.take("[|")
        rows: list[list] = [[]]
        while self.peek() != "|]":
            token = self.peek()
            if token == "|":
                self.take()
                rows.append([])
            elif token == ",":
                self.take()
            else:
                rows[-1].append(self.value())
        self.take("|]")
        return [row for row in rows if row]


def parse_dzn(text: str) -> dict:
    """The assignments of a .dzn text: name → int, bool, list, list of rows or frozenset."""
    tokens = _tokens(text)
    fields: dict = {}
    parser = _Parser(tokens)
    while parser.peek() is not None:
        if parser.peek() == ";":
            parser.take()
            continue
        name = parser.take()
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"dzn: expected a field name, got {name!r}")
        parser.name = name
        parser.take("=")
        fields[name] = parser.value()
        if parser.peek() is not None:
            parser.take(";")
    return fields


def _int_field(fields: dict, name: str, minimum: int = 0) -> int:
    if name not in fields:
        raise ValueError(f"dzn: missing field {name}")
    number = fields[name]
    if isinstance(number, bool) or not isinstance(number, int) or number < minimum:
        raise ValueError(f"dzn: {name} must be an integer ≥ {minimum}, got {number!r}")
    return number


def read_dzn(text: str) -> Event:
    """The event of a JAIR 2022 .dzn instance (see the module docstring for the mapping)."""
    fields = parse_dzn(text)
    n_participants = _int_field(fields, "nBusiness", 1)
    n_meetings = _int_field(fields, "nMeetings")
    tables = _int_field(fields, "nTables")
    n_slots = _int_field(fields, "nTotalSlots", 1)
    n_morning = _int_field(fields, "nMorningSlots")
    if n_morning > n_slots:
        raise ValueError(f"dzn: nMorningSlots ({n_morning}) exceeds nTotalSlots ({n_slots})")
    if "requested" not in fields:
        raise ValueError("dzn: missing field requested")
    rows = fields["requested"]
    if not isinstance(rows, list) or any(not isinstance(row, list) for row in rows):
        raise ValueError("dzn: requested must be a 2-D array [| p1, p2, session | ... |]")
    if len(rows) != n_meetings:
        raise ValueError(f"dzn: requested has {len(rows)} rows, nMeetings is {n_meetings}")
    participants = tuple(range(1, n_participants + 1))
    requests = []
    for index, row in enumerate(rows):
        if len(row) != 3 or any(isinstance(x, bool) or not isinstance(x, int) for x in row):
            raise ValueError(f"dzn: requested row {index + 1} must be three integers, got {row!r}")
        a, b, session = row
        for p in (a, b):
            if not 1 <= p <= n_participants:
                raise ValueError(f"dzn: requested row {index + 1}: participant {p} is not in "
                                 f"1..{n_participants}")
        if session not in _SESSIONS:
            raise ValueError(f"dzn: requested row {index + 1}: session {session} is not 1, 2 or 3")
        if a == b:
            raise ValueError(f"dzn: requested row {index + 1}: participant {a} meets itself")
        requests.append(Request(index, a, b, 1, _SESSIONS[session]))
    unavailable = {}
    forbidden = fields.get("forbidden")
    if forbidden is None:
        raise ValueError("dzn: missing field forbidden")
    if not isinstance(forbidden, list) or len(forbidden) != n_participants:
        raise ValueError(f"dzn: forbidden must be an array of {n_participants} sets")
    for participant, slots in zip(participants, forbidden, strict=True):
        if not isinstance(slots, frozenset):
            raise ValueError(f"dzn: forbidden[{participant}] must be a set, got {slots!r}")
        blocked = set()
        for slot in slots:
            if slot == 0:
                continue
            if not isinstance(slot, int) or not 1 <= slot <= n_slots:
                raise ValueError(f"dzn: forbidden[{participant}]: slot {slot!r} is not in "
                                 f"1..{n_slots}")
            blocked.add(slot - 1)
        if blocked:
            unavailable[participant] = frozenset(blocked)
    locked = {}
    fixed = fields.get("fixed")
    if fixed is not None:
        if not isinstance(fixed, list) or len(fixed) != n_meetings:
            raise ValueError(f"dzn: fixed must be an array of {n_meetings} slots")
        for index, slot in enumerate(fixed):
            if isinstance(slot, bool) or not isinstance(slot, int) or not 0 <= slot <= n_slots:
                raise ValueError(f"dzn: fixed[{index + 1}]: slot {slot!r} is not in 0..{n_slots}")
            if slot:
                locked[index] = Placement(slot - 1)
    slot_sessions = tuple(1 if s < n_morning else 2 for s in range(n_slots))
    return Event(participants=participants, slot_sessions=slot_sessions, tables=tables,
                 requests=tuple(requests), unavailable=unavailable, locked=locked)
