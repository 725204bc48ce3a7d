"""The organiser's participant pages: the list (search, filters, counts, exports with the
personal links), adding registered people, one participant's page."""

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from klynge.activities.choices import RegistrationStatus
from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.models import Meeting, Participant
from tests.activities.factories import RegistrationFactory
from tests.brokerage.factories import (
    BrokerageEventFactory,
    MeetingFactory,
    ParticipantFactory,
    ParticipationTypeFactory,
    event_with_slots,
)
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def _event_with_people():
    event = event_with_slots(slots=2, tables=1, participants=0)
    buyer = ParticipationTypeFactory(event=event, name="Buyer")
    anna = ParticipantFactory(event=event, person=PersonFactory(first_name="Anna",
                                                                last_name="Berg"),
                              organisation=OrganisationFactory(name="Cold Chain ApS"),
                              headline="Sensors for cold chains", participation_type=buyer)
    bo = ParticipantFactory(event=event, person=PersonFactory(first_name="Bo", last_name="Dahl"),
                            organisation=OrganisationFactory(name="Agro Data A/S"),
                            seeks="Partners for drones in farming")
    carl = ParticipantFactory(event=event, person=PersonFactory(first_name="Carl",
                                                                last_name="Eriksen"))
    MeetingFactory(event=event, requester=anna, recipient=bo, slot=event.slots.first(),
                   table=event.tables.get())
    MeetingFactory(event=event, requester=anna, recipient=carl, status=MeetingStatus.REQUESTED)
    MeetingFactory(event=event, requester=carl, recipient=bo)
    return event, buyer, anna, bo, carl


def test_the_list_counts_requests_made_received_and_accepted(staff_client):
    event, _buyer, anna, bo, carl = _event_with_people()

    response = staff_client.get(reverse("brokerage:participant_list", args=[event.pk]))

    assert response.status_code == 200
    rows = {p.pk: (p.made_count, p.received_count, p.accepted_count, p.scheduled_count)
            for p in response.context["listing"].rows}
    assert rows == {anna.pk: (2, 0, 1, 1), bo.pk: (0, 2, 2, 1), carl.pk: (1, 1, 1, 0)}
    assert [p.pk for p in response.context["listing"].rows] == [anna.pk, bo.pk, carl.pk]


@pytest.mark.parametrize(("query", "expected"), [
    ("q=cold+sensors", ["Anna"]), ("q=drones", ["Bo"]), ("q=agro", ["Bo"]),
    ("meetings=no", []), ("ordering=-accepted,name", ["Bo", "Anna", "Carl"]),
    ("ordering=-made", ["Anna", "Carl", "Bo"]),
])
def test_the_list_searches_filters_and_sorts(staff_client, query, expected):
    event, *_people = _event_with_people()

    response = staff_client.get(reverse("brokerage:participant_list", args=[event.pk])
                                + "?" + query)

    assert [p.person.first_name for p in response.context["listing"].rows] == expected


def test_the_list_filters_by_type_and_withdrawn(staff_client):
    event, buyer, anna, bo, carl = _event_with_people()
    Participant.objects.filter(pk=carl.pk).update(withdrawn_at="2026-01-01T10:00Z")
    url = reverse("brokerage:participant_list", args=[event.pk])

    by_type = staff_client.get(url + f"?type={buyer.pk}")
    active = staff_client.get(url)
    withdrawn = staff_client.get(url + "?state=withdrawn")

    assert [p.pk for p in by_type.context["listing"].rows] == [anna.pk]
    assert [p.pk for p in active.context["listing"].rows] == [anna.pk, bo.pk]
    assert [p.pk for p in withdrawn.context["listing"].rows] == [carl.pk]


def test_the_export_holds_each_personal_link(staff_client, settings):
    settings.KLYNGE_BASE_URL = "https://klynge.example.dk"
    event, _buyer, anna, _bo, _carl = _event_with_people()
    url = reverse("brokerage:participant_list", args=[event.pk])

    as_csv = staff_client.get(url + "?format=csv&q=anna")
    as_xlsx = staff_client.get(url + "?format=xlsx")

    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    header, row = rows
    record = dict(zip(header, row, strict=True))
    assert (record["first_name"], record["organisation"], record["participation_type"],
            record["requests_made"], record["accepted"]) == (
        "Anna", "Cold Chain ApS", "Buyer", "2", "1")
    assert record["personal_link"] == f"https://klynge.example.dk/b2b/me/{anna.key}/"
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    values = list(sheet.values)
    assert len(values) == 4 and values[0][-1] == "personal_link"


def test_an_empty_list_says_how_to_add_participants(staff_client):
    event = BrokerageEventFactory()

    response = staff_client.get(reverse("brokerage:participant_list", args=[event.pk]))

    assert "No participants yet." in response.content.decode()


# --- adding ---------------------------------------------------------------------------------------


def test_the_add_page_counts_who_can_be_added_and_adds_them_all(staff_client,
                                                                 django_capture_on_commit_callbacks):
    event = BrokerageEventFactory()
    RegistrationFactory.create_batch(3, activity=event.activity)
    RegistrationFactory(activity=event.activity, status=RegistrationStatus.WAITLISTED)
    url = reverse("brokerage:participant_add", args=[event.pk])

    page = staff_client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"action": "all"}, follow=True)

    assert (page.context["to_add"], page.context["registered"], page.context["waitlisted"]) == (
        3, 3, 1)
    assert _messages(response) == [
        "3 participants were added; each gets an e-mail with their personal link."]
    assert event.participants.count() == 3 and len(mail.outbox) == 3


def test_one_registered_person_is_added_with_a_type(staff_client):
    event = BrokerageEventFactory()
    seller = ParticipationTypeFactory(event=event, name="Seller")
    registration = RegistrationFactory(activity=event.activity)
    url = reverse("brokerage:participant_add", args=[event.pk])

    response = staff_client.post(url, {"action": "one", "registration": registration.pk,
                                       "participation_type": seller.pk}, follow=True)

    participant = Participant.objects.get(event=event)
    assert (participant.person, participant.participation_type) == (registration.person, seller)
    assert _messages(response) == [
        f"{registration.person} was added and gets an e-mail with their personal link."]


def test_a_full_type_shows_its_message_on_the_form(staff_client):
    event = BrokerageEventFactory()
    seller = ParticipationTypeFactory(event=event, name="Seller", capacity=0)
    registration = RegistrationFactory(activity=event.activity)

    response = staff_client.post(reverse("brokerage:participant_add", args=[event.pk]), {
        "action": "one", "registration": registration.pk, "participation_type": seller.pk})

    assert response.status_code == 200
    assert response.context["form"].errors["participation_type"] == [
        "Seller is full: 0 of 0 places are taken."]
    assert not Participant.objects.exists()


def test_a_cancelled_registration_is_not_offered(staff_client):
    event = BrokerageEventFactory()
    cancelled = RegistrationFactory(activity=event.activity, status=RegistrationStatus.CANCELLED)

    response = staff_client.post(reverse("brokerage:participant_add", args=[event.pk]), {
        "action": "one", "registration": cancelled.pk})

    assert "registration" in response.context["form"].errors
    assert not Participant.objects.exists()


# --- one participant ------------------------------------------------------------------------------


def test_the_entry_cap_and_unavailable_slots_are_saved(staff_client):
    event, buyer, anna, bo, _carl = _event_with_people()
    first, second = event.slots.all()
    url = reverse("brokerage:participant_edit", args=[anna.pk])

    page = staff_client.get(url)
    response = staff_client.post(url, {
        "action": "save", "headline": "Cold-chain sensors", "offers": "Sensors",
        "seeks": "Retailers", "is_listed": "on", "participation_type": buyer.pk,
        "meeting_cap": 3, "unavailable": [first.pk]})

    assert page.status_code == 200 and anna.key.hex[:8] in page.content.decode().replace("-", "")
    assert response.status_code == 302
    anna.refresh_from_db()
    assert (anna.headline, anna.meeting_cap, list(anna.unavailable.all())) == (
        "Cold-chain sensors", 3, [first])
    unscheduled = Meeting.objects.get(requester=anna, recipient=bo)
    assert (unscheduled.slot, unscheduled.status) == (None, "accepted")


def test_a_bad_cap_shows_a_message(staff_client):
    event, _buyer, anna, _bo, _carl = _event_with_people()

    response = staff_client.post(reverse("brokerage:participant_edit", args=[anna.pk]), {
        "action": "save", "headline": "x", "meeting_cap": 0})

    assert response.status_code == 200
    assert response.context["form"].errors["meeting_cap"] == [
        "Ensure this value is greater than or equal to 1."]


def test_withdrawing_from_the_page_cancels_the_meetings_and_reinstating_restores(
        staff_client):
    event, _buyer, anna, _bo, _carl = _event_with_people()
    url = reverse("brokerage:participant_edit", args=[anna.pk])

    response = staff_client.post(url, {"action": "withdraw"}, follow=True)
    again = staff_client.post(url, {"action": "reinstate"}, follow=True)

    assert _messages(response) == [
        f"{anna.person} has withdrawn; 2 open meetings were cancelled."]
    assert set(Meeting.objects.filter(requester=anna).values_list("status", flat=True)) == {
        "cancelled"}
    assert _messages(again) == [f"{anna.person} takes part again."]
    assert Participant.objects.get(pk=anna.pk).withdrawn_at is None


def test_the_personal_link_is_emailed_again(staff_client, django_capture_on_commit_callbacks):
    participant = ParticipantFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("brokerage:participant_edit", args=[participant.pk]), {"action": "welcome"},
            follow=True)

    assert _messages(response) == [
        f"The personal link was e-mailed to {participant.person.email}."]
    assert [m.to for m in mail.outbox] == [[participant.person.email]]
    assert str(participant.key) in mail.outbox[0].body


def test_an_unknown_participant_is_404(staff_client):
    assert staff_client.get(reverse("brokerage:participant_edit", args=[999999])).status_code \
        == 404
