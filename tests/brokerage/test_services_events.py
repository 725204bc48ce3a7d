"""Setting up a brokerage event: the event, sessions and their slots, breaks, tables and
participation types (klynge.brokerage.services.events)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.models import BrokerageEvent, ParticipationType, Session, Slot, Table
from klynge.brokerage.services import events as services
from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from tests.brokerage.factories import (
    BrokerageActivityFactory,
    BrokerageEventFactory,
    MeetingFactory,
    ParticipantFactory,
    ParticipationTypeFactory,
    event_with_slots,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _at(event, hour: int, minute: int = 0):
    """A local time on the event's day."""
    return timezone.localtime(event.activity.starts_at).replace(hour=hour, minute=minute)


def _times(session):
    return [(f"{timezone.localtime(s.starts_at):%H:%M}", f"{timezone.localtime(s.ends_at):%H:%M}")
            for s in session.slots.all()]


# --- the event ----------------------------------------------------------------------------------


def test_an_activity_gets_one_event_with_its_timing_and_an_audit_entry():
    activity = BrokerageActivityFactory()
    actor = UserFactory()

    event = services.event_create(activity=activity, actor=actor, meeting_minutes=15,
                                  pause_minutes=0, meeting_cap=8)

    assert (event.activity, event.meeting_minutes, event.pause_minutes, event.meeting_cap) == (
        activity, 15, 0, 8)
    entry = AuditEntry.objects.get(action="klynge.brokerage.event.created")
    assert (entry.actor, entry.object_id) == (actor, str(event.pk))


def test_a_second_event_for_the_same_activity_is_refused():
    event = BrokerageEventFactory()

    with pytest.raises(ApplicationError, match="already has B2B meetings"):
        services.event_create(activity=event.activity, actor=None)

    assert BrokerageEvent.objects.count() == 1


@pytest.mark.parametrize(("minutes", "pause", "cap", "field"), [
    (4, 5, None, "meeting_minutes"), (241, 5, None, "meeting_minutes"),
    (20, 121, None, "pause_minutes"), (20, -1, None, "pause_minutes"), (20, 5, 0, "meeting_cap"),
])
def test_event_lengths_out_of_range_are_refused(minutes, pause, cap, field):
    activity = BrokerageActivityFactory()

    with pytest.raises(ApplicationError) as error:
        services.event_create(activity=activity, actor=None, meeting_minutes=minutes,
                              pause_minutes=pause, meeting_cap=cap)

    assert error.value.field == field
    assert not BrokerageEvent.objects.exists()


def test_a_cancelled_activity_gets_no_event():
    activity = BrokerageActivityFactory(status="cancelled")

    with pytest.raises(ApplicationError, match="is cancelled"):
        services.event_create(activity=activity, actor=None)


def test_update_changes_the_settings_and_logs_the_changes():
    event = BrokerageEventFactory()
    deadline = event.activity.starts_at - timedelta(days=2)

    services.event_update(event=event, actor=None, data={
        "meeting_cap": 6, "requests_open": False, "requests_deadline": deadline})

    event.refresh_from_db()
    assert (event.meeting_cap, event.requests_open, event.requests_deadline) == (
        6, False, deadline)
    entry = AuditEntry.objects.get(action="klynge.brokerage.event.updated")
    assert entry.data["changes"]["meeting_cap"] == [None, 6]


def test_a_request_deadline_after_the_activity_is_refused():
    event = BrokerageEventFactory()

    with pytest.raises(ApplicationError) as error:
        services.event_update(event=event, actor=None, data={
            "requests_deadline": event.activity.ends_at + timedelta(minutes=1)})

    assert error.value.field == "requests_deadline"
    event.refresh_from_db()
    assert event.requests_deadline is None


def test_a_new_meeting_length_remakes_the_slots_keeping_breaks_where_the_start_stays():
    event = BrokerageEventFactory(meeting_minutes=20, pause_minutes=10)
    session = services.session_add(event=event, actor=None, name="Morning",
                                   starts_at=_at(event, 9), ends_at=_at(event, 11))
    nine_thirty = session.slots.get(starts_at=_at(event, 9, 30))
    services.slot_set_break(slot=nine_thirty, actor=None, is_break=True)

    services.event_update(event=event, actor=None, data={"meeting_minutes": 25,
                                                         "pause_minutes": 5})

    assert _times(session) == [("09:00", "09:25"), ("09:30", "09:55"), ("10:00", "10:25"),
                               ("10:30", "10:55")]
    assert Slot.objects.get(pk=nine_thirty.pk).is_break is True


def test_the_meeting_length_cannot_change_once_meetings_are_scheduled():
    event = event_with_slots(slots=2, tables=1, participants=2)
    a, b = event.participants.all()
    MeetingFactory(event=event, requester=a, recipient=b, slot=event.slots.first(),
                   table=event.tables.first())

    with pytest.raises(ApplicationError, match="1 meetings are scheduled"):
        services.event_update(event=event, actor=None, data={"meeting_minutes": 30})

    event.refresh_from_db()
    assert event.meeting_minutes == 20
    assert event.slots.count() == 2


# --- sessions and slots -------------------------------------------------------------------------


def test_a_session_is_cut_into_whole_slots_of_meeting_plus_changeover():
    event = BrokerageEventFactory(meeting_minutes=20, pause_minutes=5)

    session = services.session_add(event=event, actor=None, name=" Morning ",
                                   starts_at=_at(event, 9), ends_at=_at(event, 12))

    assert session.name == "Morning"
    assert _times(session) == [
        ("09:00", "09:20"), ("09:25", "09:45"), ("09:50", "10:10"), ("10:15", "10:35"),
        ("10:40", "11:00"), ("11:05", "11:25"), ("11:30", "11:50")]
    assert set(session.slots.values_list("event", flat=True)) == {event.pk}
    entry = AuditEntry.objects.get(action="klynge.brokerage.session.added")
    assert entry.data["slots"] == 7


def test_without_changeover_slots_follow_each_other_and_a_part_slot_is_left_out():
    event = BrokerageEventFactory(meeting_minutes=30, pause_minutes=0)

    session = services.session_add(event=event, actor=None, name="Afternoon",
                                   starts_at=_at(event, 13), ends_at=_at(event, 14, 45))

    assert _times(session) == [("13:00", "13:30"), ("13:30", "14:00"), ("14:00", "14:30")]


def test_an_overlapping_session_is_refused_and_nothing_is_written():
    event = BrokerageEventFactory()
    services.session_add(event=event, actor=None, name="Morning", starts_at=_at(event, 9),
                         ends_at=_at(event, 12))

    with pytest.raises(ApplicationError, match=r"overlaps Morning \(09:00–12:00\)"):
        services.session_add(event=event, actor=None, name="Late morning",
                             starts_at=_at(event, 11, 30), ends_at=_at(event, 13))

    assert list(event.sessions.values_list("name", flat=True)) == ["Morning"]
    assert event.slots.count() == 7


def test_a_session_may_start_when_the_one_before_ends():
    event = BrokerageEventFactory(meeting_minutes=20, pause_minutes=5)
    services.session_add(event=event, actor=None, name="Morning", starts_at=_at(event, 9),
                         ends_at=_at(event, 10))

    services.session_add(event=event, actor=None, name="Next", starts_at=_at(event, 10),
                         ends_at=_at(event, 10, 20))

    assert event.sessions.count() == 2
    assert event.slots.count() == 3


@pytest.mark.parametrize(("name", "start", "end", "message"), [
    ("", (9, 0), (10, 0), "Give the session a name"),
    ("Morning", (10, 0), (9, 0), "must end after it starts"),
    ("Morning", (9, 0), (9, 15), "no room for one meeting of 20 minutes"),
])
def test_invalid_sessions_are_refused(name, start, end, message):
    event = BrokerageEventFactory()

    with pytest.raises(ApplicationError, match=message):
        services.session_add(event=event, actor=None, name=name, starts_at=_at(event, *start),
                             ends_at=_at(event, *end))

    assert not Session.objects.exists() and not Slot.objects.exists()


def test_a_session_on_another_day_than_the_activity_is_refused():
    event = BrokerageEventFactory()
    start = _at(event, 9) + timedelta(days=1)

    with pytest.raises(ApplicationError, match="on the day of the activity"):
        services.session_add(event=event, actor=None, name="Morning", starts_at=start,
                             ends_at=start + timedelta(hours=2))


def test_deleting_a_session_with_a_scheduled_meeting_is_refused():
    event = event_with_slots(slots=2, tables=1, participants=2)
    a, b = event.participants.all()
    MeetingFactory(event=event, requester=a, recipient=b, slot=event.slots.last(),
                   table=event.tables.first())
    session = event.sessions.get()

    with pytest.raises(ApplicationError, match="1 meetings are scheduled in Morning"):
        services.session_delete(session=session, actor=None)

    assert event.slots.count() == 2


def test_deleting_a_session_removes_its_slots_and_is_logged_on_the_event():
    event = event_with_slots(slots=3, tables=1, participants=2)
    a, b = event.participants.all()
    MeetingFactory(event=event, requester=a, recipient=b, status=MeetingStatus.REQUESTED)

    services.session_delete(session=event.sessions.get(), actor=None)

    assert not event.sessions.exists() and not event.slots.exists()
    entry = AuditEntry.objects.get(action="klynge.brokerage.session.deleted")
    assert (entry.object_id, entry.data["slots"], entry.data["name"]) == (
        str(event.pk), 3, "Morning")


def test_a_slot_becomes_a_break_and_back():
    event = event_with_slots(slots=3, tables=1, participants=0)
    slot = event.slots.all()[1]

    services.slot_set_break(slot=slot, actor=None, is_break=True)
    marked = Slot.objects.get(pk=slot.pk).is_break
    services.slot_set_break(slot=slot, actor=None, is_break=False)

    assert (marked, Slot.objects.get(pk=slot.pk).is_break) == (True, False)
    assert list(AuditEntry.objects.filter(object_id=str(slot.pk)).order_by("pk").values_list(
        "action", flat=True)) == ["klynge.brokerage.slot.break_set",
                                  "klynge.brokerage.slot.break_unset"]


def test_a_slot_holding_a_meeting_cannot_become_a_break():
    event = event_with_slots(slots=2, tables=1, participants=2)
    a, b = event.participants.all()
    slot = event.slots.first()
    MeetingFactory(event=event, requester=a, recipient=b, slot=slot, table=event.tables.first())

    with pytest.raises(ApplicationError, match="1 meetings are scheduled at"):
        services.slot_set_break(slot=slot, actor=None, is_break=True)

    assert Slot.objects.get(pk=slot.pk).is_break is False


# --- tables -------------------------------------------------------------------------------------


def test_tables_are_numbered_and_the_last_ones_removed_when_fewer():
    event = BrokerageEventFactory()

    services.tables_set(event=event, actor=None, count=4)
    four = list(event.tables.values_list("name", flat=True))
    services.tables_set(event=event, actor=None, count=2)

    assert four == ["Table 1", "Table 2", "Table 3", "Table 4"]
    assert list(event.tables.values_list("name", flat=True)) == ["Table 1", "Table 2"]


def test_more_tables_are_numbered_on_after_a_renamed_one():
    event = BrokerageEventFactory()
    services.tables_set(event=event, actor=None, names=["Window", "Table 2"])

    services.tables_set(event=event, actor=None, count=4)

    assert list(event.tables.values_list("name", flat=True)) == [
        "Window", "Table 2", "Table 3", "Table 4"]


def test_tables_can_swap_names():
    event = BrokerageEventFactory()
    services.tables_set(event=event, actor=None, names=["A", "B"])
    first = event.tables.first()

    services.tables_set(event=event, actor=None, names=["B", "A"])

    assert list(event.tables.values_list("name", flat=True)) == ["B", "A"]
    assert event.tables.first().pk == first.pk


def test_duplicate_or_empty_table_names_are_refused():
    event = BrokerageEventFactory()

    with pytest.raises(ApplicationError, match="cannot both be called a"):
        services.tables_set(event=event, actor=None, names=["A", "a"])
    with pytest.raises(ApplicationError, match="needs a name"):
        services.tables_set(event=event, actor=None, names=["A", " "])

    assert not Table.objects.exists()


def test_removing_a_table_that_holds_a_meeting_is_refused():
    event = event_with_slots(slots=2, tables=3, participants=2)
    a, b = event.participants.all()
    third = event.tables.get(name="Table 3")
    MeetingFactory(event=event, requester=a, recipient=b, slot=event.slots.first(), table=third)

    with pytest.raises(ApplicationError, match="Meetings are scheduled at Table 3"):
        services.tables_set(event=event, actor=None, count=2)
    with pytest.raises(ApplicationError, match="Meetings are scheduled at Table 3"):
        services.table_delete(table=third, actor=None)

    assert event.tables.count() == 3


def test_a_table_whose_meeting_was_cancelled_can_be_removed():
    event = event_with_slots(slots=2, tables=2, participants=2)
    a, b = event.participants.all()
    second = event.tables.get(name="Table 2")
    MeetingFactory(event=event, requester=a, recipient=b, status=MeetingStatus.CANCELLED,
                   slot=event.slots.first(), table=second)

    services.table_delete(table=second, actor=None)

    assert list(event.tables.values_list("name", flat=True)) == ["Table 1"]


def test_renaming_one_table_to_a_name_in_use_is_refused():
    event = event_with_slots(slots=1, tables=2, participants=0)
    first = event.tables.get(name="Table 1")

    with pytest.raises(ApplicationError, match="cannot both be called Table 2"):
        services.table_rename(table=first, actor=None, name="table 2")
    services.table_rename(table=first, actor=None, name="By the window")

    assert list(event.tables.values_list("name", flat=True)) == ["By the window", "Table 2"]


# --- participation types ------------------------------------------------------------------------


def test_a_type_is_added_with_its_caps_and_positioned_last():
    event = BrokerageEventFactory()
    services.type_save(event=event, actor=None, data={"name": "Buyer"})

    seller = services.type_save(event=event, actor=None, data={
        "name": " Seller ", "capacity": 10, "meeting_cap": 5, "may_meet_same_type": False})

    assert (seller.name, seller.capacity, seller.meeting_cap, seller.may_meet_same_type,
            seller.position) == ("Seller", 10, 5, False, 2)
    assert list(event.participation_types.values_list("name", flat=True)) == ["Buyer", "Seller"]


def test_a_type_name_is_unique_in_the_event():
    event = BrokerageEventFactory()
    services.type_save(event=event, actor=None, data={"name": "Buyer"})

    with pytest.raises(ApplicationError, match="already has a participation type called buyer"):
        services.type_save(event=event, actor=None, data={"name": "buyer"})

    assert ParticipationType.objects.count() == 1


def test_a_type_capacity_cannot_drop_below_its_participants():
    event = BrokerageEventFactory()
    kind = ParticipationTypeFactory(event=event, name="Buyer", capacity=5)
    ParticipantFactory.create_batch(3, event=event, participation_type=kind)

    with pytest.raises(ApplicationError, match="3 participants already have this type"):
        services.type_save(event=event, actor=None, type=kind, data={"capacity": 2})
    services.type_save(event=event, actor=None, type=kind, data={"capacity": 3})

    assert ParticipationType.objects.get(pk=kind.pk).capacity == 3


def test_a_type_in_use_cannot_be_deleted_and_an_unused_one_can():
    event = BrokerageEventFactory()
    used = ParticipationTypeFactory(event=event, name="Buyer")
    unused = ParticipationTypeFactory(event=event, name="Seller")
    ParticipantFactory(event=event, participation_type=used)

    with pytest.raises(ApplicationError, match="1 participants have the type Buyer"):
        services.type_delete(type=used, actor=None)
    services.type_delete(type=unused, actor=None)

    assert list(event.participation_types.values_list("name", flat=True)) == ["Buyer"]
