"""Meeting services: request, answer, cancel, arrange; every obstacle in words; e-mails."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from klynge.brokerage.choices import MeetingOrigin, MeetingStatus
from klynge.brokerage.models import Meeting
from klynge.brokerage.services import meetings as services
from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from tests.brokerage.factories import (
    MeetingFactory,
    ParticipantFactory,
    ParticipationTypeFactory,
    event_with_slots,
)
from tests.factories import OrganisationFactory, PersonFactory, user_with_role

pytestmark = pytest.mark.django_db


def person(first, last, language="en"):
    return PersonFactory(first_name=first, last_name=last, language=language,
                         email=f"{first.lower()}@example.dk")


@pytest.fixture
def event():
    return event_with_slots(slots=4, tables=2, participants=0)


@pytest.fixture
def anna(event):
    return ParticipantFactory(event=event, person=person("Anna", "Holm"),
                              organisation=OrganisationFactory(name="Dataværket A/S"))


@pytest.fixture
def bo(event):
    return ParticipantFactory(event=event, person=person("Bo", "Berg"),
                              organisation=OrganisationFactory(name="Robotfabrikken ApS"))


def refused(requester, recipient) -> list[str]:
    with pytest.raises(ApplicationError) as error:
        services.meeting_request(requester=requester, recipient=recipient)
    assert Meeting.objects.count() == 0
    return error.value.extra["reasons"]


# --- a request -------------------------------------------------------------------------------


def test_a_request_is_saved_logged_and_mailed_to_the_recipient(
        anna, bo, settings, django_capture_on_commit_callbacks):
    settings.KLYNGE_BASE_URL = "https://klynge.example"
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_request(requester=anna, recipient=bo,
                                           message="Let us talk robots.", priority=3)

    assert (meeting.status, meeting.origin, meeting.priority) == (
        MeetingStatus.REQUESTED, MeetingOrigin.PARTICIPANT, 3)
    assert meeting.message == "Let us talk robots."
    entry = AuditEntry.objects.get(action="klynge.brokerage.meeting.requested")
    assert entry.data == {"requester": "Anna Holm", "recipient": "Bo Berg", "priority": 3}
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["bo@example.dk"]
    assert sent.subject == "Meeting request from Anna Holm"
    home = f"https://klynge.example/b2b/me/{bo.key}/"
    assert sent.body.startswith("Dear Bo,")
    assert "Anna Holm would like to meet you at" in sent.body
    assert "Organisation: Dataværket A/S" in sent.body
    assert "Let us talk robots." in sent.body
    assert "Priority: Must meet" in sent.body
    assert f"{home}?meeting={meeting.pk}&answer=accept#meeting-{meeting.pk}" in sent.body
    assert f"{home}?meeting={meeting.pk}&answer=decline#meeting-{meeting.pk}" in sent.body


def test_the_request_e_mail_is_in_the_recipients_language(event, anna,
                                                          django_capture_on_commit_callbacks):
    danish = ParticipantFactory(event=event, person=person("Dorte", "Dam", language="da"))
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_request(requester=anna, recipient=danish)

    assert mail.outbox[0].body.startswith("Kære Dorte,")


def test_a_possible_request_has_no_obstacles(anna, bo):
    assert services.booking_obstacles(requester=anna, recipient=bo) == []


def test_a_wrong_priority_is_refused(anna, bo):
    with pytest.raises(ApplicationError, match="how much the meeting matters"):
        services.meeting_request(requester=anna, recipient=bo, priority=7)
    assert Meeting.objects.count() == 0


def test_participants_of_two_events_cannot_meet(anna):
    stranger = ParticipantFactory()
    with pytest.raises(ApplicationError, match="Both participants must take part"):
        services.meeting_request(requester=anna, recipient=stranger)


# --- every obstacle in words -----------------------------------------------------------------


def test_self(anna):
    assert refused(anna, anna) == ["You cannot request a meeting with yourself."]


def test_colleague(event, anna):
    colleague = ParticipantFactory(event=event, person=person("Carl", "Krog"),
                                   organisation=anna.organisation)
    assert refused(colleague, anna) == [
        "Anna Holm works at Dataværket A/S, as you do: colleagues cannot be booked against "
        "each other."]


def test_withdrawn(anna, bo):
    bo.withdrawn_at = timezone.now()
    bo.save()
    assert refused(anna, bo) == ["Bo Berg has withdrawn from this event."]
    assert services.booking_obstacles(requester=bo, recipient=anna) == [
        "You have withdrawn from this event."]


def test_not_listed(anna, bo):
    bo.is_listed = False
    bo.save()
    assert refused(anna, bo) == [
        "Bo Berg is not shown in the marketplace and does not take meeting requests."]


def test_same_type_not_allowed(event, anna, bo):
    sellers = ParticipationTypeFactory(event=event, name="Seller", may_meet_same_type=False)
    anna.participation_type = bo.participation_type = sellers
    anna.save()
    bo.save()
    assert refused(anna, bo) == [
        "Bo Berg is a “Seller” participant, as you are, and participants of that type do not "
        "meet each other at this event."]


def test_requests_switched_off(event, anna, bo):
    event.requests_open = False
    event.save()
    assert refused(anna, bo) == ["Meeting requests are closed for this event."]


def test_requests_deadline_passed(event, anna, bo):
    event.requests_deadline = timezone.make_aware(datetime(2020, 3, 1, 12, 0))
    event.save()
    assert refused(anna, bo) == ["Meeting requests closed on March 1, 2020, noon."]


def test_already_requested_by_me(anna, bo):
    MeetingFactory(event=anna.event, requester=anna, recipient=bo,
                   status=MeetingStatus.REQUESTED)
    with pytest.raises(ApplicationError) as error:
        services.meeting_request(requester=anna, recipient=bo)
    assert error.value.extra["reasons"] == [
        "You have already asked Bo Berg for a meeting; they have not answered yet."]
    assert Meeting.objects.count() == 1


def test_already_requested_by_them(anna, bo):
    MeetingFactory(event=anna.event, requester=bo, recipient=anna,
                   status=MeetingStatus.REQUESTED)
    assert services.booking_obstacles(requester=anna, recipient=bo) == [
        "Bo Berg has already asked you for a meeting: accept it on your page instead."]


def test_already_meeting(anna, bo):
    MeetingFactory(event=anna.event, requester=bo, recipient=anna,
                   status=MeetingStatus.ACCEPTED)
    assert services.booking_obstacles(requester=anna, recipient=bo) == [
        "You already have a meeting with Bo Berg."]


def test_already_declined(anna, bo):
    MeetingFactory(event=anna.event, requester=anna, recipient=bo,
                   status=MeetingStatus.DECLINED)
    assert services.booking_obstacles(requester=anna, recipient=bo) == [
        "Bo Berg has declined your request for a meeting, so it cannot be requested again."]
    # the other way round is a new question
    assert services.booking_obstacles(requester=bo, recipient=anna) == []


def test_a_cancelled_meeting_can_be_requested_again(anna, bo):
    MeetingFactory(event=anna.event, requester=anna, recipient=bo,
                   status=MeetingStatus.CANCELLED)
    assert services.booking_obstacles(requester=anna, recipient=bo) == []


def test_requester_full(event, anna, bo):
    anna.meeting_cap = 1
    anna.save()
    MeetingFactory(event=event, requester=anna, status=MeetingStatus.ACCEPTED)
    assert services.booking_obstacles(requester=anna, recipient=bo) == [
        "You already have 1 accepted meeting, as many as you can have at this event."]


def test_recipient_full_by_the_events_cap(event, anna, bo):
    event.meeting_cap = 2
    event.save()
    MeetingFactory(event=event, recipient=bo, status=MeetingStatus.ACCEPTED)
    MeetingFactory(event=event, requester=bo, status=MeetingStatus.ACCEPTED)
    MeetingFactory(event=event, requester=bo, status=MeetingStatus.REQUESTED)
    assert services.booking_obstacles(requester=anna, recipient=bo) == [
        "Bo Berg's agenda is full: they already have 2 accepted meetings, as many as they "
        "can have."]


def test_no_common_slot(event, anna, bo):
    slots = list(event.slots.order_by("starts_at"))
    anna.unavailable.set(slots[:2])
    bo.unavailable.set(slots[2:])
    assert services.booking_obstacles(requester=anna, recipient=bo) == [
        "You and Bo Berg have no free meeting time in common."]
    bo.unavailable.set(slots[3:])
    assert services.booking_obstacles(requester=anna, recipient=bo) == []


def test_a_break_is_no_common_time(event, anna, bo):
    slots = list(event.slots.order_by("starts_at"))
    anna.unavailable.set(slots[:3])
    slots[3].is_break = True
    slots[3].save()
    assert refused(anna, bo) == ["You and Bo Berg have no free meeting time in common."]


def test_every_obstacle_at_once(event, anna):
    event.requests_open = False
    event.save()
    colleague = ParticipantFactory(event=event, person=person("Carl", "Krog"),
                                   organisation=anna.organisation, is_listed=False)
    assert refused(anna, colleague) == [
        "Carl Krog works at Dataværket A/S, as you do: colleagues cannot be booked against "
        "each other.",
        "Carl Krog is not shown in the marketplace and does not take meeting requests.",
        "Meeting requests are closed for this event."]


def test_the_refusal_message_is_all_sentences(anna):
    with pytest.raises(ApplicationError) as error:
        services.meeting_request(requester=anna, recipient=anna)
    assert error.value.message == "You cannot request a meeting with yourself."


# --- answers ---------------------------------------------------------------------------------


def test_accepting_mails_the_requester_in_their_language(anna, bo,
                                                         django_capture_on_commit_callbacks):
    meeting = MeetingFactory(event=anna.event, requester=anna, recipient=bo,
                             status=MeetingStatus.REQUESTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_answer(meeting=meeting, participant=bo, accept=True,
                                message="Gladly!")

    meeting.refresh_from_db()
    assert (meeting.status, meeting.answer_message) == (MeetingStatus.ACCEPTED, "Gladly!")
    assert meeting.answered_at is not None
    assert AuditEntry.objects.filter(action="klynge.brokerage.meeting.accepted").count() == 1
    sent = mail.outbox[0]
    assert (sent.to, sent.subject) == (["anna@example.dk"],
                                       "Bo Berg accepted your meeting request")
    assert "Bo Berg has accepted your request for a meeting at" in sent.body
    assert "Gladly!" in sent.body
    assert f"/b2b/me/{anna.key}/" in sent.body


def test_declining_mails_the_requester(anna, bo, django_capture_on_commit_callbacks):
    anna.person.language = "da"
    anna.person.save()
    meeting = MeetingFactory(event=anna.event, requester=anna, recipient=bo,
                             status=MeetingStatus.REQUESTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_answer(meeting=meeting, participant=bo, accept=False)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DECLINED
    assert AuditEntry.objects.filter(action="klynge.brokerage.meeting.declined").count() == 1
    assert mail.outbox[0].to == ["anna@example.dk"]
    assert mail.outbox[0].body.startswith("Kære Anna,")


def test_only_the_recipient_answers(anna, bo):
    meeting = MeetingFactory(event=anna.event, requester=anna, recipient=bo,
                             status=MeetingStatus.REQUESTED)
    with pytest.raises(ApplicationError, match="Only Bo Berg can answer this request."):
        services.meeting_answer(meeting=meeting, participant=anna, accept=True)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.REQUESTED


def test_only_a_waiting_request_is_answered(anna, bo):
    meeting = MeetingFactory(event=anna.event, requester=anna, recipient=bo,
                             status=MeetingStatus.DECLINED)
    with pytest.raises(ApplicationError,
                       match="This request has already been answered: it is declined."):
        services.meeting_answer(meeting=meeting, participant=bo, accept=True)


def test_accepting_into_a_full_agenda_is_refused(event, anna, bo):
    bo.meeting_cap = 1
    bo.save()
    MeetingFactory(event=event, requester=bo, status=MeetingStatus.ACCEPTED)
    meeting = MeetingFactory(event=event, requester=anna, recipient=bo,
                             status=MeetingStatus.REQUESTED)
    with pytest.raises(ApplicationError) as error:
        services.meeting_answer(meeting=meeting, participant=bo, accept=True)
    assert error.value.extra["reasons"] == [
        "You already have 1 accepted meeting, as many as you can have at this event."]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.REQUESTED
    # declining is always possible
    services.meeting_answer(meeting=meeting, participant=bo, accept=False)


# --- cancelling ------------------------------------------------------------------------------


def test_the_requester_cancels_and_the_other_side_is_told(event, anna, bo,
                                                          django_capture_on_commit_callbacks):
    slot, table = event.slots.first(), event.tables.first()
    meeting = MeetingFactory(event=event, requester=anna, recipient=bo, slot=slot,
                             table=table, locked=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, participant=anna, reason="Ill")

    meeting.refresh_from_db()
    assert (meeting.status, meeting.slot, meeting.table, meeting.locked) == (
        MeetingStatus.CANCELLED, None, None, False)
    entry = AuditEntry.objects.get(action="klynge.brokerage.meeting.cancelled")
    assert entry.data == {"by": "Anna Holm", "reason": "Ill", "previous": "accepted",
                          "slot": str(slot), "table": "Table 1"}
    assert [m.to for m in mail.outbox] == [["bo@example.dk"]]
    assert mail.outbox[0].subject == "Meeting with Anna Holm cancelled"
    assert "Anna Holm has cancelled your meeting at" in mail.outbox[0].body
    assert f"The time {slot} (table Table 1) is free again" in mail.outbox[0].body


def test_the_organiser_cancels_and_both_are_told(anna, bo, django_capture_on_commit_callbacks):
    staff = user_with_role("staff")
    meeting = MeetingFactory(event=anna.event, requester=anna, recipient=bo)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, actor=staff)

    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.dk", "bo@example.dk"]
    assert AuditEntry.objects.get(action="klynge.brokerage.meeting.cancelled").actor == staff


def test_a_stranger_cannot_cancel(event, anna, bo):
    meeting = MeetingFactory(event=event, requester=anna, recipient=bo)
    stranger = ParticipantFactory(event=event)
    with pytest.raises(ApplicationError, match="only your own meetings"):
        services.meeting_cancel(meeting=meeting, participant=stranger)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED


def test_a_closed_meeting_cannot_be_cancelled(anna, bo):
    meeting = MeetingFactory(event=anna.event, requester=anna, recipient=bo,
                             status=MeetingStatus.DECLINED)
    with pytest.raises(ApplicationError, match="cannot be cancelled: it is declined"):
        services.meeting_cancel(meeting=meeting, participant=anna)


# --- the organiser arranges ------------------------------------------------------------------


def test_the_organiser_arranges_an_accepted_meeting(event, anna, bo,
                                                    django_capture_on_commit_callbacks):
    staff = user_with_role("staff")
    bo.is_listed = False
    bo.save()
    event.requests_open = False
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_arrange(event=event, requester=anna, recipient=bo,
                                           actor=staff, message="You two should talk.")

    assert (meeting.status, meeting.origin, meeting.priority, meeting.created_by) == (
        MeetingStatus.ACCEPTED, MeetingOrigin.ORGANISER, 3, staff)
    assert meeting.answered_at is not None
    assert AuditEntry.objects.get(action="klynge.brokerage.meeting.arranged").actor == staff
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("anna@example.dk", "Meeting arranged with Bo Berg"),
        ("bo@example.dk", "Meeting arranged with Anna Holm")]
    assert "You two should talk." in mail.outbox[0].body


def test_the_organiser_is_held_to_the_other_rules(event, anna):
    staff = user_with_role("staff")
    colleague = ParticipantFactory(event=event, person=person("Carl", "Krog"),
                                   organisation=anna.organisation)
    with pytest.raises(ApplicationError) as error:
        services.meeting_arrange(event=event, requester=anna, recipient=colleague,
                                 actor=staff)
    assert error.value.extra["reasons"] == [
        "Anna Holm and Carl Krog both work at Dataværket A/S: colleagues cannot be booked "
        "against each other."]
    assert Meeting.objects.count() == 0


def test_the_organiser_cannot_arrange_across_events(anna):
    other_event = event_with_slots(participants=2)
    a, b = other_event.participants.all()
    with pytest.raises(ApplicationError, match="Both participants must take part"):
        services.meeting_arrange(event=anna.event, requester=a, recipient=b,
                                 actor=user_with_role("staff"))


# --- after publication -----------------------------------------------------------------------


def test_an_accepted_meeting_after_publication_is_placed_at_once(event, anna, bo):
    pytest.importorskip("klynge.brokerage.services.scheduling")
    event.published_at = timezone.now() - timedelta(hours=1)
    event.save()
    meeting = MeetingFactory(event=event, requester=anna, recipient=bo,
                             status=MeetingStatus.REQUESTED)

    services.meeting_answer(meeting=meeting, participant=bo, accept=True)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED
    assert meeting.slot is not None and meeting.table is not None


def test_the_organiser_may_still_arrange_with_who_withdrew_visibility(event, anna, bo):
    from klynge.privacy.choices import ConsentSource, Purpose
    from klynge.privacy.services import consent_withdraw

    consent_withdraw(person=bo.person, purpose=Purpose.MATCHMAKING_VISIBILITY,
                     source=ConsentSource.STAFF)
    assert refused(anna, bo) == [
        "Bo Berg is not shown in the marketplace and does not take meeting requests."]
    meeting = services.meeting_arrange(event=event, requester=anna, recipient=bo,
                                       actor=user_with_role(Role.STAFF))
    assert meeting.status == MeetingStatus.ACCEPTED
