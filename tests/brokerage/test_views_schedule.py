"""The organiser's schedule page: runs, publishing, moving a meeting; at scale one session
and one page of tables at a time, the participants' days and the unscheduled meetings paged,
in a number of queries that does not grow with the event."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klynge.brokerage import selectors_schedule as reads
from klynge.brokerage.models import Meeting, ScheduleRun, Slot, Table
from klynge.brokerage.services import scheduling
from tests.brokerage.factories import SessionFactory, SlotFactory
from tests.brokerage.factories_schedule import accepted, event_on

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_worker(settings):
    settings.KLYNGE_SCHEDULER_WORKERS = 1


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_schedule_page_shows_an_empty_state_before_any_request(staff_client):
    event, _p = event_on()
    response = staff_client.get(reverse("brokerage:schedule", args=[event.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "No accepted meetings yet" in html
    assert "The scheduler has not run yet." in html


def test_run_publish_and_page_show_the_schedule(staff_client, django_capture_on_commit_callbacks):
    # given two accepted meetings
    event, p = event_on(slots=2, tables=2)
    accepted(event, p["Anna"], p["Bent"])
    accepted(event, p["Bent"], p["Carl"])
    url = reverse("brokerage:schedule", args=[event.pk])
    # when the organiser optimises exactly
    response = staff_client.post(reverse("brokerage:schedule_run", args=[event.pk]),
                                 {"mode": "exact", "time_limit": "5"}, follow=True)
    # then the run is reported against its bound
    assert _messages(response) == [
        "Scheduled 2 of at most 2 meetings (2 accepted), 0 breaks, in "
        f"{ScheduleRun.objects.get().seconds:.1f} s."]
    html = response.content.decode()
    assert "2 of at most 2" in html
    assert "Publish the schedule? 3 participants will be e-mailed their agenda." in html
    assert "Every accepted meeting has a slot." in html
    # the per-participant view lists each day
    people = staff_client.get(url + "?view=people").content.decode()
    assert "Anna Holm" in people and "Table 1" in people
    # when publishing
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("brokerage:schedule_publish", args=[event.pk]),
                                     follow=True)
    assert _messages(response) == [
        "The schedule is published; 3 participants are e-mailed their agenda."]
    assert len(mail.outbox) == 3


def test_run_error_is_shown_as_a_message(staff_client):
    event, _p = event_on(tables=0)
    response = staff_client.post(reverse("brokerage:schedule_run", args=[event.pk]),
                                 {"mode": "optimise"}, follow=True)
    assert _messages(response) == [
        "The event has no tables yet: set the number of tables before scheduling."]
    assert ScheduleRun.objects.count() == 0


def test_move_view_moves_and_reports_refusals(staff_client):
    event, p = event_on(slots=2, tables=1)
    first, second = Slot.objects.filter(event=event).order_by("starts_at")
    table = Table.objects.get(event=event)
    ab = accepted(event, p["Anna"], p["Bent"], slot=first, table=table)
    bc = accepted(event, p["Bent"], p["Carl"])
    url = reverse("brokerage:meeting_move", args=[bc.pk])
    schedule = reverse("brokerage:schedule", args=[event.pk])
    response = staff_client.post(url, {"slot": first.pk, "table": "", "next": schedule},
                                 follow=True)
    assert response.redirect_chain[-1][0] == schedule
    [message] = _messages(response)
    assert message.startswith("Bent Holm already has a meeting at")
    response = staff_client.post(url, {"slot": second.pk, "table": table.pk, "locked": "on",
                                       "next": schedule}, follow=True)
    assert _messages(response) == ["The meeting was moved."]
    bc.refresh_from_db()
    assert (bc.slot, bc.table, bc.locked) == (second, table, True)
    assert Meeting.objects.get(pk=ab.pk).slot == first


def test_schedule_pages_are_for_the_cluster_team(member_client):
    event, _p = event_on()
    assert member_client.get(reverse("brokerage:schedule", args=[event.pk])).status_code == 403


def test_meeting_page_shows_the_place_form_and_check_in(staff_client):
    event, p = event_on(days=-1, slots=3, tables=2)
    slot = Slot.objects.filter(event=event).order_by("starts_at")[1]
    meeting = accepted(event, p["Anna"], p["Bent"], slot=slot,
                       table=Table.objects.get(event=event, name="Table 2"), locked=True)
    html = staff_client.get(reverse("brokerage:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Place in the schedule" in html
    assert f'<option value="{slot.pk}" selected>' in html
    assert reverse("brokerage:meeting_move", args=[meeting.pk]) in html
    assert reverse("brokerage:meeting_checkin", args=[meeting.pk]) in html
    assert "locked" in html


# --- at scale: one session and one page of tables at a time, a fixed number of queries -------


def _two_sessions(tables: int = 3):
    """Morning (2 slots) and Afternoon (1 slot) with `tables` tables: Anna meets Bent in the
    morning at Table 1, Carl meets Dora in the morning at the last table, Anna meets Dora in
    the afternoon at Table 1."""
    event, p = event_on(slots=2, tables=tables, names=("Anna", "Bent", "Carl", "Dora"))
    morning = list(Slot.objects.filter(event=event).order_by("starts_at"))
    start = morning[-1].ends_at + timedelta(hours=3)
    afternoon = SessionFactory(event=event, name="Afternoon", starts_at=start,
                               ends_at=start + timedelta(minutes=20))
    late = SlotFactory(event=event, session=afternoon, starts_at=start,
                       ends_at=start + timedelta(minutes=20))
    tables_ = list(Table.objects.filter(event=event).order_by("position"))
    accepted(event, p["Anna"], p["Bent"], slot=morning[0], table=tables_[0])
    accepted(event, p["Carl"], p["Dora"], slot=morning[1], table=tables_[-1])
    accepted(event, p["Anna"], p["Dora"], slot=late, table=tables_[0])
    return event, p, afternoon


def _grid(html: str) -> str:
    return html[html.index('id="grid-heading"'):]


def test_small_schedule_grid_shows_every_session_and_table_on_one_page(staff_client):
    event, _p, _afternoon = _two_sessions()
    html = _grid(staff_client.get(reverse("brokerage:schedule", args=[event.pk]))
                 .content.decode())
    assert [name for name in ("Anna Holm<br>Bent Holm", "Carl Holm<br>Dora Holm",
                              "Anna Holm<br>Dora Holm") if name in html] == [
        "Anna Holm<br>Bent Holm", "Carl Holm<br>Dora Holm", "Anna Holm<br>Dora Holm"]
    assert "Morning <span class=\"muted\">(2 meetings)</span>" in html
    assert "Afternoon <span class=\"muted\">(1 meeting)</span>" in html
    assert 'aria-current="true">All sessions</a>' in html
    assert "Pages of tables" not in html


def test_large_schedule_grid_pages_tables_and_shows_one_session(staff_client, monkeypatch):
    # given more tables than fit on a page (2 a page here)
    monkeypatch.setattr(reads, "TABLES_PER_PAGE", 2)
    event, _p, afternoon = _two_sessions(tables=3)
    url = reverse("brokerage:schedule", args=[event.pk])
    # when the organiser opens the grid: the first session, tables 1 and 2
    html = _grid(staff_client.get(url).content.decode())
    assert "Anna Holm<br>Bent Holm" in html
    assert "Carl Holm<br>Dora Holm" not in html  # at Table 3, on the next page
    assert "Anna Holm<br>Dora Holm" not in html  # in the afternoon
    assert "<th>Table 1</th><th>Table 2</th></tr>" in html
    assert "Table 1 to Table 2 of 3 tables" in html
    # the next page of tables
    html = _grid(staff_client.get(url + "?page=2").content.decode())
    assert "<th>Table 3</th></tr>" in html and "Carl Holm<br>Dora Holm" in html
    assert "Anna Holm<br>Bent Holm" not in html
    # another session
    html = _grid(staff_client.get(url + f"?session={afternoon.pk}").content.decode())
    assert "Anna Holm<br>Dora Holm" in html
    assert "Anna Holm<br>Bent Holm" not in html
    assert f'href="?session={afternoon.pk}" aria-current="true">Afternoon' in html


def test_per_participant_view_searches_and_pages(staff_client, monkeypatch):
    monkeypatch.setattr(reads, "PEOPLE_PER_PAGE", 2)
    event, _p, _afternoon = _two_sessions()
    url = reverse("brokerage:schedule", args=[event.pk]) + "?view=people"
    response = staff_client.get(url)
    assert [row["participant"].person.first_name for row in response.context["people"]] == [
        "Anna", "Bent"]
    assert [(row["meetings"], row["breaks"]) for row in response.context["people"]] == [
        (2, 1), (1, 0)]
    assert "4 results" in response.content.decode()
    response = staff_client.get(url + "&page=2")
    assert [row["participant"].person.first_name for row in response.context["people"]] == [
        "Carl", "Dora"]
    response = staff_client.get(url + "&q=dora+aps")
    assert [row["participant"].person.first_name for row in response.context["people"]] == [
        "Dora"]
    [cells] = [row["cells"] for row in response.context["people"]]
    assert [(c["kind"], c["other"].person.first_name if "other" in c else None)
            for c in cells] == [("free", None), ("meeting", "Carl"), ("meeting", "Anna")]
    html = staff_client.get(url + "&q=nobody").content.decode()
    assert "No participant matches “nobody”." in html


def test_unscheduled_meetings_are_paged_most_important_first(staff_client, monkeypatch):
    monkeypatch.setattr(reads, "WAITING_PER_PAGE", 1)
    event, p = event_on(slots=1, tables=1)
    first = accepted(event, p["Anna"], p["Bent"], priority=1)
    second = accepted(event, p["Bent"], p["Carl"], priority=3)
    url = reverse("brokerage:schedule", args=[event.pk])
    response = staff_client.get(url)
    assert [row["meeting"] for row in response.context["unscheduled"]] == [second]
    html = response.content.decode()
    assert "Accepted but not scheduled <span class=\"muted\">(2)</span>" in html
    assert "Page 1 of 2" in html and 'href="?waiting=2"' in html
    response = staff_client.get(url + "?waiting=2")
    assert [(row["meeting"], row["reasons"]) for row in response.context["unscheduled"]] == [
        (first, ["a slot is free for both: run the scheduler or place it by hand"])]


def _event_of(size: int):
    """`size` participants in pairs: each pair meets in the first slot (a table each), the
    next pairs' second people meet unscheduled; everyone is unavailable in the last slot."""
    names = tuple(f"P{i:02d}x{size}" for i in range(size))
    event, p = event_on(slots=3, tables=size // 2, names=names)
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    tables = list(Table.objects.filter(event=event).order_by("position"))
    people = [p[name] for name in names]
    for i in range(0, size, 2):
        accepted(event, people[i], people[i + 1], slot=slots[0], table=tables[i // 2])
        accepted(event, people[i + 1], people[(i + 2) % size])
    for person in people:
        person.unavailable.add(slots[2])
    return event


@pytest.mark.parametrize("suffix", ["", "?view=people", "?view=people&q=P0"])
def test_schedule_page_queries_do_not_grow_with_the_event(staff_client, suffix):
    counted = []
    for size in (4, 12):
        event = _event_of(size)
        url = reverse("brokerage:schedule", args=[event.pk]) + suffix
        staff_client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        counted.append(len(queries))
    assert counted[0] == counted[1]


def test_counts_and_recipients_follow_the_publication_rules(staff_client):
    # given four scheduled meetings, published
    event, p = event_on(slots=3, tables=2, names=("Anna", "Bent", "Carl", "Dora", "Erik"))
    first, second, third = Slot.objects.filter(event=event).order_by("starts_at")
    t1, t2 = Table.objects.filter(event=event).order_by("position")
    ab = accepted(event, p["Anna"], p["Bent"], slot=first, table=t1)
    cd = accepted(event, p["Carl"], p["Dora"], slot=first, table=t2)
    bc = accepted(event, p["Bent"], p["Carl"], slot=second, table=t1)
    de = accepted(event, p["Dora"], p["Erik"], slot=third, table=t2)
    assert reads.publication_recipient_count(event) == 5
    assert reads.publication_recipient_count(event) == len(
        scheduling.publication_recipients(event))
    scheduling.schedule_publish(event=event, actor=None)
    event.refresh_from_db()
    assert reads.publication_recipient_count(event) == 0
    assert reads.counts(event)["changed"] == 0
    # when Anna–Bent moves table, Carl–Dora is taken out, Bent–Carl stays, Dora–Erik is
    # cancelled and a new meeting Anna–Erik is scheduled
    Meeting.objects.filter(pk=ab.pk).update(table=t2)
    Meeting.objects.filter(pk=cd.pk).update(slot=None, table=None)
    Meeting.objects.filter(pk=de.pk).update(status="cancelled")
    accepted(event, p["Anna"], p["Erik"], slot=second, table=t2)
    # then
    assert reads.publication_recipient_count(event) == len(
        scheduling.publication_recipients(event)) == 5
    figures = reads.counts(event)
    assert {k: figures[k] for k in ("accepted", "scheduled", "published", "changed")} == {
        "accepted": 4, "scheduled": 3, "published": 3, "changed": 3}
    Meeting.objects.filter(pk=de.pk).update(status="accepted")
    assert reads.counts(event)["changed"] == 3  # back where it was published
    assert list(Meeting.objects.filter(slot=second, table=t1).values_list("pk", flat=True)) == [
        bc.pk]
    html = staff_client.get(reverse("brokerage:schedule", args=[event.pk])).content.decode()
    assert "3 meetings changed since" in html
