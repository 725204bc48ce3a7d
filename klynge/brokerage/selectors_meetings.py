"""Reads of meetings: the organiser's list and detail, and the facts the booking rules
(domain/rules.py) decide on, gathered for one requester and many recipients in a fixed
number of queries (the marketplace shows the obstacles of a whole page of cards)."""

from collections import defaultdict

from django.db.models import Q, QuerySet
from django.utils import timezone

from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.domain import rules
from klynge.brokerage.models import BrokerageEvent, Meeting, Participant, Slot
from klynge.core.audit import audit_entries_for
from klynge.privacy.choices import Purpose
from klynge.privacy.selectors import not_withdrawn

#: Meetings that are still on: requested or accepted.
OPEN_STATUSES = (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED)

MEETING_RELATED = (
    "event__activity", "requester__person", "requester__organisation",
    "requester__participation_type", "recipient__person", "recipient__organisation",
    "recipient__participation_type", "slot", "table", "published_slot", "published_table",
    "created_by",
)


def meeting_list(event: BrokerageEvent) -> QuerySet:
    """The event's meetings (every status), newest first, with both sides and the place."""
    return (Meeting.objects.filter(event=event).select_related(*MEETING_RELATED)
            .order_by("-created_at", "-pk"))


def meeting_detail(pk: int) -> Meeting:
    return Meeting.objects.select_related(*MEETING_RELATED).get(pk=pk)


def meetings_of(participant: Participant) -> QuerySet:
    """Every meeting a participant is a side of (either way round)."""
    return (Meeting.objects.filter(Q(requester=participant) | Q(recipient=participant))
            .select_related(*MEETING_RELATED))


def active_participants(event: BrokerageEvent) -> QuerySet:
    """The participants who have not withdrawn, by name."""
    return (Participant.objects.filter(event=event, withdrawn_at__isnull=True)
            .select_related("person", "organisation", "participation_type"))


def in_marketplace(event: BrokerageEvent) -> QuerySet:
    """The participants others may find and request: active, listed, and their person has
    not withdrawn their consent to be visible in matchmaking (the consent register's rule
    for introductions; the organiser may still arrange a meeting with them)."""
    listed = Participant.objects.filter(event=event, is_listed=True, withdrawn_at__isnull=True)
    return not_withdrawn(listed, Purpose.MATCHMAKING_VISIBILITY, person="person_id")


def hidden_by_consent(participants) -> set[int]:
    """The ids of `participants` whose person has withdrawn their consent to be visible in
    matchmaking (one query)."""
    ids = [p.pk for p in participants]
    visible = not_withdrawn(Participant.objects.filter(pk__in=ids),
                            Purpose.MATCHMAKING_VISIBILITY, person="person_id")
    return set(ids) - set(visible.values_list("pk", flat=True))


def meeting_slot_ids(event: BrokerageEvent) -> set[int]:
    """The event's slots that can hold a meeting (breaks excluded)."""
    return set(Slot.objects.filter(event=event, is_break=False).values_list("pk", flat=True))


def unavailable_of(participant_ids) -> dict[int, set[int]]:
    """{participant id: ids of the slots they cannot attend}."""
    through = Participant.unavailable.through
    found = defaultdict(set)
    for participant_id, slot_id in through.objects.filter(
            participant_id__in=list(participant_ids)).values_list("participant_id", "slot_id"):
        found[participant_id].add(slot_id)
    return found


def accepted_counts(participant_ids) -> dict[int, int]:
    """{participant id: number of accepted meetings}, either side."""
    ids = list(participant_ids)
    counts = defaultdict(int)
    rows = Meeting.objects.filter(status=MeetingStatus.ACCEPTED).filter(
        Q(requester_id__in=ids) | Q(recipient_id__in=ids)).values_list("requester_id",
                                                                       "recipient_id")
    wanted = set(ids)
    for requester_id, recipient_id in rows:
        for side in (requester_id, recipient_id):
            if side in wanted:
                counts[side] += 1
    return counts


def _side(participant: Participant, *, event_cap: int | None, slots: set[int],
          unavailable: set[int], accepted: int, hidden: bool = False) -> rules.Side:
    kind = participant.participation_type
    free = len(slots - unavailable) if slots else None
    return rules.Side(
        id=participant.pk, organisation_id=participant.organisation_id,
        type_id=participant.participation_type_id,
        type_may_meet_same=kind.may_meet_same_type if kind is not None else True,
        withdrawn=participant.withdrawn_at is not None,
        listed=participant.is_listed and not hidden,
        cap=rules.effective_cap(own=participant.meeting_cap,
                                of_type=kind.meeting_cap if kind is not None else None,
                                of_event=event_cap, free_slots=free),
        accepted=accepted,
    )


def cap_and_count(participant: Participant) -> tuple[int | None, int]:
    """(the participant's effective cap or None, their accepted meetings)."""
    slots = meeting_slot_ids(participant.event)
    side = _side(participant, event_cap=participant.event.meeting_cap, slots=slots,
                 unavailable=unavailable_of([participant.pk])[participant.pk],
                 accepted=accepted_counts([participant.pk])[participant.pk])
    return side.cap, side.accepted


def requests_closed(event: BrokerageEvent) -> tuple[bool, bool]:
    """(requests switched off, the deadline has passed)."""
    deadline = event.requests_deadline
    return (not event.requests_open,
            deadline is not None and deadline <= timezone.now())


def request_facts(requester: Participant, recipients, *,
                  by_organiser: bool = False) -> dict[int, rules.RequestFacts]:
    """{recipient id: the facts of `requester` booking them}, in seven queries whatever the
    number of recipients. A recipient whose person withdrew their consent to be visible in
    matchmaking counts as not listed."""
    recipients = list(recipients)
    event = requester.event
    ids = {requester.pk, *(r.pk for r in recipients)}
    slots = meeting_slot_ids(event)
    unavailable = unavailable_of(ids)
    counts = accepted_counts(ids)
    others = [r.pk for r in recipients]
    between = Meeting.objects.filter(
        Q(requester=requester, recipient_id__in=others)
        | Q(recipient=requester, requester_id__in=others)).order_by("created_at", "pk")
    existing, declined = {}, set()
    for meeting in between.only("requester_id", "recipient_id", "status"):
        other = (meeting.recipient_id if meeting.requester_id == requester.pk
                 else meeting.requester_id)
        if meeting.status in OPEN_STATUSES:
            existing[other] = rules.Existing(meeting.requester_id, meeting.status)
        elif (meeting.status == MeetingStatus.DECLINED
              and meeting.requester_id == requester.pk):
            declined.add(other)
    switched_off, deadline_passed = requests_closed(event)
    hidden = hidden_by_consent(recipients)
    me = _side(requester, event_cap=event.meeting_cap, slots=slots,
               unavailable=unavailable[requester.pk], accepted=counts[requester.pk])
    facts = {}
    for recipient in recipients:
        facts[recipient.pk] = rules.RequestFacts(
            requester=me,
            recipient=_side(recipient, event_cap=event.meeting_cap, slots=slots,
                            unavailable=unavailable[recipient.pk],
                            accepted=counts[recipient.pk], hidden=recipient.pk in hidden),
            by_organiser=by_organiser, requests_open=not switched_off,
            deadline_passed=deadline_passed, existing=existing.get(recipient.pk),
            declined_by_recipient=recipient.pk in declined,
            common_free_slots=(len(slots - unavailable[requester.pk]
                                   - unavailable[recipient.pk]) if slots else None),
        )
    return facts


def meeting_counts(event: BrokerageEvent) -> dict[str, int]:
    """{status: number of meetings} of the event, every status present (0 when none)."""
    counts = dict.fromkeys(MeetingStatus.values, 0)
    for status in Meeting.objects.filter(event=event).values_list("status", flat=True):
        counts[status] += 1
    return counts


def audit_trail(meeting: Meeting, limit: int = 50):
    return audit_entries_for(meeting, limit=limit)
