"""The organiser's event pages: list, set-up, dashboard, settings, sessions, tables, types,
and the panel on the activity's page."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.models import BrokerageEvent, ParticipationType, ScheduleRun, Slot
from klynge.brokerage.services import events as services
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.brokerage.factories import (
    BrokerageActivityFactory,
    BrokerageEventFactory,
    MeetingFactory,
    ParticipantFactory,
    ParticipationTypeFactory,
    event_with_slots,
)

pytestmark = pytest.mark.django_db


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _messages(response):
    return [str(m) for m in response.context["messages"]]


# --- the list -----------------------------------------------------------------------------------


def test_the_list_shows_upcoming_events_first_with_their_figures(staff_client):
    past = BrokerageEventFactory(activity__title="Last year's B2B",
                                 activity__starts_at=timezone.now() - timedelta(days=300))
    later = BrokerageEventFactory(activity__title="Autumn B2B")
    sooner = event_with_slots(slots=2, tables=1, participants=3)
    sooner.activity.title = "Spring B2B"
    sooner.activity.starts_at -= timedelta(days=10)
    sooner.activity.ends_at -= timedelta(days=10)
    sooner.activity.save()
    a, b, c = sooner.participants.all()
    MeetingFactory(event=sooner, requester=a, recipient=b, slot=sooner.slots.first(),
                   table=sooner.tables.get())
    MeetingFactory(event=sooner, requester=a, recipient=c)
    MeetingFactory(event=sooner, requester=b, recipient=c, status=MeetingStatus.REQUESTED)

    response = staff_client.get(reverse("brokerage:event_list") + "?hub=")

    assert response.status_code == 200
    rows = list(response.context["listing"].rows)
    assert [e.pk for e in rows] == [sooner.pk, later.pk, past.pk]
    first = rows[0]
    assert (first.participant_count, first.request_count, first.accepted_count,
            first.scheduled_count) == (3, 3, 2, 1)
    assert "Spring B2B" in response.content.decode()


def test_the_list_searches_and_filters_by_time(staff_client):
    BrokerageEventFactory(activity__title="Food tech B2B")
    BrokerageEventFactory(activity__title="Energy B2B",
                          activity__starts_at=timezone.now() - timedelta(days=30))

    found = staff_client.get(reverse("brokerage:event_list") + "?hub=&q=food")
    past = staff_client.get(reverse("brokerage:event_list") + "?hub=&when=past")
    none = staff_client.get(reverse("brokerage:event_list") + "?hub=&q=nothing")

    assert [e.activity.title for e in found.context["listing"].rows] == ["Food tech B2B"]
    assert [e.activity.title for e in past.context["listing"].rows] == ["Energy B2B"]
    assert "No B2B meeting events match these filters." in none.content.decode()


def test_the_empty_list_explains_how_to_set_one_up(staff_client):
    activity = BrokerageActivityFactory(title="Matchmaking day")

    response = staff_client.get(reverse("brokerage:event_list"))

    content = response.content.decode()
    assert "No B2B meetings have been set up yet." in content
    assert f"{reverse('brokerage:event_create')}?activity={activity.pk}" in content


def test_the_list_exports_csv_and_xlsx(staff_client):
    event = event_with_slots(slots=1, tables=1, participants=2)

    as_csv = staff_client.get(reverse("brokerage:event_list") + "?hub=&format=csv")
    as_xlsx = staff_client.get(reverse("brokerage:event_list") + "?hub=&format=xlsx")

    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["id", "activity", "starts", "ends"]
    assert rows[1][0] == str(event.pk) and rows[1][1] == event.activity.title
    assert rows[1][9] == "2"
    assert rows[1][-1] == f"http://testserver/b2b/{event.pk}/"
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    values = list(sheet.values)
    assert values[1][0] == event.pk and values[1][9] == 2


def test_members_cannot_see_the_organiser_pages(member_client):
    event = BrokerageEventFactory()

    assert member_client.get(reverse("brokerage:event_list")).status_code == 403
    assert member_client.get(reverse("brokerage:event_detail", args=[event.pk])).status_code == 403


# --- setting one up -------------------------------------------------------------------------------


def test_without_an_activity_the_upcoming_activities_without_an_event_are_offered(staff_client):
    free = BrokerageActivityFactory(title="Free B2B day")
    BrokerageEventFactory(activity__title="Taken B2B day")
    ActivityFactory(title="Old seminar", starts_at=timezone.now() - timedelta(days=60))

    response = staff_client.get(reverse("brokerage:event_create"))

    assert response.status_code == 200
    assert [a.title for a in response.context["candidates"]] == [free.title]


def test_setting_up_creates_the_event_and_a_morning_session(staff_client):
    activity = BrokerageActivityFactory()
    url = reverse("brokerage:event_create") + f"?activity={activity.pk}"

    page = staff_client.get(url)
    response = staff_client.post(url, {"meeting_minutes": 20, "pause_minutes": 10,
                                       "meeting_cap": 6, "morning_session": "on"}, follow=True)

    assert page.status_code == 200 and "morning_session" in page.context["form"].fields
    event = BrokerageEvent.objects.get(activity=activity)
    assert response.redirect_chain[-1][0] == reverse("brokerage:event_detail", args=[event.pk])
    assert (event.meeting_minutes, event.pause_minutes, event.meeting_cap) == (20, 10, 6)
    session = event.sessions.get()
    assert (session.name, session.starts_at, session.ends_at) == (
        "Morning", activity.starts_at, activity.starts_at + timedelta(hours=3))
    assert event.slots.count() == 6
    assert _messages(response) == [
        f"B2B meetings were set up for {activity.title}. The session Morning has 6 slots."]


def test_setting_up_without_a_session(staff_client):
    activity = BrokerageActivityFactory()

    staff_client.post(reverse("brokerage:event_create") + f"?activity={activity.pk}",
                      {"meeting_minutes": 30, "pause_minutes": 0})

    assert not BrokerageEvent.objects.get(activity=activity).sessions.exists()


def test_setting_up_shows_validation_messages_and_writes_nothing(staff_client):
    activity = BrokerageActivityFactory()
    url = reverse("brokerage:event_create") + f"?activity={activity.pk}"

    too_long = staff_client.post(url, {"meeting_minutes": 500, "pause_minutes": 5})
    late = staff_client.post(url, {
        "meeting_minutes": 20, "pause_minutes": 5, "morning_session": "on",
        "requests_deadline": _local(activity.ends_at + timedelta(days=1))})

    assert too_long.status_code == 200
    assert too_long.context["form"].errors["meeting_minutes"] == [
        "Ensure this value is less than or equal to 240."]
    assert late.context["form"].errors["requests_deadline"][0].startswith(
        "Meeting requests must close before the activity ends")
    assert not BrokerageEvent.objects.exists()


def test_an_activity_that_has_an_event_is_refused_with_a_link(staff_client):
    event = BrokerageEventFactory()

    response = staff_client.get(reverse("brokerage:event_create")
                                + f"?activity={event.activity.pk}")

    assert response.status_code == 409
    assert reverse("brokerage:event_detail", args=[event.pk]) in response.content.decode()


# --- dashboard and settings -----------------------------------------------------------------------


def test_the_dashboard_shows_counts_checklist_and_links(staff_client):
    event = event_with_slots(slots=3, tables=2, participants=3)
    Slot.objects.filter(pk=event.slots.last().pk).update(is_break=True)
    a, b, c = event.participants.all()
    MeetingFactory(event=event, requester=a, recipient=b, slot=event.slots.first(),
                   table=event.tables.first())
    MeetingFactory(event=event, requester=a, recipient=c)
    MeetingFactory(event=event, requester=b, recipient=c, status=MeetingStatus.DECLINED)

    response = staff_client.get(reverse("brokerage:event_detail", args=[event.pk]))

    assert response.status_code == 200
    context = response.context
    assert (context["meeting_slots"], context["break_count"], context["table_count"],
            context["capacity"]) == (2, 1, 2, 4)
    assert context["statuses"] == {"requested": 0, "accepted": 2, "declined": 1,
                                   "cancelled": 0}
    assert (context["scheduled"], context["unscheduled"]) == (1, 1)
    assert [step.done for step in context["checklist"]] == [True, True, True, True, False,
                                                            False]
    assert context["next_step"].url_name == "brokerage:schedule"
    assert context["to_add"] == 0
    content = response.content.decode()
    for name in ("participant_list", "meeting_list", "schedule", "table_plan", "checkin",
                 "statistics", "agendas_pdf", "event_sessions", "event_tables", "event_types"):
        assert reverse(f"brokerage:{name}", args=[event.pk]) in content


def test_a_held_event_with_closed_requests_and_a_published_schedule_is_fully_set_up(
        staff_client):
    event = event_with_slots(slots=2, tables=1, participants=2)
    a, b = event.participants.all()
    slot, table = event.slots.first(), event.tables.first()
    MeetingFactory(event=event, requester=a, recipient=b, slot=slot, table=table,
                   published_slot=slot, published_table=table)
    event.requests_open = False
    event.published_at = timezone.now()
    event.save()

    response = staff_client.get(reverse("brokerage:event_detail", args=[event.pk]))

    assert [step.done for step in response.context["checklist"]] == [True] * 6
    assert response.context["next_step"] is None


def test_the_dashboard_reports_the_last_scheduler_run_against_its_bound(staff_client):
    event = event_with_slots(slots=2, tables=1, participants=2)
    ScheduleRun.objects.create(event=event, mode="optimise", accepted=12, scheduled=10,
                               bound_meetings=11, seconds=0.25)

    response = staff_client.get(reverse("brokerage:event_detail", args=[event.pk]))

    content = response.content.decode()
    assert "Last run: scheduled 10 of at most 11 (12 accepted)" in content


def test_the_dashboard_counts_meetings_changed_since_publication(staff_client):
    event = event_with_slots(slots=2, tables=2, participants=4)
    a, b, c, d = event.participants.all()
    first, second = event.slots.all()
    table = event.tables.first()
    MeetingFactory(event=event, requester=a, recipient=b, slot=first, table=table,
                   published_slot=first, published_table=table)
    MeetingFactory(event=event, requester=c, recipient=d, slot=None, table=None,
                   published_slot=second, published_table=table)
    MeetingFactory(event=event, requester=a, recipient=c, slot=second, table=event.tables.last(),
                   published_slot=second, published_table=table)

    response = staff_client.get(reverse("brokerage:event_detail", args=[event.pk]))

    assert response.context["changed_since_publication"] == 2
    assert "2 meetings changed since publication" in response.content.decode()


def test_a_new_event_starts_its_checklist_at_the_sessions(staff_client):
    event = BrokerageEventFactory()
    RegistrationFactory.create_batch(2, activity=event.activity)

    response = staff_client.get(reverse("brokerage:event_detail", args=[event.pk]))

    assert response.context["next_step"].url_name == "brokerage:event_sessions"
    assert "2 registered people not added yet" in response.content.decode()
    assert staff_client.get(reverse("brokerage:event_detail", args=[999999])).status_code == 404


def test_the_settings_are_saved(staff_client):
    event = BrokerageEventFactory()

    response = staff_client.post(reverse("brokerage:event_edit", args=[event.pk]), {
        "meeting_minutes": 15, "pause_minutes": 5, "meeting_cap": "", "requests_open": "on",
        "requests_deadline": _local(event.activity.starts_at - timedelta(days=1))})

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.meeting_minutes, event.requests_open) == (15, True)
    assert event.requests_deadline == event.activity.starts_at - timedelta(days=1)


def test_the_settings_refuse_a_new_length_once_meetings_are_scheduled(staff_client):
    event = event_with_slots(slots=2, tables=1, participants=2)
    a, b = event.participants.all()
    MeetingFactory(event=event, requester=a, recipient=b, slot=event.slots.first(),
                   table=event.tables.get())

    response = staff_client.post(reverse("brokerage:event_edit", args=[event.pk]), {
        "meeting_minutes": 30, "pause_minutes": 5, "requests_open": "on"})

    assert response.status_code == 200
    assert "1 meetings are scheduled" in response.context["form"].errors["meeting_minutes"][0]


# --- sessions -------------------------------------------------------------------------------------


def test_adding_a_session_makes_its_slots(staff_client):
    event = BrokerageEventFactory()
    start = timezone.localtime(event.activity.starts_at).replace(hour=13, minute=0)
    url = reverse("brokerage:event_sessions", args=[event.pk])

    page = staff_client.get(url)
    response = staff_client.post(url, {"action": "add", "name": "Afternoon",
                                       "starts_at": _local(start),
                                       "ends_at": _local(start + timedelta(hours=1))},
                                 follow=True)

    assert page.status_code == 200 and page.context["form"].initial["name"] == "Morning"
    assert _messages(response) == ["The session Afternoon has 2 slots, the last ending at 13:45."]
    assert event.slots.count() == 2


def test_an_overlapping_session_shows_the_message_on_the_form(staff_client):
    event = event_with_slots(slots=4, tables=1, participants=0)
    start = event.activity.starts_at + timedelta(minutes=30)

    response = staff_client.post(reverse("brokerage:event_sessions", args=[event.pk]), {
        "action": "add", "name": "Second", "starts_at": _local(start),
        "ends_at": _local(start + timedelta(hours=1))})

    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"] == [
        "The session overlaps Morning (09:00–10:40); sessions cannot overlap."]
    assert event.sessions.count() == 1


def test_slots_are_marked_as_breaks_and_sessions_deleted_from_the_page(staff_client):
    event = event_with_slots(slots=2, tables=1, participants=0)
    url = reverse("brokerage:event_sessions", args=[event.pk])
    slot = event.slots.first()

    staff_client.post(url, {"action": "break", "slot": slot.pk})
    marked = Slot.objects.get(pk=slot.pk).is_break
    response = staff_client.post(url, {"action": "delete", "session": event.sessions.get().pk},
                                 follow=True)

    assert marked is True
    assert _messages(response) == ["09:00–09:20 is now a break.",
                                   "The session Morning was deleted."]
    assert not event.slots.exists()


def test_deleting_a_session_with_meetings_shows_why_not(staff_client):
    event = event_with_slots(slots=2, tables=1, participants=2)
    a, b = event.participants.all()
    MeetingFactory(event=event, requester=a, recipient=b, slot=event.slots.first(),
                   table=event.tables.get())

    response = staff_client.post(reverse("brokerage:event_sessions", args=[event.pk]),
                                 {"action": "delete", "session": event.sessions.get().pk},
                                 follow=True)

    assert _messages(response) == [
        "1 meetings are scheduled in Morning; move or unschedule them before deleting the "
        "session."]
    assert "disabled" in response.content.decode()


# --- tables and types -----------------------------------------------------------------------------


def test_tables_are_set_renamed_and_removed(staff_client):
    event = BrokerageEventFactory()
    url = reverse("brokerage:event_tables", args=[event.pk])

    assert staff_client.get(url).status_code == 200
    staff_client.post(url, {"action": "count", "count": 3})
    first = event.tables.get(name="Table 1")
    staff_client.post(url, {"action": "rename", "table": first.pk, "name": "Window"})
    response = staff_client.post(
        url, {"action": "delete", "table": event.tables.get(name="Table 2").pk}, follow=True)

    assert list(event.tables.values_list("name", flat=True)) == ["Window", "Table 3"]
    assert _messages(response) == ["The event has 3 tables.", "Table 1 is now called Window.",
                                   "Table 2 was removed."]
    assert [t.name for t in response.context["tables"]] == ["Window", "Table 3"]


def test_a_table_holding_a_meeting_is_not_removed(staff_client):
    event = event_with_slots(slots=1, tables=2, participants=2)
    a, b = event.participants.all()
    MeetingFactory(event=event, requester=a, recipient=b, slot=event.slots.get(),
                   table=event.tables.get(name="Table 2"))

    response = staff_client.post(reverse("brokerage:event_tables", args=[event.pk]),
                                 {"action": "count", "count": 1})

    assert response.status_code == 200
    assert response.context["form"].errors["count"] == [
        "Meetings are scheduled at Table 2; move them before removing the table."]
    assert event.tables.count() == 2


def test_types_are_added_edited_and_deleted(staff_client):
    event = BrokerageEventFactory()
    url = reverse("brokerage:event_types", args=[event.pk])

    staff_client.post(url, {"action": "save", "name": "Buyer", "capacity": 20,
                            "meeting_cap": 8, "may_meet_same_type": ""})
    buyer = ParticipationType.objects.get(event=event)
    edit_page = staff_client.get(url + f"?edit={buyer.pk}")
    staff_client.post(url, {"action": "save", "type": buyer.pk, "name": "Buyers",
                            "capacity": "", "meeting_cap": 8})
    buyer.refresh_from_db()
    edited = (buyer.name, buyer.capacity, buyer.may_meet_same_type)
    staff_client.post(url, {"action": "delete", "type": buyer.pk})

    assert edit_page.context["editing"] == buyer
    assert edited == ("Buyers", None, False)
    assert not ParticipationType.objects.exists()


def test_a_duplicate_type_name_and_deleting_a_used_type_are_refused(staff_client):
    event = BrokerageEventFactory()
    buyer = ParticipationTypeFactory(event=event, name="Buyer")
    ParticipantFactory(event=event, participation_type=buyer)
    url = reverse("brokerage:event_types", args=[event.pk])

    duplicate = staff_client.post(url, {"action": "save", "name": "buyer"})
    used = staff_client.post(url, {"action": "delete", "type": buyer.pk}, follow=True)

    assert duplicate.context["form"].errors["name"] == [
        "The event already has a participation type called buyer."]
    assert _messages(used) == [
        "1 participants have the type Buyer; give them another type first."]
    assert ParticipationType.objects.count() == 1


# --- the activity's panel -------------------------------------------------------------------------


def test_the_activity_page_offers_to_set_up_b2b_meetings(staff_client):
    activity = BrokerageActivityFactory()

    response = staff_client.get(reverse("activities:activity_detail", args=[activity.pk]))

    content = response.content.decode()
    assert "Set up B2B meetings" in content
    assert f"{reverse('brokerage:event_create')}?activity={activity.pk}" in content


def test_the_activity_page_shows_the_events_figures(staff_client):
    event = event_with_slots(slots=1, tables=1, participants=2)
    a, b = event.participants.all()
    MeetingFactory(event=event, requester=a, recipient=b)
    services.event_update(event=event, actor=None, data={"requests_open": False})

    response = staff_client.get(reverse("activities:activity_detail", args=[event.activity.pk]))

    content = response.content.decode()
    assert reverse("brokerage:event_detail", args=[event.pk]) in content
    assert "<dt>Participants</dt><dd>2</dd>" in content
    assert "<dt>Accepted</dt><dd>1</dd>" in content
    assert "<dt>Scheduled</dt><dd>0</dd>" in content


# --- the admin ------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["brokerageevent", "session", "slot", "table",
                                   "participationtype", "participant", "meeting", "schedulerun"])
def test_the_admin_lists_and_searches_the_records_read_only(admin_client, model):
    event = event_with_slots(slots=1, tables=1, participants=2)
    a, b = event.participants.all()
    MeetingFactory(event=event, requester=a, recipient=b)
    ScheduleRun.objects.create(event=event, mode="optimise")
    ParticipationTypeFactory(event=event)
    url = reverse(f"admin:brokerage_{model}_changelist")

    listed = admin_client.get(url + "?q=B2B")
    add = admin_client.get(reverse(f"admin:brokerage_{model}_add"))

    assert listed.status_code == 200
    assert listed.context["cl"].result_count >= 1
    assert add.status_code == 403


def test_the_admin_shows_an_event_with_its_sessions_tables_and_types(admin_client):
    event = event_with_slots(slots=2, tables=2, participants=0)
    ParticipationTypeFactory(event=event, name="Buyer")

    response = admin_client.get(reverse("admin:brokerage_brokerageevent_change",
                                         args=[event.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Morning" in content and "Table 2" in content and "Buyer" in content


def test_a_cancelled_activity_without_b2b_meetings_shows_no_panel(staff_client):
    activity = BrokerageActivityFactory(status="cancelled")

    response = staff_client.get(reverse("activities:activity_detail", args=[activity.pk]))

    assert response.status_code == 200
    assert "Set up B2B meetings" not in response.content.decode()


def test_a_slot_or_table_of_another_event_or_no_number_is_404(staff_client):
    event = event_with_slots(slots=1, tables=1, participants=0)
    other = event_with_slots(slots=1, tables=1, participants=0)

    foreign_slot = staff_client.post(reverse("brokerage:event_sessions", args=[event.pk]),
                                     {"action": "break", "slot": other.slots.get().pk})
    no_number = staff_client.post(reverse("brokerage:event_tables", args=[event.pk]),
                                  {"action": "delete", "table": "x"})

    assert (foreign_slot.status_code, no_number.status_code) == (404, 404)
    assert other.slots.get().is_break is False and event.tables.count() == 1


def test_the_list_sorts_by_participants_and_filters_published(staff_client):
    small = event_with_slots(slots=1, tables=1, participants=1)
    large = event_with_slots(slots=1, tables=1, participants=3)
    BrokerageEvent.objects.filter(pk=small.pk).update(published_at=timezone.now())
    url = reverse("brokerage:event_list") + "?hub="

    by_size = staff_client.get(url + "&ordering=-participants")
    published = staff_client.get(url + "&published=yes")

    assert [e.pk for e in by_size.context["listing"].rows] == [large.pk, small.pk]
    assert [e.pk for e in published.context["listing"].rows] == [small.pk]
