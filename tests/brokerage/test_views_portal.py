"""A participant's pages by their personal key, "people you should meet", and my_events."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from klynge.brokerage import selectors_portal
from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.models import Meeting
from klynge.core.roles import Role
from tests.brokerage.factories import (
    MeetingFactory,
    ParticipantFactory,
    ParticipationTypeFactory,
    event_with_slots,
)
from tests.factories import OrganisationFactory, PersonFactory, user_with_role

pytestmark = pytest.mark.django_db


def participant(event, first, last, organisation=None, **extra):
    if isinstance(organisation, str):
        organisation = OrganisationFactory(name=organisation)
    return ParticipantFactory(
        event=event, organisation=organisation,
        person=PersonFactory(first_name=first, last_name=last, language="en",
                             email=f"{first.lower()}@example.dk"), **extra)


@pytest.fixture
def event():
    return event_with_slots(slots=4, tables=2, participants=0)


@pytest.fixture
def anna(event):
    return participant(event, "Anna", "Holm", "Dataværket A/S")


@pytest.fixture
def bo(event):
    return participant(event, "Bo", "Berg", "Robotfabrikken ApS",
                       headline="Welding robots for small series")


def url(name, participant, *args):
    return reverse(f"brokerage:{name}", args=[participant.key, *args])


# --- the key is the credential ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["me_home", "me_profile", "me_marketplace"])
def test_an_unknown_key_is_404(client, name):
    assert client.get(reverse(f"brokerage:{name}", args=[uuid.uuid4()])).status_code == 404


@pytest.mark.parametrize("name", ["me_home", "me_profile", "me_marketplace"])
def test_a_withdrawn_participant_is_404(client, anna, name):
    anna.withdrawn_at = timezone.now()
    anna.save()
    assert client.get(url(name, anna)).status_code == 404


def test_home_shows_received_sent_and_accepted(client, event, anna, bo):
    cai = participant(event, "Cai", "Dahl", "Grøn Energi A/S")
    dea = participant(event, "Dea", "Eng", "Aarhus Universitet")
    received = MeetingFactory(event=event, requester=bo, recipient=anna,
                              status=MeetingStatus.REQUESTED, message="Robots?")
    sent = MeetingFactory(event=event, requester=anna, recipient=cai,
                          status=MeetingStatus.REQUESTED)
    accepted = MeetingFactory(event=event, requester=dea, recipient=anna)
    others = MeetingFactory(event=event, requester=bo, recipient=cai,
                            status=MeetingStatus.REQUESTED, message="Private to Cai")

    response = client.get(url("me_home", anna), {"meeting": received.pk, "answer": "accept"})

    home = response.context["home"]
    assert response.status_code == 200
    assert [m.pk for m in home.received] == [received.pk]
    assert [m.pk for m in home.sent] == [sent.pk]
    assert [m.pk for m in home.accepted] == [accepted.pk]
    assert (home.cap, home.accepted_count) == (4, 1)
    text = response.content.decode()
    assert "1 of at most 4 meetings accepted." in text
    assert "Robots?" in text
    assert "dea@example.dk" in text  # an accepted meeting shows the contact
    assert "bo@example.dk" not in text  # a request does not
    assert "Private to Cai" not in text
    assert others.pk not in [m.pk for m in home.received + home.sent + home.accepted]
    assert response.context["focus"] == received.pk


def test_home_after_publication_shows_time_and_table(client, event, anna, bo):
    event.published_at = timezone.now()
    event.requests_deadline = timezone.now() + timedelta(days=2)
    event.save()
    slot, table = event.slots.order_by("starts_at").last(), event.tables.last()
    MeetingFactory(event=event, requester=anna, recipient=bo, slot=slot, table=table,
                   published_slot=slot, published_table=table)

    response = client.get(url("me_home", anna))

    text = response.content.decode()
    assert "The schedule is published" in text
    assert f"{slot}</td>" in text
    assert "Table 2" in text
    assert "You can request meetings until" in text
    assert url("me_agenda", anna) in text


def test_accepting_a_request_by_the_page(client, anna, bo, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(event=anna.event, requester=bo, recipient=anna,
                             status=MeetingStatus.REQUESTED)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("me_answer", anna, meeting.pk),
                               {"answer": "accept", "message": "See you"})

    assert response.status_code == 302
    assert response["Location"] == url("me_home", anna)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.answer_message) == (MeetingStatus.ACCEPTED, "See you")
    assert mail.outbox[0].to == ["bo@example.dk"]
    page = client.get(url("me_home", anna))
    assert "You accepted the meeting with Bo Berg." in page.content.decode()


def test_declining_a_request_by_the_page(client, anna, bo):
    meeting = MeetingFactory(event=anna.event, requester=bo, recipient=anna,
                             status=MeetingStatus.REQUESTED)
    client.post(url("me_answer", anna, meeting.pk), {"answer": "decline"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DECLINED


def test_a_participant_cannot_answer_a_request_made_to_someone_else(client, event, anna, bo):
    cai = participant(event, "Cai", "Dahl", "Grøn Energi A/S")
    to_cai = MeetingFactory(event=event, requester=bo, recipient=cai,
                            status=MeetingStatus.REQUESTED)
    mine = MeetingFactory(event=event, requester=anna, recipient=bo,
                          status=MeetingStatus.REQUESTED)

    assert client.post(url("me_answer", anna, to_cai.pk),
                       {"answer": "accept"}).status_code == 404
    # nor their own request: only the recipient answers
    assert client.post(url("me_answer", anna, mine.pk), {"answer": "accept"}).status_code == 404
    assert client.post(url("me_cancel", cai, mine.pk)).status_code == 404
    assert set(Meeting.objects.values_list("status", flat=True)) == {MeetingStatus.REQUESTED}


def test_answers_and_cancellations_are_post_only(client, anna, bo):
    meeting = MeetingFactory(event=anna.event, requester=bo, recipient=anna,
                             status=MeetingStatus.REQUESTED)
    assert client.get(url("me_answer", anna, meeting.pk)).status_code == 405
    assert client.get(url("me_cancel", anna, meeting.pk)).status_code == 405


def test_cancelling_my_request(client, anna, bo, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(event=anna.event, requester=anna, recipient=bo,
                             status=MeetingStatus.REQUESTED)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("me_cancel", anna, meeting.pk), follow=True)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert [m.to for m in mail.outbox] == [["bo@example.dk"]]
    assert "The meeting with Bo Berg was cancelled; they were e-mailed." in (
        response.content.decode())


def test_an_answer_to_a_closed_request_shows_why(client, anna, bo):
    meeting = MeetingFactory(event=anna.event, requester=bo, recipient=anna,
                             status=MeetingStatus.CANCELLED)
    response = client.post(url("me_answer", anna, meeting.pk), {"answer": "accept"},
                           follow=True)
    assert "This request has already been answered: it is cancelled." in (
        response.content.decode())


# --- requesting ------------------------------------------------------------------------------


def test_requesting_a_meeting(client, anna, bo, django_capture_on_commit_callbacks):
    page = client.get(url("me_request", anna, bo.pk))
    assert page.status_code == 200
    assert "Welding robots for small series" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("me_request", anna, bo.pk),
                               {"message": "About welding", "priority": "3"})

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.requester, meeting.recipient, meeting.priority, meeting.message) == (
        anna, bo, 3, "About welding")
    assert mail.outbox[0].to == ["bo@example.dk"]


def test_an_impossible_request_shows_the_reasons_instead_of_the_form(client, event, anna):
    colleague = participant(event, "Carl", "Krog", anna.organisation)
    response = client.get(url("me_request", anna, colleague.pk))

    assert response.context["reasons"] == [
        "Carl Krog works at Dataværket A/S, as you do: colleagues cannot be booked against "
        "each other."]
    assert "Send the request" not in response.content.decode()
    posted = client.post(url("me_request", anna, colleague.pk), {"priority": "2"})
    assert posted.status_code == 400
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize("change", ["unlisted", "withdrawn", "other_event", "self"])
def test_who_cannot_be_opened_for_a_request(client, anna, bo, change):
    target = bo
    if change == "unlisted":
        bo.is_listed = False
        bo.save()
    elif change == "withdrawn":
        bo.withdrawn_at = timezone.now()
        bo.save()
    elif change == "other_event":
        target = ParticipantFactory()
    else:
        target = anna
    assert client.get(url("me_request", anna, target.pk)).status_code == 404


# --- the marketplace -------------------------------------------------------------------------


def test_the_marketplace_lists_the_others_with_a_button_or_reasons(client, event, anna, bo):
    colleague = participant(event, "Carl", "Krog", anna.organisation)
    participant(event, "Hidden", "Person", "Hemmelig ApS", is_listed=False)
    gone = participant(event, "Gone", "Away", "Borte ApS")
    gone.withdrawn_at = timezone.now()
    gone.save()

    response = client.get(url("me_marketplace", anna))

    cards = {c["participant"].person.full_name: c["obstacles"]
             for c in response.context["cards"]}
    assert cards == {
        "Bo Berg": [],
        "Carl Krog": ["Carl Krog works at Dataværket A/S, as you do: colleagues cannot be "
                      "booked against each other."],
    }
    text = response.content.decode()
    assert url("me_request", anna, bo.pk) in text
    assert url("me_request", anna, colleague.pk) not in text
    assert "Hidden Person" not in text
    assert "bo@example.dk" not in text  # no contact details before a meeting


def test_marketplace_search_and_type_filter(client, event, anna, bo):
    buyers = ParticipationTypeFactory(event=event, name="Buyer")
    cai = participant(event, "Cai", "Dahl", "Grøn Energi A/S", participation_type=buyers,
                      offers="Heat pumps")

    def names(**params):
        response = client.get(url("me_marketplace", anna), params)
        return [c["participant"].pk for c in response.context["cards"]]

    assert names(q="welding") == [bo.pk]
    assert names(q="heat pumps") == [cai.pk]
    assert names(type=buyers.pk) == [cai.pk]
    assert names(kind="company") == [bo.pk, cai.pk]
    assert names(kind="university") == []
    empty = client.get(url("me_marketplace", anna), {"q": "nothing like this"})
    assert "Nobody matches these filters." in empty.content.decode()


def test_a_closed_marketplace_says_so_once_and_offers_no_requests(client, event, anna, bo):
    event.requests_open = False
    event.save()

    response = client.get(url("me_marketplace", anna))

    assert response.context["cards"] == [{"participant": bo, "obstacles": []}]
    text = response.content.decode()
    assert text.count("Meeting requests are closed for this event.") == 1
    assert url("me_request", anna, bo.pk) not in text


def test_an_empty_marketplace_says_so(client, anna):
    response = client.get(url("me_marketplace", anna))
    assert "No other participants are in the marketplace yet." in response.content.decode()


# --- my entry and availability ---------------------------------------------------------------


def test_editing_my_entry_and_availability(client, event, anna):
    slots = list(event.slots.order_by("starts_at"))
    assert client.get(url("me_profile", anna)).status_code == 200

    response = client.post(url("me_profile", anna), {
        "headline": "Data for food", "offers": "Data platforms", "seeks": "Food producers",
        "unavailable": [slots[0].pk, slots[2].pk]})

    assert response.status_code == 302
    anna.refresh_from_db()
    assert (anna.headline, anna.offers, anna.seeks, anna.is_listed) == (
        "Data for food", "Data platforms", "Food producers", False)
    assert set(anna.unavailable.all()) == {slots[0], slots[2]}


def test_slots_of_another_event_cannot_be_chosen(client, anna):
    other_slot = event_with_slots(participants=0).slots.first()
    response = client.post(url("me_profile", anna), {
        "headline": "x", "is_listed": "on", "unavailable": [other_slot.pk]})
    assert "unavailable" in response.context["form"].errors
    assert anna.unavailable.count() == 0


# --- people you should meet ------------------------------------------------------------------


def company(event, first, last, name, offers, seeks=""):
    """A participant whose marketplace entry is prefilled from their organisation's profile
    (as participant_add does)."""
    organisation = OrganisationFactory(name=name, offers=offers, seeks=seeks)
    return participant(event, first, last, organisation, offers=offers, seeks=seeks)


@pytest.fixture
def food_event(event):
    """A food-data company and others whose profiles (own texts) differ in relevance."""
    me = company(event, "Mia", "Madsen", "Fødevaredata ApS",
                 "data platforms for food producers",
                 "computer vision for quality control in food production")
    vision = company(event, "Vic", "Vinter", "VisionLab ApS",
                     "computer vision and image recognition for quality control in food "
                     "production")
    robots = company(event, "Rut", "Rask", "Robotceller ApS",
                     "robots for packaging lines in food production")
    bakery = company(event, "Bent", "Bager", "Bageriet ApS", "bread and cakes")
    colleague = participant(event, "Kim", "Kollega", me.organisation,
                            offers="computer vision")
    asked = company(event, "Ask", "Asmussen", "Kvalitetskontrol A/S",
                    "quality control of food production")
    MeetingFactory(event=event, requester=me, recipient=asked, status=MeetingStatus.REQUESTED)
    outsider = OrganisationFactory(name="Outside Vision ApS",
                                   offers="computer vision for quality control in food")
    return {"me": me, "vision": vision, "robots": robots, "bakery": bakery,
            "colleague": colleague, "asked": asked, "outsider": outsider}


def test_people_to_meet_are_ranked_by_matchmaking_with_reasons(food_event):
    found = selectors_portal.people_to_meet(food_event["me"])

    assert [m.participant.person.full_name for m in found] == [
        "Vic Vinter", "Rut Rask", "Bent Bager"]
    assert {m.source for m in found} == {"matchmaking"}
    assert found[0].score > found[1].score > found[2].score > 0
    assert found[0].reasons[0].startswith("Shared topics: ")
    assert "computer vision" in found[0].reasons[0]
    assert "Same country as Fødevaredata ApS (DK)" in found[0].reasons
    assert "Shared topics: food production" in found[1].reasons
    assert "Shared topics" not in " ".join(found[2].reasons)


def test_people_to_meet_fall_back_to_my_seeks_against_their_offers(event, food_event):
    loner = participant(event, "Lone", "Solo", None,
                        seeks="computer vision for quality control")

    found = selectors_portal.people_to_meet(loner)

    assert {m.source for m in found} == {"text"}
    assert found[0].participant == food_event["vision"]
    assert found[0].reasons == [
        "What they offer matches what you look for: computer vision, quality control"]
    assert food_event["bakery"] not in [m.participant for m in found]


def test_the_marketplace_shows_people_to_meet_on_its_first_page(client, food_event):
    response = client.get(url("me_marketplace", food_event["me"]))

    assert [m.participant.person.full_name for m in response.context["suggestions"]] == [
        "Vic Vinter", "Rut Rask", "Bent Bager"]
    assert "People you should meet" in response.content.decode()
    assert [m.obstacles for m in response.context["suggestions"]] == [[], [], []]
    filtered = client.get(url("me_marketplace", food_event["me"]), {"q": "vision"})
    assert filtered.context["suggestions"] == []


def test_a_suggestion_that_cannot_be_requested_says_why(client, food_event):
    vision = food_event["vision"]
    vision.meeting_cap = 1
    vision.save()
    MeetingFactory(event=vision.event, requester=vision, status=MeetingStatus.ACCEPTED)

    response = client.get(url("me_marketplace", food_event["me"]))

    first = response.context["suggestions"][0]
    assert first.participant == vision
    assert first.obstacles == [
        "Vic Vinter's agenda is full: they already have 1 accepted meeting, as many as they "
        "can have."]


# --- my events -------------------------------------------------------------------------------


def test_my_events_lists_the_signed_in_persons_participations(client, anna):
    user = user_with_role(Role.MEMBER)
    user.person = anna.person
    user.save()
    client.force_login(user)

    response = client.get(reverse("brokerage:my_events"))

    assert [p.pk for p in response.context["participations"]] == [anna.pk]
    assert reverse("brokerage:my_events") in response.content.decode()  # in the menu
    assert url("me_home", anna) in response.content.decode()


def test_my_events_without_participations(member_client):
    response = member_client.get(reverse("brokerage:my_events"))
    assert response.context["participations"] == []
    assert "Your login is not linked to a person" in response.content.decode()
    member_client.user.person = PersonFactory()
    member_client.user.save()
    response = member_client.get(reverse("brokerage:my_events"))
    assert "You are not taking part in any B2B meeting event yet." in (
        response.content.decode())


# --- consent: visible in matchmaking ----------------------------------------------------------


def _withdraw_visibility(person):
    from klynge.privacy.choices import ConsentSource, Purpose
    from klynge.privacy.services import consent_withdraw

    consent_withdraw(person=person, purpose=Purpose.MATCHMAKING_VISIBILITY,
                     source=ConsentSource.STAFF)


def _give_visibility(person):
    from klynge.privacy.choices import ConsentSource, Purpose
    from klynge.privacy.services import consent_give

    consent_give(person=person, purpose=Purpose.MATCHMAKING_VISIBILITY,
                 source=ConsentSource.STAFF)


def test_who_withdrew_matchmaking_visibility_is_not_in_the_marketplace(client, event, anna, bo):
    carl = participant(event, "Carl", "Krog", "Krog ApS")
    _withdraw_visibility(bo.person)
    _give_visibility(carl.person)  # an explicit consent and none at all both show

    response = client.get(url("me_marketplace", anna))

    names = {c["participant"].person.full_name for c in response.context["cards"]}
    assert names == {"Carl Krog"}
    assert "Bo Berg" not in response.content.decode()
    # Nor by the request page's own address, nor through the service (e.g. the API).
    assert client.get(url("me_request", anna, bo.pk)).status_code == 404
    from klynge.brokerage.services import meetings as services

    assert services.booking_obstacles(requester=anna, recipient=bo) == [
        "Bo Berg is not shown in the marketplace and does not take meeting requests."]
    assert not Meeting.objects.filter(recipient=bo).exists()


def test_giving_visibility_again_brings_them_back(client, event, anna, bo):
    _withdraw_visibility(bo.person)
    _give_visibility(bo.person)

    response = client.get(url("me_marketplace", anna))

    assert {c["participant"].person.full_name for c in response.context["cards"]} == {
        "Bo Berg"}


def test_people_to_meet_leave_out_who_withdrew_visibility(food_event):
    _withdraw_visibility(food_event["vision"].person)

    found = selectors_portal.people_to_meet(food_event["me"])

    assert [m.participant.person.full_name for m in found] == ["Rut Rask", "Bent Bager"]
