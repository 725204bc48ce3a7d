"""The organiser's meeting pages: list (search, filters, sort, export), arrange, detail,
cancel."""

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from klynge.brokerage.choices import Attendance, MeetingOrigin, MeetingStatus
from klynge.brokerage.models import Meeting
from tests.brokerage.factories import MeetingFactory, ParticipantFactory, event_with_slots
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def participant(event, first, last, organisation, **extra):
    return ParticipantFactory(
        event=event, organisation=OrganisationFactory(name=organisation),
        person=PersonFactory(first_name=first, last_name=last, language="en",
                             email=f"{first.lower()}@example.dk"), **extra)


@pytest.fixture
def event():
    return event_with_slots(slots=4, tables=2, participants=0)


@pytest.fixture
def people(event):
    return {
        "anna": participant(event, "Anna", "Holm", "Dataværket A/S"),
        "bo": participant(event, "Bo", "Berg", "Robotfabrikken ApS"),
        "cai": participant(event, "Cai", "Dahl", "Grøn Energi A/S"),
        "dea": participant(event, "Dea", "Eng", "Aarhus Universitet"),
    }


@pytest.fixture
def meetings(event, people):
    """Four meetings: accepted and scheduled (held), accepted unscheduled (organiser),
    requested, declined."""
    slot, table = event.slots.order_by("starts_at").first(), event.tables.first()
    return {
        "held": MeetingFactory(event=event, requester=people["anna"], recipient=people["bo"],
                               priority=3, slot=slot, table=table,
                               attendance=Attendance.HELD),
        "arranged": MeetingFactory(event=event, requester=people["cai"],
                                   recipient=people["dea"], priority=2,
                                   origin=MeetingOrigin.ORGANISER),
        "waiting": MeetingFactory(event=event, requester=people["bo"], recipient=people["cai"],
                                  priority=1, status=MeetingStatus.REQUESTED),
        "declined": MeetingFactory(event=event, requester=people["dea"],
                                   recipient=people["anna"], status=MeetingStatus.DECLINED),
    }


def listed(client, event, **params) -> list[int]:
    response = client.get(reverse("brokerage:meeting_list", args=[event.pk]), params)
    assert response.status_code == 200
    return [m.pk for m in response.context["listing"].rows]


def test_the_list_shows_every_meeting_with_counts(staff_client, event, meetings):
    response = staff_client.get(reverse("brokerage:meeting_list", args=[event.pk]))

    assert response.status_code == 200
    assert [m.pk for m in response.context["listing"].rows] == [
        meetings[k].pk for k in ("declined", "waiting", "arranged", "held")]
    assert response.context["counts"] == {"requested": 1, "accepted": 2, "declined": 1,
                                          "cancelled": 0}
    text = response.content.decode()
    assert "1 waiting for an answer · 2 accepted · 1 declined · 0 cancelled" in text
    assert "Robotfabrikken ApS" in text


def test_search_by_name_and_organisation(staff_client, event, meetings):
    assert listed(staff_client, event, q="robotfabrikken") == [meetings["waiting"].pk,
                                                              meetings["held"].pk]
    assert listed(staff_client, event, q="Dea Universitet") == [meetings["declined"].pk,
                                                               meetings["arranged"].pk]


@pytest.mark.parametrize(("params", "expected"), [
    ({"status": "accepted"}, ["arranged", "held"]),
    ({"status": "requested"}, ["waiting"]),
    ({"origin": "organiser"}, ["arranged"]),
    ({"priority": "3"}, ["held"]),
    ({"scheduled": "yes"}, ["held"]),
    ({"scheduled": "no"}, ["arranged"]),
    ({"attendance": "held"}, ["held"]),
    ({"status": "accepted", "ordering": "priority"}, ["arranged", "held"]),
    ({"ordering": "requester"}, ["waiting", "arranged", "declined", "held"]),  # by last name
])
def test_filters_and_sorting(staff_client, event, meetings, params, expected):
    assert listed(staff_client, event, **params) == [meetings[k].pk for k in expected]


def test_the_list_of_another_event_is_empty_and_says_so(staff_client, meetings):
    other = event_with_slots(participants=0)
    response = staff_client.get(reverse("brokerage:meeting_list", args=[other.pk]))
    assert response.context["listing"].total == 0
    assert "No meeting requests yet." in response.content.decode()


def test_csv_export_of_the_filtered_meetings(staff_client, event, meetings):
    response = staff_client.get(reverse("brokerage:meeting_list", args=[event.pk]),
                                {"status": "accepted", "format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:11] == ["id", "made", "requester", "requester_email",
                            "requester_organisation", "recipient", "recipient_email",
                            "recipient_organisation", "priority", "status", "origin"]
    assert [(r[2], r[5], r[8], r[9], r[10], r[15], r[19]) for r in rows[1:]] == [
        ("Cai Dahl", "Dea Eng", "Want to meet", "Accepted", "Arranged by the organiser", "",
         "Not checked in"),
        ("Anna Holm", "Bo Berg", "Must meet", "Accepted", "Requested by a participant",
         "Table 1", "Held"),
    ]


def test_xlsx_export(staff_client, event, meetings):
    response = staff_client.get(reverse("brokerage:meeting_list", args=[event.pk]),
                                {"q": "Anna", "format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert len(values) == 3
    assert [(row[2], row[5], row[9]) for row in values[1:]] == [
        ("Dea Eng", "Anna Holm", "Declined"), ("Anna Holm", "Bo Berg", "Accepted")]


# --- arranging -------------------------------------------------------------------------------


def test_the_organiser_arranges_a_meeting(staff_client, event, people,
                                          django_capture_on_commit_callbacks):
    url = reverse("brokerage:meeting_create", args=[event.pk])
    assert staff_client.get(url, {"requester": people["anna"].pk}).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {
            "requester": people["anna"].pk, "recipient": people["dea"].pk, "priority": 3,
            "message": "Research meets data."})

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("brokerage:meeting_detail", args=[meeting.pk])
    assert (meeting.status, meeting.origin, meeting.created_by) == (
        MeetingStatus.ACCEPTED, MeetingOrigin.ORGANISER, staff_client.user)
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.dk", "dea@example.dk"]


def test_a_refused_arrangement_shows_the_reasons_in_words(staff_client, event, people):
    colleague = ParticipantFactory(
        event=event, organisation=people["anna"].organisation,
        person=PersonFactory(first_name="Carl", last_name="Krog"))
    response = staff_client.post(reverse("brokerage:meeting_create", args=[event.pk]), {
        "requester": people["anna"].pk, "recipient": colleague.pk, "priority": 2})

    assert response.status_code == 400
    assert response.context["reasons"] == [
        "Anna Holm and Carl Krog both work at Dataværket A/S: colleagues cannot be booked "
        "against each other."]
    assert "This meeting cannot be arranged:" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_the_same_participant_twice_is_a_form_error(staff_client, event, people):
    response = staff_client.post(reverse("brokerage:meeting_create", args=[event.pk]), {
        "requester": people["anna"].pk, "recipient": people["anna"].pk, "priority": 2})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "recipient": ["Choose someone else: a meeting needs two participants."]}
    assert Meeting.objects.count() == 0


def test_participants_of_another_event_cannot_be_chosen(staff_client, event, people):
    stranger = ParticipantFactory()
    response = staff_client.post(reverse("brokerage:meeting_create", args=[event.pk]), {
        "requester": people["anna"].pk, "recipient": stranger.pk, "priority": 2})

    assert "recipient" in response.context["form"].errors
    assert Meeting.objects.count() == 0


# --- one meeting -----------------------------------------------------------------------------


def test_the_detail_shows_both_sides_place_and_history(staff_client, meetings):
    meeting = meetings["held"]
    response = staff_client.get(reverse("brokerage:meeting_detail", args=[meeting.pk]))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Anna Holm ↔ Bo Berg" in text
    assert "Let us talk about a pilot." in text
    assert "Table 1" in text
    assert "Change history" in text
    assert "brokerage/_meeting_schedule_panel.html" in [t.name for t in response.templates]


def test_an_unknown_meeting_is_404(staff_client):
    assert staff_client.get(reverse("brokerage:meeting_detail", args=[999])).status_code == 404


def test_the_organiser_cancels_a_meeting(staff_client, meetings,
                                         django_capture_on_commit_callbacks):
    meeting = meetings["held"]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("brokerage:meeting_cancel", args=[meeting.pk]),
                                     {"reason": "Double booked"})

    meeting.refresh_from_db()
    assert response.status_code == 302
    assert (meeting.status, meeting.slot) == (MeetingStatus.CANCELLED, None)
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.dk", "bo@example.dk"]
    again = staff_client.post(reverse("brokerage:meeting_cancel", args=[meeting.pk]),
                              follow=True)
    assert "This meeting cannot be cancelled: it is cancelled." in again.content.decode()


def test_members_are_refused(member_client, meetings):
    meeting = meetings["held"]
    assert member_client.get(
        reverse("brokerage:meeting_detail", args=[meeting.pk])).status_code == 403
    assert member_client.post(
        reverse("brokerage:meeting_cancel", args=[meeting.pk])).status_code == 403
