"""The participant's agenda by personal link: page, .ics and PDF."""

import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from klynge.brokerage.models import Meeting, Slot, Table
from klynge.brokerage.services import scheduling
from tests.brokerage.factories_schedule import accepted, event_on

pytestmark = pytest.mark.django_db


def _event():
    """Anna meets Bent at 9:00 (Table 2) and Carl at 9:25 (Table 1); Bent and Carl also meet
    (accepted, not scheduled)."""
    event, p = event_on(slots=2, tables=2)
    first, second = Slot.objects.filter(event=event).order_by("starts_at")
    t1, t2 = Table.objects.filter(event=event).order_by("position")
    ab = accepted(event, p["Anna"], p["Bent"], slot=first, table=t2, message="A pilot?")
    ac = accepted(event, p["Anna"], p["Carl"], slot=second, table=t1)
    bc = accepted(event, p["Bent"], p["Carl"])
    return event, p, ab, ac, bc


def test_before_publication_the_agenda_lists_accepted_meetings(client):
    event, p, _ab, _ac, _bc = _event()
    html = client.get(reverse("brokerage:me_agenda", args=[p["Anna"].key])).content.decode()
    assert "The schedule is not published yet." in html
    assert "Bent Holm" in html and "carl@example.dk" in html
    assert "Table 2" not in html
    calendar = Calendar.from_ical(
        client.get(reverse("brokerage:me_agenda_ics", args=[p["Anna"].key])).content)
    assert calendar.walk("VEVENT") == []


def test_published_agenda_page_ics_and_pdf(client):
    event, p, ab, ac, _bc = _event()
    scheduling.schedule_publish(event=event, actor=None)
    key = p["Anna"].key
    html = client.get(reverse("brokerage:me_agenda", args=[key])).content.decode()
    assert html.index("Bent Holm") < html.index("Carl Holm")  # in time order
    assert "Table 2" in html and "bent@example.dk" in html and "Bent&#x27;s headline" in html
    # Bent's page lists his meeting with Carl as accepted, not yet scheduled
    bent = client.get(reverse("brokerage:me_agenda", args=[p["Bent"].key])).content.decode()
    assert "Accepted, not yet in the schedule" in bent
    # the .ics has one event per published meeting with stable UIDs
    response = client.get(reverse("brokerage:me_agenda_ics", args=[key]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"b2b-meeting-{ab.pk}@127.0.0.1",
                                               f"b2b-meeting-{ac.pk}@127.0.0.1"]
    first = events[0]
    assert str(first["summary"]) == "B2B meeting: Bent Holm (Bent ApS)"
    assert str(first["location"]) == "Aarhus Congress Centre, Table 2"
    assert first.decoded("dtstart") == ab.slot.starts_at
    assert first.decoded("dtend") == ab.slot.ends_at
    assert "E-mail: bent@example.dk" in str(first["description"])
    assert "A pilot?" in str(first["description"])
    # the PDF
    pdf = client.get(reverse("brokerage:me_agenda_pdf", args=[key]))
    [text] = [page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages]
    assert "Agenda of Anna Holm, Anna ApS" in text
    assert "Bent Holm" in text and "Carl Holm" in text and "Table 2" in text


def test_agenda_shows_the_published_place_not_a_later_move(client):
    event, p, ab, _ac, _bc = _event()
    scheduling.schedule_publish(event=event, actor=None)
    Meeting.objects.filter(pk=ab.pk).update(table=Table.objects.get(event=event,
                                                                    name="Table 1"))
    html = client.get(reverse("brokerage:me_agenda", args=[p["Bent"].key])).content.decode()
    assert "Table 2" in html and "Table 1" not in html


def test_unknown_key_and_withdrawn_participant_get_404(client):
    _event_, p, _ab, _ac, _bc = _event()
    for name in ("me_agenda", "me_agenda_ics", "me_agenda_pdf"):
        assert client.get(reverse(f"brokerage:{name}", args=[uuid.uuid4()])).status_code == 404
    p["Carl"].withdrawn_at = timezone.now()
    p["Carl"].save()
    assert client.get(reverse("brokerage:me_agenda", args=[p["Carl"].key])).status_code == 404
