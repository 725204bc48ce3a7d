"""The API's brokerage events, participants and meetings: filters, the meeting services' rules
and audit entries, members acting as their own participation, query counts."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.models import Meeting
from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from tests.api.conftest import token_client_for
from tests.brokerage.factories import MeetingFactory, ParticipantFactory, event_with_slots
from tests.factories import OrganisationFactory, PersonFactory, user_with_role

EVENTS = "/api/v1/brokerage-events/"
PARTICIPANTS = "/api/v1/brokerage-participants/"
MEETINGS = "/api/v1/brokerage-meetings/"


def person(first, last):
    return PersonFactory(first_name=first, last_name=last, language="en",
                         email=f"{first.lower()}@example.dk")


@pytest.fixture
def event(db):
    return event_with_slots(slots=4, tables=2, participants=0)


@pytest.fixture
def anna(event):
    return ParticipantFactory(event=event, person=person("Anna", "Holm"),
                              organisation=OrganisationFactory(name="Dataværket A/S"))


@pytest.fixture
def bo(event):
    return ParticipantFactory(event=event, person=person("Bo", "Berg"),
                              organisation=OrganisationFactory(name="Robotfabrikken ApS"))


@pytest.fixture
def anna_client(anna):
    """Anna signed in as a member with a token (her person is the participant)."""
    return token_client_for(user_with_role(Role.MEMBER, person=anna.person))


def _ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_member_requests_a_meeting_as_herself(anna_client, anna, bo,
                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = anna_client.post(MEETINGS, {"requester": anna.pk, "recipient": bo.pk,
                                               "message": "A pilot?", "priority": 3},
                                    format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["origin"], body["priority"], body["recipient_name"]) == (
        "requested", "participant", 3, "Bo Berg")
    entry = AuditEntry.objects.get(object_id=str(body["id"]),
                                   action="klynge.brokerage.meeting.requested")
    assert entry.data == {"requester": "Anna Holm", "recipient": "Bo Berg", "priority": 3}
    assert [m.to for m in mail.outbox] == [["bo@example.dk"]]


def test_colleagues_cannot_be_booked_against_each_other(anna_client, event, anna):
    colleague = ParticipantFactory(event=event, person=person("Carl", "Krog"),
                                   organisation=anna.organisation)

    response = anna_client.post(MEETINGS, {"requester": anna.pk, "recipient": colleague.pk},
                                format="json")

    assert response.status_code == 400
    message = ("Carl Krog works at Dataværket A/S, as you do: colleagues cannot be booked "
               "against each other.")
    assert response.json() == {"detail": message, "extra": {"reasons": [message]}}
    assert Meeting.objects.count() == 0


def test_member_cannot_request_as_someone_else(anna_client, event, bo):
    carl = ParticipantFactory(event=event, person=person("Carl", "Krog"))

    response = anna_client.post(MEETINGS, {"requester": carl.pk, "recipient": bo.pk},
                                format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == "You can request meetings only as yourself."
    assert response.json()["field"] == "requester"


def test_member_answers_a_request_made_to_her_and_not_her_own(anna_client, event, anna, bo):
    to_anna = MeetingFactory(event=event, requester=bo, recipient=anna,
                             status=MeetingStatus.REQUESTED)
    carl = ParticipantFactory(event=event, person=person("Carl", "Krog"))
    by_anna = MeetingFactory(event=event, requester=anna, recipient=carl,
                             status=MeetingStatus.REQUESTED)

    accepted = anna_client.post(f"{MEETINGS}{to_anna.pk}/answer/",
                                {"accept": True, "message": "Gladly"}, format="json")
    own = anna_client.post(f"{MEETINGS}{by_anna.pk}/answer/", {"accept": True}, format="json")

    assert accepted.status_code == 200
    assert (accepted.json()["status"], accepted.json()["answer_message"]) == ("accepted",
                                                                              "Gladly")
    assert own.status_code == 400
    assert own.json()["detail"] == "Only Carl Krog can answer this request."


def test_member_cancels_her_meeting_and_sees_no_one_elses(anna_client, event, anna, bo):
    mine = MeetingFactory(event=event, requester=anna, recipient=bo)
    carl = ParticipantFactory(event=event, person=person("Carl", "Krog"))
    theirs = MeetingFactory(event=event, requester=bo, recipient=carl)

    listed = anna_client.get(MEETINGS)
    foreign = anna_client.get(f"{MEETINGS}{theirs.pk}/")
    foreign_cancel = anna_client.post(f"{MEETINGS}{theirs.pk}/cancel/", {}, format="json")
    cancelled = anna_client.post(f"{MEETINGS}{mine.pk}/cancel/", {"reason": "Ill"},
                                 format="json")
    again = anna_client.post(f"{MEETINGS}{mine.pk}/cancel/", {}, format="json")

    assert _ids(listed) == [mine.pk]
    assert foreign.status_code == 404
    assert foreign_cancel.status_code == 404
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    entry = AuditEntry.objects.get(object_id=str(mine.pk),
                                   action="klynge.brokerage.meeting.cancelled")
    assert (entry.data["by"], entry.data["reason"]) == ("Anna Holm", "Ill")
    assert again.status_code == 400
    assert again.json()["detail"] == "This meeting cannot be cancelled: it is cancelled."


def test_members_may_not_arrange_or_move(anna_client, event, anna, bo):
    meeting = MeetingFactory(event=event, requester=anna, recipient=bo)
    slot = event.slots.order_by("starts_at").first()

    arrange = anna_client.post(f"{MEETINGS}arrange/", {"event": event.pk,
                                                       "requester": anna.pk,
                                                       "recipient": bo.pk}, format="json")
    move = anna_client.post(f"{MEETINGS}{meeting.pk}/move/", {"slot": slot.pk},
                            format="json")

    assert arrange.status_code == 403
    assert move.status_code == 403


def test_staff_arranges_then_moves_and_locks(staff_api_client, event, anna, bo):
    slot = event.slots.order_by("starts_at").first()

    arranged = staff_api_client.post(f"{MEETINGS}arrange/", {
        "event": event.pk, "requester": anna.pk, "recipient": bo.pk}, format="json")
    moved = staff_api_client.post(f"{MEETINGS}{arranged.json()['id']}/move/",
                                  {"slot": slot.pk, "locked": True}, format="json")

    assert arranged.status_code == 201
    assert (arranged.json()["status"], arranged.json()["origin"]) == ("accepted", "organiser")
    assert moved.status_code == 200
    assert (moved.json()["slot"], moved.json()["table_name"], moved.json()["locked"]) == (
        slot.pk, "Table 1", True)
    actions = list(AuditEntry.objects.filter(object_id=str(arranged.json()["id"]),
                                             content_type__model="meeting")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["klynge.brokerage.meeting.arranged", "klynge.brokerage.meeting.moved"]


def test_staff_move_to_a_busy_slot_is_refused(staff_api_client, event, anna, bo):
    slot = event.slots.order_by("starts_at").first()
    carl = ParticipantFactory(event=event, person=person("Carl", "Krog"))
    MeetingFactory(event=event, requester=anna, recipient=carl, slot=slot,
                   table=event.tables.first())
    meeting = MeetingFactory(event=event, requester=anna, recipient=bo)

    response = staff_api_client.post(f"{MEETINGS}{meeting.pk}/move/", {"slot": slot.pk},
                                     format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "slot"
    assert response.json()["detail"].startswith("Anna Holm already has a meeting at ")


def test_meeting_list_filters_and_query_count(staff_api_client, event):
    def make(count):
        for _ in range(count):
            MeetingFactory(event=event)

    make(2)
    MeetingFactory(event=event, status=MeetingStatus.DECLINED)
    with CaptureQueriesContext(connection) as few:
        staff_api_client.get(MEETINGS)
    make(27)
    with CaptureQueriesContext(connection) as many:
        response = staff_api_client.get(MEETINGS, {"event": event.pk})
    declined = staff_api_client.get(MEETINGS, {"status": "declined"})

    assert response.json()["count"] == 30
    assert len(many.captured_queries) == len(few.captured_queries)
    assert declined.json()["count"] == 1


def test_events_and_participants_with_their_figures(staff_api_client, event, anna, bo):
    MeetingFactory(event=event, requester=anna, recipient=bo)
    other = event_with_slots(participants=2)

    events = staff_api_client.get(EVENTS)
    participants = staff_api_client.get(PARTICIPANTS, {"event": event.pk,
                                                       "ordering": "name"})

    assert sorted(_ids(events)) == sorted([event.pk, other.pk])
    row = next(r for r in events.json()["results"] if r["id"] == event.pk)
    assert (row["participant_count"], row["request_count"], row["accepted_count"]) == (2, 1, 1)
    assert [(p["name"], p["made_count"], p["received_count"], p["accepted_count"])
            for p in participants.json()["results"]] == [("Bo Berg", 0, 1, 1),
                                                         ("Anna Holm", 1, 0, 1)]


def test_participant_list_query_count_does_not_grow_with_rows(staff_api_client, event):
    ParticipantFactory.create_batch(2, event=event)
    with CaptureQueriesContext(connection) as few:
        staff_api_client.get(PARTICIPANTS)
    ParticipantFactory.create_batch(28, event=event)
    with CaptureQueriesContext(connection) as many:
        response = staff_api_client.get(PARTICIPANTS)

    assert response.json()["count"] == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_member_sees_only_her_events_and_participations(anna_client, event, anna, bo):
    other = event_with_slots(participants=2)

    events = anna_client.get(EVENTS)
    participants = anna_client.get(PARTICIPANTS)
    foreign = anna_client.get(f"{PARTICIPANTS}{bo.pk}/")
    foreign_event = anna_client.get(f"{EVENTS}{other.pk}/")

    assert _ids(events) == [event.pk]
    assert _ids(participants) == [anna.pk]
    assert foreign.status_code == 404
    assert foreign_event.status_code == 404
