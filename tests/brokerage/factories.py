"""factory_boy factories for brokerage events, shared by the brokerage tests.

`event_with_slots(...)` builds a ready event: one session of `slots` meeting slots from 9:00 in
30 days, `tables` numbered tables, and `participants` participants from different
organisations, each registered for the activity.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from klynge.activities.choices import ActivityFormat, ActivityType
from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.models import (
    BrokerageEvent,
    Meeting,
    Participant,
    ParticipationType,
    Session,
    Slot,
    Table,
)
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.factories import OrganisationFactory, PersonFactory


def _morning(days: int = 30):
    moment = timezone.localtime(timezone.now() + timedelta(days=days))
    return moment.replace(hour=9, minute=0, second=0, microsecond=0)


class BrokerageActivityFactory(ActivityFactory):
    title = factory.Sequence(lambda n: f"B2B matchmaking {n}")
    type = ActivityType.MATCHMAKING
    format = ActivityFormat.B2B_MATCHMAKING
    starts_at = factory.LazyFunction(_morning)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=8))


class BrokerageEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BrokerageEvent

    activity = factory.SubFactory(BrokerageActivityFactory)
    meeting_minutes = 20
    pause_minutes = 5


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(BrokerageEventFactory)
    name = factory.Sequence(lambda n: f"Session {n}")
    starts_at = factory.LazyAttribute(lambda o: o.event.activity.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    session = factory.SubFactory(SessionFactory)
    event = factory.LazyAttribute(lambda o: o.session.event)
    starts_at = factory.LazyAttribute(lambda o: o.session.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=20))


class TableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Table

    event = factory.SubFactory(BrokerageEventFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Table {o.position}")


class ParticipationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipationType

    event = factory.SubFactory(BrokerageEventFactory)
    name = factory.Sequence(lambda n: f"Type {n}")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    event = factory.SubFactory(BrokerageEventFactory)
    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    registration = factory.LazyAttribute(lambda o: RegistrationFactory(
        activity=o.event.activity, person=o.person, organisation=o.organisation))
    headline = factory.Sequence(lambda n: f"Participant {n}")
    offers = "Data platforms and machine learning."
    seeks = "Industrial partners for pilots."


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    event = factory.SubFactory(BrokerageEventFactory)
    requester = factory.LazyAttribute(lambda o: ParticipantFactory(event=o.event))
    recipient = factory.LazyAttribute(lambda o: ParticipantFactory(event=o.event))
    message = "Let us talk about a pilot."
    status = MeetingStatus.ACCEPTED


def event_with_slots(*, slots: int = 4, tables: int = 2, participants: int = 4,
                     minutes: int = 20, pause: int = 5) -> BrokerageEvent:
    """An event with one session of `slots` slots, `tables` tables and `participants`
    participants (each of their own organisation, each registered for the activity)."""
    event = BrokerageEventFactory(meeting_minutes=minutes, pause_minutes=pause)
    start = event.activity.starts_at
    step = timedelta(minutes=minutes + pause)
    session = SessionFactory(event=event, name="Morning", starts_at=start,
                             ends_at=start + step * slots)
    for i in range(slots):
        SlotFactory(session=session, event=event, starts_at=start + step * i,
                    ends_at=start + step * i + timedelta(minutes=minutes))
    for i in range(tables):
        TableFactory(event=event, position=i + 1, name=f"Table {i + 1}")
    for _ in range(participants):
        ParticipantFactory(event=event)
    return event
