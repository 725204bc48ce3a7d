"""Helpers of the schedule, day and agenda tests (H4): an event on a chosen day with named
participants, and accepted meetings between them."""

from datetime import timedelta

from django.utils import timezone

from klynge.brokerage.choices import MeetingStatus
from tests.brokerage.factories import (
    BrokerageEventFactory,
    MeetingFactory,
    ParticipantFactory,
    SessionFactory,
    SlotFactory,
    TableFactory,
)
from tests.factories import OrganisationFactory, PersonFactory


def nine_o_clock(days: int):
    moment = timezone.localtime(timezone.now()) + timedelta(days=days)
    return moment.replace(hour=9, minute=0, second=0, microsecond=0)


def event_on(*, days: int = 30, slots: int = 2, tables: int = 2, breaks=(), names=("Anna",
             "Bent", "Carl"), place: str = "Aarhus Congress Centre", language: str = "en"):
    """An event `days` from today at 9:00 with `slots` slots of 20 minutes (5 apart; those
    in `breaks` are breaks), `tables` tables and one participant per name (each of their own
    organisation "<name> ApS", registered for the activity). Returns (event, {name:
    participant})."""
    start = nine_o_clock(days)
    event = BrokerageEventFactory(activity__starts_at=start, activity__place=place,
                                  activity__title="Digital Growth B2B",
                                  activity__ends_at=start + timedelta(hours=8))
    session = SessionFactory(event=event, name="Morning", starts_at=start,
                             ends_at=start + timedelta(minutes=25 * slots))
    for i in range(slots):
        at = start + timedelta(minutes=25 * i)
        SlotFactory(session=session, event=event, starts_at=at,
                    ends_at=at + timedelta(minutes=20), is_break=i in breaks)
    for i in range(tables):
        TableFactory(event=event, position=i + 1, name=f"Table {i + 1}")
    people = {}
    for name in names:
        person = PersonFactory(first_name=name, last_name="Holm",
                               email=f"{name.lower()}@example.dk", language=language,
                               phone=f"+45 20 00 00 {len(people):02d}")
        organisation = OrganisationFactory(name=f"{name} ApS")
        people[name] = ParticipantFactory(event=event, person=person, organisation=organisation,
                                          headline=f"{name}'s headline")
    return event, people


def accepted(event, a, b, *, priority: int = 2, **extra):
    return MeetingFactory(event=event, requester=a, recipient=b, priority=priority,
                          status=MeetingStatus.ACCEPTED, **extra)
