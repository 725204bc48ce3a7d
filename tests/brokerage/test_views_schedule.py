"""The organiser's schedule page: runs, publishing, moving a meeting."""

import pytest
from django.core import mail
from django.urls import reverse

from klynge.brokerage.models import Meeting, ScheduleRun, Slot, Table
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
