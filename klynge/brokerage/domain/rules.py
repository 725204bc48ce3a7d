"""Who may meet whom: the booking rules of a brokerage event as pure code.

The facts of a wanted meeting (the two participants, the event's request window, what is
already between them, their caps and their free slots) go in as frozen dataclasses; the
obstacles come out as codes, every one that applies, in a fixed order. The service words them
for the person asking ("why can't I book X"); an empty answer means the meeting may be booked.

Codes:
- ``self``: a participant cannot meet themselves (nothing else is checked then);
- ``colleague``: both work at the same organisation;
- ``withdrawn``: either side has withdrawn from the event;
- ``not_listed``: the recipient is not in the marketplace (participants only: the organiser
  may still arrange a meeting with them);
- ``same_type_not_allowed``: both are of one participation type whose members do not meet
  each other;
- ``requests_closed``: the event takes no more requests (switched off or past the deadline;
  participants only);
- ``already_requested``: a meeting between the two is requested or accepted, either way round;
- ``already_declined``: the recipient declined this requester's earlier request;
- ``requester_full`` / ``recipient_full``: that side has as many accepted meetings as its cap;
- ``no_common_slot``: the event has meeting slots, but none that both can attend.
"""

from dataclasses import dataclass

SELF = "self"
COLLEAGUE = "colleague"
WITHDRAWN = "withdrawn"
NOT_LISTED = "not_listed"
SAME_TYPE_NOT_ALLOWED = "same_type_not_allowed"
REQUESTS_CLOSED = "requests_closed"
ALREADY_REQUESTED = "already_requested"
ALREADY_DECLINED = "already_declined"
REQUESTER_FULL = "requester_full"
RECIPIENT_FULL = "recipient_full"
NO_COMMON_SLOT = "no_common_slot"

#: Every code, in the order they are reported.
CODES = (SELF, COLLEAGUE, WITHDRAWN, NOT_LISTED, SAME_TYPE_NOT_ALLOWED, REQUESTS_CLOSED,
         ALREADY_REQUESTED, ALREADY_DECLINED, REQUESTER_FULL, RECIPIENT_FULL, NO_COMMON_SLOT)
#: What the organiser is not held to when arranging a meeting.
ORGANISER_EXEMPT = frozenset({NOT_LISTED, REQUESTS_CLOSED})

REQUESTED = "requested"
ACCEPTED = "accepted"


@dataclass(frozen=True)
class Side:
    """One participant as the rules see them.

    `cap` is the effective number of accepted meetings they may have (None: no limit);
    `accepted` how many they have. `type_id` is their participation type (None: none), and
    `type_may_meet_same` whether that type's members may meet each other.
    """

    id: int
    organisation_id: int | None = None
    type_id: int | None = None
    type_may_meet_same: bool = True
    withdrawn: bool = False
    listed: bool = True
    cap: int | None = None
    accepted: int = 0

    @property
    def is_full(self) -> bool:
        # A cap of 0 comes only from having no free slot at all: that is no_common_slot.
        return self.cap is not None and self.accepted >= self.cap and self.accepted > 0


@dataclass(frozen=True)
class Existing:
    """A meeting already between the two that is still on (requested or accepted)."""

    requester_id: int
    status: str


@dataclass(frozen=True)
class RequestFacts:
    """Everything that decides whether `requester` may book a meeting with `recipient`.

    `common_free_slots` counts the meeting slots (breaks excluded) that neither has marked
    unavailable; None when the event has no meeting slots yet (nothing to check then).
    `declined_by_recipient`: the recipient declined an earlier request of this requester.
    """

    requester: Side
    recipient: Side
    by_organiser: bool = False
    requests_open: bool = True
    deadline_passed: bool = False
    existing: Existing | None = None
    declined_by_recipient: bool = False
    common_free_slots: int | None = None


def obstacles(facts: RequestFacts) -> tuple[str, ...]:
    """Every obstacle code that applies, in the order of CODES; empty when the meeting may be
    booked."""
    a, b = facts.requester, facts.recipient
    if a.id == b.id:
        return (SELF,)
    found = []
    if a.organisation_id is not None and a.organisation_id == b.organisation_id:
        found.append(COLLEAGUE)
    if a.withdrawn or b.withdrawn:
        found.append(WITHDRAWN)
    if not b.listed:
        found.append(NOT_LISTED)
    if a.type_id is not None and a.type_id == b.type_id and not a.type_may_meet_same:
        found.append(SAME_TYPE_NOT_ALLOWED)
    if not facts.requests_open or facts.deadline_passed:
        found.append(REQUESTS_CLOSED)
    if facts.existing is not None and facts.existing.status in (REQUESTED, ACCEPTED):
        found.append(ALREADY_REQUESTED)
    elif facts.declined_by_recipient:
        found.append(ALREADY_DECLINED)
    if a.is_full:
        found.append(REQUESTER_FULL)
    if b.is_full:
        found.append(RECIPIENT_FULL)
    if facts.common_free_slots is not None and facts.common_free_slots <= 0:
        found.append(NO_COMMON_SLOT)
    if facts.by_organiser:
        found = [code for code in found if code not in ORGANISER_EXEMPT]
    return tuple(found)


def accept_obstacles(facts: RequestFacts) -> tuple[str, ...]:
    """What stops the recipient accepting a pending request: either side withdrawn, or
    either side's agenda full (the request itself was fine when it was made)."""
    a, b = facts.requester, facts.recipient
    found = []
    if a.withdrawn or b.withdrawn:
        found.append(WITHDRAWN)
    if a.is_full:
        found.append(REQUESTER_FULL)
    if b.is_full:
        found.append(RECIPIENT_FULL)
    return tuple(found)


def effective_cap(*, own: int | None, of_type: int | None, of_event: int | None,
                  free_slots: int | None) -> int | None:
    """The most accepted meetings a participant may have: their own cap, else their type's,
    else the event's, else the meeting slots they can attend (None: no slots known yet)."""
    for cap in (own, of_type, of_event):
        if cap is not None:
            return cap if free_slots is None else min(cap, free_slots)
    return free_slots
