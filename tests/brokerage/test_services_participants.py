"""An event's participants: adding them (prefilled entry, welcome e-mail in their language),
types with capacity, their entry, unavailable slots, withdrawing
(klynge.brokerage.services.participants)."""

import pytest
from django.core import mail

from klynge.activities.choices import RegistrationStatus
from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.models import Meeting, Participant
from klynge.brokerage.services import participants as services
from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from tests.activities.factories import RegistrationFactory
from tests.brokerage.factories import (
    BrokerageEventFactory,
    MeetingFactory,
    ParticipantFactory,
    ParticipationTypeFactory,
    event_with_slots,
)
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _registered(event, **person):
    organisation = OrganisationFactory(
        name="Dataværket ApS", offers="Predictive maintenance.",
        seeks="Pilot customers in food production.",
        description="Sensor analytics for food factories.  Founded in Aarhus in 2019.")
    return RegistrationFactory(activity=event.activity, person=PersonFactory(**person),
                               organisation=organisation)


# --- adding -------------------------------------------------------------------------------------


def test_a_registered_person_is_added_with_an_entry_from_the_organisation_profile():
    event = BrokerageEventFactory()
    registration = _registered(event, language="en")
    actor = UserFactory()

    participant = services.participant_add(event=event, person=registration.person,
                                           actor=actor, registration=registration)

    assert (participant.organisation, participant.registration) == (
        registration.organisation, registration)
    assert (participant.headline, participant.offers, participant.seeks) == (
        "Sensor analytics for food factories.", "Predictive maintenance.",
        "Pilot customers in food production.")
    assert participant.is_listed and participant.withdrawn_at is None
    entry = AuditEntry.objects.get(action="klynge.brokerage.participant.added")
    assert (entry.actor, entry.data["registration"]) == (actor, registration.pk)


def test_competences_stand_in_for_missing_offers_and_the_job_title_for_a_description():
    event = BrokerageEventFactory()
    person = PersonFactory(language="da", job_title="Lektor i datalogi")
    university = OrganisationFactory(name="Aarhus Universitet", kind="university", offers="",
                                     competences="Machine learning, HPC.", seeks="",
                                     description="")

    participant = services.participant_add(event=event, person=person, actor=None,
                                           organisation=university)

    assert (participant.headline, participant.offers, participant.seeks) == (
        "Lektor i datalogi", "Machine learning, HPC.", "")


def test_a_long_first_sentence_is_cut_at_a_word():
    event = BrokerageEventFactory()
    organisation = OrganisationFactory(description="word " * 60)

    participant = services.participant_add(event=event, person=PersonFactory(), actor=None,
                                           organisation=organisation)

    assert len(participant.headline) <= 200
    assert participant.headline.endswith("word…")


def test_without_a_registration_given_the_live_one_and_its_organisation_are_linked():
    event = BrokerageEventFactory()
    registration = _registered(event)

    participant = services.participant_add(event=event, person=registration.person, actor=None)

    assert (participant.registration, participant.organisation) == (
        registration, registration.organisation)


def test_an_unregistered_person_takes_their_primary_affiliation():
    event = BrokerageEventFactory()
    affiliation = AffiliationFactory()

    participant = services.participant_add(event=event, person=affiliation.person, actor=None)

    assert (participant.registration, participant.organisation) == (
        None, affiliation.organisation)


def test_a_person_takes_part_once_per_event():
    event = BrokerageEventFactory()
    existing = ParticipantFactory(event=event)

    with pytest.raises(ApplicationError, match="is already a participant"):
        services.participant_add(event=event, person=existing.person, actor=None)

    assert Participant.objects.count() == 1
    assert len(mail.outbox) == 0


@pytest.mark.parametrize(("status", "word"), [
    (RegistrationStatus.CANCELLED, "cancelled"), (RegistrationStatus.WAITLISTED, "on the waitlist"),
])
def test_a_registration_that_is_not_registered_is_refused(status, word):
    event = BrokerageEventFactory()
    registration = RegistrationFactory(activity=event.activity, status=status)

    with pytest.raises(ApplicationError, match=f"registration is {word}"):
        services.participant_add(event=event, person=registration.person, actor=None,
                                 registration=registration)

    assert not Participant.objects.exists()


def test_a_registration_for_another_activity_is_refused():
    event = BrokerageEventFactory()
    registration = RegistrationFactory()

    with pytest.raises(ApplicationError, match="is not .*registration for"):
        services.participant_add(event=event, person=registration.person, actor=None,
                                 registration=registration)


def test_a_full_type_is_refused_and_a_withdrawn_participant_frees_a_place():
    event = BrokerageEventFactory()
    buyer = ParticipationTypeFactory(event=event, name="Buyer", capacity=1)
    first = ParticipantFactory(event=event, participation_type=buyer)
    person = PersonFactory()

    with pytest.raises(ApplicationError, match="Buyer is full: 1 of 1 places are taken"):
        services.participant_add(event=event, person=person, actor=None,
                                 participation_type=buyer)
    Participant.objects.filter(pk=first.pk).update(withdrawn_at="2026-01-01T10:00Z")
    added = services.participant_add(event=event, person=person, actor=None,
                                     participation_type=buyer)

    assert added.participation_type == buyer


def test_a_type_of_another_event_is_refused():
    event = BrokerageEventFactory()
    other = ParticipationTypeFactory()

    with pytest.raises(ApplicationError, match="belongs to another event"):
        services.participant_add(event=event, person=PersonFactory(), actor=None,
                                 participation_type=other)


def test_the_welcome_email_goes_out_in_danish_with_the_personal_link(
        django_capture_on_commit_callbacks, settings):
    settings.KLYNGE_BASE_URL = "https://klynge.example.dk"
    event = BrokerageEventFactory(activity__place="Navitas, Aarhus")
    registration = _registered(event, first_name="Mette", language="da",
                               email="mette@example.dk")

    with django_capture_on_commit_callbacks(execute=True):
        participant = services.participant_add(event=event, person=registration.person,
                                               actor=None, registration=registration)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mette@example.dk"]
    assert message.body.startswith("Kære Mette,")
    assert "Hvor: Navitas, Aarhus" in message.body
    assert f"https://klynge.example.dk/b2b/me/{participant.key}/" in message.body


def test_the_welcome_email_is_sent_only_after_commit(django_capture_on_commit_callbacks):
    event = BrokerageEventFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.participant_add(event=event, person=PersonFactory(), actor=None)

    assert len(mail.outbox) == 0
    for callback in callbacks:  # the commit: the e-mail, and the audit listeners
        callback()
    assert len(mail.outbox) == 1


def test_every_registered_person_not_yet_taking_part_is_added(
        django_capture_on_commit_callbacks):
    event = BrokerageEventFactory()
    first, second = _registered(event), _registered(event)
    RegistrationFactory(activity=event.activity, status=RegistrationStatus.CANCELLED)
    RegistrationFactory(activity=event.activity, status=RegistrationStatus.WAITLISTED)
    already = ParticipantFactory(event=event)

    with django_capture_on_commit_callbacks(execute=True):
        added = services.participants_add_registered(event=event, actor=None)

    assert added == 2
    assert set(event.participants.values_list("person", flat=True)) == {
        first.person_id, second.person_id, already.person_id}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [first.person.email, second.person.email])
    assert services.participants_add_registered(event=event, actor=None) == 0


def test_the_welcome_email_can_be_sent_again_but_not_to_a_withdrawn_participant(
        django_capture_on_commit_callbacks):
    participant = ParticipantFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.participant_welcome_send(participant=participant, actor=None)
    Participant.objects.filter(pk=participant.pk).update(withdrawn_at="2026-01-01T10:00Z")
    participant.refresh_from_db()
    with pytest.raises(ApplicationError, match="has withdrawn"):
        services.participant_welcome_send(participant=participant, actor=None)

    assert [m.to for m in mail.outbox] == [[participant.person.email]]


# --- changing -----------------------------------------------------------------------------------


def test_the_organiser_changes_the_entry_type_and_cap():
    event = BrokerageEventFactory()
    seller = ParticipationTypeFactory(event=event, name="Seller")
    participant = ParticipantFactory(event=event)
    actor = UserFactory()

    services.participant_update(participant=participant, actor=actor, data={
        "headline": "  Sensors for cold chains ", "offers": "IoT sensors", "seeks": "",
        "is_listed": False, "participation_type": seller, "meeting_cap": 4})

    participant.refresh_from_db()
    assert (participant.headline, participant.offers, participant.seeks, participant.is_listed,
            participant.participation_type, participant.meeting_cap) == (
        "Sensors for cold chains", "IoT sensors", "", False, seller, 4)
    entry = AuditEntry.objects.get(action="klynge.brokerage.participant.updated")
    assert entry.data["changes"]["meeting_cap"] == [None, 4]
    assert entry.data["by_participant"] is False


def test_a_participant_changes_only_their_marketplace_entry():
    event = BrokerageEventFactory()
    seller = ParticipationTypeFactory(event=event, name="Seller")
    participant = ParticipantFactory(event=event)

    services.participant_update(participant=participant, actor=None, data={
        "headline": "New headline", "participation_type": seller, "meeting_cap": 1})

    participant.refresh_from_db()
    assert (participant.headline, participant.participation_type, participant.meeting_cap) == (
        "New headline", None, None)


def test_changing_to_a_full_type_is_refused():
    event = BrokerageEventFactory()
    buyer = ParticipationTypeFactory(event=event, name="Buyer", capacity=1)
    ParticipantFactory(event=event, participation_type=buyer)
    participant = ParticipantFactory(event=event)

    with pytest.raises(ApplicationError, match="Buyer is full"):
        services.participant_update(participant=participant, actor=UserFactory(),
                                    data={"participation_type": buyer})

    participant.refresh_from_db()
    assert participant.participation_type is None


def test_a_newly_unavailable_slot_unschedules_the_meeting_in_it_only():
    event = event_with_slots(slots=3, tables=1, participants=3)
    a, b, c = event.participants.all()
    first, second, third = event.slots.all()
    table = event.tables.get()
    hit = MeetingFactory(event=event, requester=a, recipient=b, slot=first, table=table,
                         locked=True)
    kept = MeetingFactory(event=event, requester=c, recipient=a, slot=second, table=table)
    others = MeetingFactory(event=event, requester=b, recipient=c, slot=third, table=table)

    services.participant_set_unavailable(participant=a, actor=None, slots=[first, third])

    assert set(a.unavailable.all()) == {first, third}
    hit.refresh_from_db(), kept.refresh_from_db(), others.refresh_from_db()
    assert (hit.slot, hit.table, hit.locked, hit.status) == (None, None, False, "accepted")
    assert (kept.slot, others.slot) == (second, third)
    entry = AuditEntry.objects.get(action="klynge.brokerage.participant.unavailable_set")
    assert entry.data["unscheduled_meetings"] == [hit.pk]


def test_slots_of_another_event_cannot_be_chosen():
    participant = ParticipantFactory()
    foreign = event_with_slots(slots=1, tables=0, participants=0).slots.get()

    with pytest.raises(ApplicationError, match="event's own slots"):
        services.participant_set_unavailable(participant=participant, actor=None,
                                             slots=[foreign])

    assert not participant.unavailable.exists()


# --- withdrawing ----------------------------------------------------------------------------------


def test_withdrawing_cancels_the_open_meetings_and_tells_the_other_side(
        django_capture_on_commit_callbacks):
    event = event_with_slots(slots=2, tables=1, participants=4)
    a, b, c, d = event.participants.all()
    scheduled = MeetingFactory(event=event, requester=a, recipient=b,
                               slot=event.slots.first(), table=event.tables.get())
    asked = MeetingFactory(event=event, requester=c, recipient=a,
                           status=MeetingStatus.REQUESTED)
    declined = MeetingFactory(event=event, requester=a, recipient=d,
                              status=MeetingStatus.DECLINED)
    actor = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.participant_withdraw(participant=a, actor=actor)

    assert cancelled == 2
    statuses = dict(Meeting.objects.values_list("pk", "status"))
    assert statuses == {scheduled.pk: "cancelled", asked.pk: "cancelled",
                        declined.pk: "declined"}
    assert Meeting.objects.get(pk=scheduled.pk).slot is None
    a.refresh_from_db()
    assert a.withdrawn_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([b.person.email, c.person.email])
    entry = AuditEntry.objects.get(action="klynge.brokerage.participant.withdrawn")
    assert (entry.actor, entry.data["meetings_cancelled"]) == (actor, 2)
    with pytest.raises(ApplicationError, match="has already withdrawn"):
        services.participant_withdraw(participant=a, actor=actor)


def test_a_withdrawn_participant_is_reinstated_and_cannot_be_added_twice():
    participant = ParticipantFactory()
    services.participant_withdraw(participant=participant, actor=None)

    with pytest.raises(ApplicationError, match="reinstate them"):
        services.participant_add(event=participant.event, person=participant.person,
                                 actor=None)
    services.participant_reinstate(participant=participant, actor=None)

    participant.refresh_from_db()
    assert participant.withdrawn_at is None
