"""The event day pages: table plan (page, PDF, CSV, Excel), check-in, outcomes, statistics
and all agendas as one PDF."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from klynge.brokerage.choices import Attendance, MeetingStatus
from klynge.brokerage.models import Slot, Table
from klynge.brokerage.selectors_statistics import by_type, event_statistics
from klynge.brokerage.services import scheduling
from klynge.evaluations.hooks import activity_facts
from klynge.matchmaking.models import Introduction
from tests.brokerage.factories import MeetingFactory, ParticipationTypeFactory
from tests.brokerage.factories_schedule import accepted, event_on

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _day(days: int = -1):
    """Anna meets Bent at 9:00 (Table 1) and Carl at 9:50 (Table 2); 3 slots."""
    event, p = event_on(days=days, slots=3, tables=2)
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    t1, t2 = Table.objects.filter(event=event).order_by("position")
    ab = accepted(event, p["Anna"], p["Bent"], slot=slots[0], table=t1)
    ac = accepted(event, p["Anna"], p["Carl"], slot=slots[2], table=t2)
    return event, p, ab, ac


def test_table_plan_page_pdf_and_exports(staff_client):
    event, _p, _ab, _ac = _day()
    url = reverse("brokerage:table_plan", args=[event.pk])
    html = staff_client.get(url).content.decode()
    assert "Anna Holm" in html and "Bent Holm" in html and "Table 2" in html
    assert "2 meetings" in html
    pdf = staff_client.get(url + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    [text] = _pdf_text(pdf.content)
    assert "Table plan: Digital Growth B2B" in text
    assert "Table 1" in text and "Table 2" in text
    assert "Anna Holm" in text and "Bent Holm" in text and "Carl Holm" in text
    rows = list(csv.reader(io.StringIO(
        staff_client.get(url + "?format=csv").content.decode("utf-8-sig"))))
    assert rows[0] == ["session", "starts", "ends", "table", "requester",
                       "requester_organisation", "recipient", "recipient_organisation",
                       "attendance"]
    assert [r[3:8] for r in rows[1:]] == [
        ["Table 1", "Anna Holm", "Anna ApS", "Bent Holm", "Bent ApS"],
        ["Table 2", "Anna Holm", "Anna ApS", "Carl Holm", "Carl ApS"]]
    sheet = load_workbook(io.BytesIO(staff_client.get(url + "?format=xlsx").content)).active
    assert [c.value for c in sheet[2]][3:6] == ["Table 1", "Anna Holm", "Anna ApS"]
    assert sheet.max_row == 3


def test_checkin_page_and_a_tap_mark_the_meeting_held(staff_client):
    event, p, ab, _ac = _day()
    page = staff_client.get(reverse("brokerage:checkin", args=[event.pk])).content.decode()
    assert "Anna Holm" in page and "Bent Holm" in page and "Bent absent" in page
    url = reverse("brokerage:meeting_checkin", args=[ab.pk])
    # an htmx tap gets the row back
    row = staff_client.post(url, {"attendance": "held"}, HTTP_HX_REQUEST="true")
    assert row.status_code == 200
    assert "Record an outcome" in row.content.decode()
    ab.refresh_from_db()
    assert ab.attendance == Attendance.HELD
    p["Anna"].registration.refresh_from_db()
    assert p["Anna"].registration.attended is True
    # a plain POST redirects back to the list; a refusal is a message
    response = staff_client.post(url, {"attendance": "nonsense"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("brokerage:checkin", args=[event.pk])
    assert [str(m) for m in response.context["messages"]] == [
        "Choose whether the meeting was held."]


def test_checkin_before_the_day_is_refused_in_the_row(staff_client):
    _event, _p, ab, _ac = _day(days=2)
    row = staff_client.post(reverse("brokerage:meeting_checkin", args=[ab.pk]),
                            {"attendance": "held"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Meetings can be checked in from the day they are held" in row


def test_outcome_page_records_an_outcome(staff_client):
    _event, _p, ab, _ac = _day()
    ab.attendance = Attendance.HELD
    ab.save()
    url = reverse("brokerage:meeting_outcome", args=[ab.pk])
    assert "KPI 5 counts" in staff_client.get(url).content.decode()
    today = timezone.localdate().isoformat()
    response = staff_client.post(url, {"kind": "new_company", "on": today, "note": "Spin-out"})
    assert response.status_code == 302
    introduction = Introduction.objects.get()
    assert [(o.kind, o.description) for o in introduction.outcomes.all()] == [
        ("new_company", "Spin-out")]
    # a date before the meeting is shown on the field
    response = staff_client.post(url, {"kind": "met", "on": "2000-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["on"][0].startswith("2000-01-01 is before the meeting")


def test_statistics_figures_page_and_export(staff_client):
    # given Anna and Bent of type Buyer; Eve withdrew
    event, p = event_on(days=-1, slots=3, tables=2,
                        names=("Anna", "Bent", "Carl", "Dora", "Eve"))
    buyer = ParticipationTypeFactory(event=event, name="Buyer")
    for name in ("Anna", "Bent"):
        p[name].participation_type = buyer
        p[name].save()
    p["Eve"].withdrawn_at = timezone.now()
    p["Eve"].save()
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    table = Table.objects.filter(event=event).first()
    accepted(event, p["Anna"], p["Bent"], slot=slots[0], table=table,
             attendance=Attendance.HELD)
    accepted(event, p["Anna"], p["Carl"], slot=slots[2], table=table,
             attendance=Attendance.REQUESTER_ABSENT)
    accepted(event, p["Bent"], p["Dora"])
    for a, b, status in (("Bent", "Carl", MeetingStatus.REQUESTED),
                         ("Carl", "Dora", MeetingStatus.DECLINED),
                         ("Anna", "Dora", MeetingStatus.CANCELLED)):
        MeetingFactory(event=event, requester=p[a], recipient=p[b], status=status)
    # when
    s = event_statistics(event)
    # then
    assert {k: s[k] for k in (
        "participants", "withdrawn", "requested", "pending", "accepted", "declined",
        "cancelled", "scheduled", "held", "no_shows", "not_checked_in", "meetings_min",
        "meetings_avg", "meetings_max", "without_meeting", "breaks")} == {
        "participants": 4, "withdrawn": 1, "requested": 6, "pending": 1, "accepted": 3,
        "declined": 1, "cancelled": 1, "scheduled": 2, "held": 1, "no_shows": 1,
        "not_checked_in": 0, "meetings_min": 0, "meetings_avg": 1.0, "meetings_max": 2,
        "without_meeting": 1, "breaks": 1}
    assert by_type(event) == [
        {"type": "Buyer", "participants": 2, "requested": 6, "accepted": 4, "scheduled": 3,
         "held": 2, "no_shows": 1},
        {"type": "No type", "participants": 2, "requested": 6, "accepted": 2, "scheduled": 1,
         "held": 0, "no_shows": 1}]
    url = reverse("brokerage:statistics", args=[event.pk])
    html = staff_client.get(url).content.decode()
    assert "min 0 · average 1.0 · max 2" in html
    rows = list(csv.reader(io.StringIO(
        staff_client.get(url + "?format=csv").content.decode("utf-8-sig"))))
    assert rows == [
        ["type", "participants", "requested", "accepted", "scheduled", "held", "no_shows"],
        ["Buyer", "2", "6", "4", "3", "2", "1"],
        ["No type", "2", "6", "2", "1", "0", "1"],
        ["All participants", "4", "6", "3", "2", "1", "1"]]
    # and the activity's evaluation page shows the figures
    [block] = activity_facts(event.activity)
    assert block["title"] == "B2B meetings"
    assert ("Held", 1) in [(str(label), value) for label, value in block["facts"]]
    page = staff_client.get(reverse("evaluations:activity_evaluation",
                                    args=[event.activity.pk])).content.decode()
    assert "B2B meetings" in page and "Meetings requested" in page


def test_agendas_pdf_has_one_page_per_participant_with_meetings(staff_client, settings):
    settings.KLYNGE_SCHEDULER_WORKERS = 1
    event, p, _ab, _ac = _day()
    scheduling.schedule_publish(event=event, actor=None)
    response = staff_client.get(reverse("brokerage:agendas_pdf", args=[event.pk]))
    assert response["Content-Type"] == "application/pdf"
    pages = _pdf_text(response.content)
    assert len(pages) == 3  # Anna, Bent, Carl (ordered by name)
    assert "Agenda of Anna Holm, Anna ApS" in pages[0]
    assert "Bent Holm" in pages[0] and "Carl Holm" in pages[0] and "Table 2" in pages[0]
    assert "Agenda of Bent Holm, Bent ApS" in pages[1]
