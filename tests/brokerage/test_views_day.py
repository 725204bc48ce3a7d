"""The event day pages: table plan (page, PDF, CSV, Excel), check-in, outcomes, statistics
and all agendas as one PDF; at scale the table plan shows one session and one page of tables
(the files stay complete) and check-in one slot at a time, in a number of queries that does
not grow with the event."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from klynge.brokerage import agenda_files
from klynge.brokerage import selectors_schedule as reads
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
    # a plain POST redirects back to the meeting's slot; a refusal is a message
    response = staff_client.post(url, {"attendance": "nonsense"}, follow=True)
    assert response.redirect_chain[-1][0] == (reverse("brokerage:checkin", args=[event.pk])
                                              + f"?slot={ab.slot_id}")
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


# --- at scale ---------------------------------------------------------------------------------


def test_checkin_shows_one_slot_at_a_time_with_the_open_counts(staff_client):
    # given Anna meets Bent in the first slot and Carl in the third (yesterday)
    event, _p, ab, ac = _day()
    first, second, third = Slot.objects.filter(event=event).order_by("starts_at")
    url = reverse("brokerage:checkin", args=[event.pk])
    # when the organiser opens check-in: the first slot with meetings to check in
    response = staff_client.get(url)
    assert response.context["group"]["slot"] == first
    assert response.context["meetings"] == [ab]
    assert [(g["slot"], g["meetings"], g["open"]) for g in response.context["slots"]] == [
        (first, 1, 1), (second, 0, 0), (third, 1, 1)]
    html = response.content.decode()
    assert "Carl Holm" not in html
    assert (f'href="?slot={first.pk}" title="Morning" aria-current="true">{first} '
            '<span class="badge warn" title="still to check in">1</span></a>') in html
    assert f'value="{url}?slot={first.pk}#meeting-{ab.pk}"' in html
    # once it is checked in, the next slot with open meetings comes first
    ab.attendance = Attendance.HELD
    ab.save()
    response = staff_client.get(url)
    assert response.context["meetings"] == [ac]
    assert (f'href="?slot={first.pk}" title="Morning">{first} <span class="badge ok">✓</span></a>'
            in response.content.decode())
    # an empty slot says so
    html = staff_client.get(url + f"?slot={second.pk}").content.decode()
    assert "No meetings in this slot." in html


def test_checkin_searches_within_the_slot_and_a_plain_post_returns_to_it(staff_client):
    event, _p, ab, ac = _day()
    third = ac.slot
    url = reverse("brokerage:checkin", args=[event.pk])
    response = staff_client.get(url + f"?slot={third.pk}&q=carl+aps")
    assert response.context["meetings"] == [ac]
    assert f'value="{url}?slot={third.pk}&amp;q=carl+aps#meeting-{ac.pk}"' in (
        response.content.decode())
    assert staff_client.get(url + f"?slot={third.pk}&q=table+2").context["meetings"] == [ac]
    html = staff_client.get(url + f"?slot={third.pk}&q=bent").content.decode()
    assert "No meeting in this slot matches “bent”." in html
    # a plain POST with the page's `next` comes back to the slot and search
    back = f"{url}?slot={third.pk}&q=carl"
    response = staff_client.post(reverse("brokerage:meeting_checkin", args=[ac.pk]),
                                 {"attendance": "held", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    ac.refresh_from_db()
    assert ac.attendance == Attendance.HELD
    # only those still to check in
    assert staff_client.get(url + f"?slot={third.pk}&open=1").context["meetings"] == []
    html = staff_client.get(url + f"?slot={third.pk}&open=1").content.decode()
    assert "Every meeting of this slot is checked in." in html
    assert staff_client.get(url + f"?slot={ab.slot_id}&open=1").context["meetings"] == [ab]


def test_checkin_defaults_to_the_slot_in_progress_on_the_day():
    event, _p, _ab, _ac = _day(days=0)
    groups = reads.checkin_slots(event)
    first, second, third = (g["slot"] for g in groups)
    during = first.starts_at + timedelta(minutes=5)
    between = first.ends_at + timedelta(minutes=1)
    assert reads.default_checkin_slot(groups, now=during)["slot"] == first
    assert reads.default_checkin_slot(groups, now=between)["slot"] == second
    # after the last slot, or on another day: the first slot with meetings to check in
    assert reads.default_checkin_slot(groups, now=third.ends_at)["slot"] == first
    assert reads.default_checkin_slot(groups, now=first.starts_at - timedelta(days=1))[
        "slot"] == first
    assert reads.default_checkin_slot([], now=during) is None


def test_table_plan_page_pages_tables_but_the_files_hold_every_table(staff_client,
                                                                     monkeypatch):
    # given one table a page
    monkeypatch.setattr(reads, "TABLES_PER_PAGE", 1)
    event, _p, ab, _ac = _day()
    url = reverse("brokerage:table_plan", args=[event.pk])
    html = staff_client.get(url).content.decode()
    assert "<th>Table 1</th></tr>" in html and "<th>Table 2</th>" not in html
    assert "Bent Holm" in html and "Carl Holm" not in html
    assert "Table 1 to Table 1 of 2 tables" in html
    assert "2 meetings" in html
    assert "the PDF and the exports hold every slot and table" in html
    html = staff_client.get(url + "?page=2").content.decode()
    assert "<th>Table 2</th></tr>" in html and "Carl Holm" in html and "Bent Holm" not in html
    ab.attendance = Attendance.HELD
    ab.save()
    rows = list(csv.reader(io.StringIO(
        staff_client.get(url + "?page=2&format=csv").content.decode("utf-8-sig"))))
    day = timezone.localtime(ab.slot.starts_at).date().isoformat()
    assert rows[1:] == [
        ["Morning", f"{day} 09:00:00", f"{day} 09:20:00", "Table 1", "Anna Holm", "Anna ApS",
         "Bent Holm", "Bent ApS", "Held"],
        ["Morning", f"{day} 09:50:00", f"{day} 10:10:00", "Table 2", "Anna Holm", "Anna ApS",
         "Carl Holm", "Carl ApS", "Not checked in"]]
    [text] = _pdf_text(staff_client.get(url + "?format=pdf").content)
    assert "Table 1" in text and "Table 2" in text and "Carl Holm" in text
    # more tables than fit across a page: one block of tables after the other
    monkeypatch.setattr(agenda_files, "PLAN_COLUMNS", 1)
    first, second = _pdf_text(staff_client.get(url + "?format=pdf").content)
    assert "Table 1" in first and "Bent Holm" in first and "Table 2" not in first
    assert "Table 2" in second and "Carl Holm" in second and "Bent Holm" not in second
    assert "Time" in first and "Time" in second


def _event_of(size: int):
    """`size` participants in pairs, each pair meeting in the first and second slot at its
    own table (yesterday), one meeting checked in."""
    names = tuple(f"D{i:02d}x{size}" for i in range(size))
    event, p = event_on(days=-1, slots=3, tables=size // 2, names=names)
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    tables = list(Table.objects.filter(event=event).order_by("position"))
    people = [p[name] for name in names]
    for i in range(0, size, 2):
        accepted(event, people[i], people[i + 1], slot=slots[0], table=tables[i // 2],
                 attendance=Attendance.HELD if i == 0 else Attendance.UNKNOWN)
        accepted(event, people[i + 1], people[(i + 2) % size], slot=slots[1],
                 table=tables[i // 2])
    return event


@pytest.mark.parametrize(("name", "suffix"), [
    ("checkin", ""), ("checkin", "?q=D0"), ("table_plan", ""), ("table_plan", "?format=csv"),
    ("table_plan", "?format=xlsx"), ("table_plan", "?format=pdf")])
def test_day_pages_queries_do_not_grow_with_the_event(staff_client, name, suffix):
    counted = []
    for size in (4, 12):
        event = _event_of(size)
        url = reverse(f"brokerage:{name}", args=[event.pk]) + suffix
        staff_client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        counted.append(len(queries))
    assert counted[0] == counted[1]


def test_checkin_pages_a_full_slot_by_table(staff_client, monkeypatch):
    # given two meetings in the first slot and one a page
    monkeypatch.setattr(reads, "CHECKIN_PER_PAGE", 1)
    event, p = event_on(days=-1, slots=2, tables=2, names=("Anna", "Bent", "Carl", "Dora"))
    first = Slot.objects.filter(event=event).order_by("starts_at").first()
    t1, t2 = Table.objects.filter(event=event).order_by("position")
    cd = accepted(event, p["Carl"], p["Dora"], slot=first, table=t2)
    ab = accepted(event, p["Anna"], p["Bent"], slot=first, table=t1)
    url = reverse("brokerage:checkin", args=[event.pk])
    response = staff_client.get(url)
    assert response.context["meetings"] == [ab]
    assert "Page 1 of 2" in response.content.decode()
    response = staff_client.get(url + "?page=2")
    assert response.context["meetings"] == [cd]
    # a plain POST from the second page comes back to it
    assert f'value="{url}?page=2&amp;slot={first.pk}#meeting-{cd.pk}"' in (
        response.content.decode())
