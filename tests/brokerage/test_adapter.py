"""The database event as the scheduler's pure Event, and a schedule back."""

import pytest
from django.utils import timezone

from klynge.brokerage import adapter, late
from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.domain.model import Placement, Schedule
from klynge.brokerage.models import Meeting, Participant, Slot, Table
from klynge.core.errors import ApplicationError
from tests.brokerage.factories import MeetingFactory, ParticipationTypeFactory
from tests.brokerage.factories_schedule import accepted, event_on

pytestmark = pytest.mark.django_db


def test_build_maps_participants_slots_requests_and_rules():
    # given an event of 4 slots, the second a break, 2 tables, 4 participants (one withdrawn)
    event, p = event_on(slots=4, breaks=(1,), names=("Anna", "Bent", "Carl", "Dora"))
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    kind = ParticipationTypeFactory(event=event, meeting_cap=3)
    p["Anna"].meeting_cap = 2
    p["Anna"].save()
    p["Bent"].participation_type = kind
    p["Bent"].save()
    event.meeting_cap = 5
    event.save()
    p["Dora"].withdrawn_at = timezone.now()
    p["Dora"].save()
    p["Carl"].unavailable.add(slots[2])
    ab = accepted(event, p["Anna"], p["Bent"], priority=3)
    bc = accepted(event, p["Bent"], p["Carl"], priority=1, slot=slots[3],
                  table=Table.objects.get(event=event, name="Table 2"), locked=True)
    MeetingFactory(event=event, requester=p["Anna"], recipient=p["Carl"],
                   status=MeetingStatus.REQUESTED)
    accepted(event, p["Anna"], p["Dora"])  # Dora withdrew: not a request
    # when
    built = adapter.build(event)
    ev = built.event
    # then the break slot is no slot: three slots, indexes 0, 1, 2
    assert ev.participants == (p["Anna"].pk, p["Bent"].pk, p["Carl"].pk)
    assert ev.slot_sessions == (slots[0].session_id,) * 3
    assert ev.tables == 2
    assert [(r.id, r.a, r.b, r.priority) for r in ev.requests] == [
        (ab.pk, p["Anna"].pk, p["Bent"].pk, 3.0), (bc.pk, p["Bent"].pk, p["Carl"].pk, 1.0)]
    assert ev.unavailable == {p["Carl"].pk: frozenset({1})}
    assert ev.caps == {p["Anna"].pk: 2, p["Bent"].pk: 3, p["Carl"].pk: 5}
    assert ev.locked == {bc.pk: Placement(2, 1)}
    assert built.current.placements == {bc.pk: Placement(2, 1)}


def test_published_meetings_are_locked_where_they_are():
    event, p = event_on(slots=3)
    slot = Slot.objects.filter(event=event).order_by("starts_at")[1]
    table = Table.objects.get(event=event, name="Table 1")
    m = accepted(event, p["Anna"], p["Bent"], slot=slot, table=table, published_slot=slot,
                 published_table=table)
    built = adapter.build(event)
    assert built.event.locked == {m.pk: Placement(1, 0)}
    assert built.published_ids == {m.pk}


def test_round_trip_saves_the_schedule_and_reads_it_back():
    # given three accepted meetings, none scheduled
    event, p = event_on(slots=3, tables=2)
    ab = accepted(event, p["Anna"], p["Bent"])
    bc = accepted(event, p["Bent"], p["Carl"])
    ac = accepted(event, p["Anna"], p["Carl"])
    built = adapter.build(event)
    schedule = Schedule({ab.pk: Placement(0, 1), bc.pk: Placement(1, 0), ac.pk: Placement(2, 0)})
    # when it is saved
    moved = adapter.save(built, schedule)
    # then the meetings hold it, and building again gives the same schedule
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    ab.refresh_from_db()
    assert (ab.slot, ab.table.name) == (slots[0], "Table 2")
    assert moved == 0
    again = adapter.build(event)
    assert again.current.placements == schedule.placements
    # and a schedule without a meeting unschedules it (one moved)
    assert adapter.save(again, Schedule({ab.pk: Placement(0, 1), bc.pk: Placement(1, 0)})) == 1
    ac.refresh_from_db()
    assert (ac.slot, ac.table) == (None, None)


def test_current_schedule_leaves_out_a_clashing_placement():
    # given two stored meetings of Anna in one slot (e.g. written by hand)
    event, p = event_on(slots=2, tables=2)
    slot = Slot.objects.filter(event=event).order_by("starts_at")[0]
    ab = accepted(event, p["Anna"], p["Bent"], slot=slot)
    ac = accepted(event, p["Anna"], p["Carl"], slot=slot)
    built = adapter.build(event)
    # then only the first is kept (and gets the lowest table)
    assert built.current.placements == {ab.pk: Placement(0, 0)}
    assert ac.pk not in built.current.placements


def test_build_refuses_an_event_without_slots_or_tables():
    event, _p = event_on(slots=2, tables=0)
    with pytest.raises(ApplicationError, match="no tables"):
        adapter.build(event)
    Slot.objects.filter(event=event).update(is_break=True)
    with pytest.raises(ApplicationError, match="no meeting slots"):
        adapter.build(event)
    assert Meeting.objects.count() == 0


def test_save_swaps_and_moves_many_meetings_with_few_updates(django_assert_max_num_queries):
    # given two meetings at Table 1 and Table 2 of the first slot
    event, p = event_on(slots=2, tables=2, names=("Anna", "Bent", "Carl", "Dora"))
    ab = accepted(event, p["Anna"], p["Bent"])
    cd = accepted(event, p["Carl"], p["Dora"])
    built = adapter.build(event)
    adapter.save(built, Schedule({ab.pk: Placement(0, 0), cd.pk: Placement(0, 1)}))
    # when they swap tables and one goes to the second slot (a slot and two table updates)
    again = adapter.build(event)
    with django_assert_max_num_queries(3):
        moved = adapter.save(again, Schedule({ab.pk: Placement(0, 1), cd.pk: Placement(1, 0)}))
    # then
    assert moved == 2
    assert adapter.build(event).current.placements == {ab.pk: Placement(0, 1),
                                                       cd.pk: Placement(1, 0)}


def test_checksum_counts_the_meetings_and_the_marker_notices_the_inputs():
    # given an event with one scheduled meeting
    event, p = event_on(slots=2, tables=2)
    first, second = Slot.objects.filter(event=event).order_by("starts_at")
    ab = accepted(event, p["Anna"], p["Bent"], slot=first,
                  table=Table.objects.get(event=event, name="Table 1"))
    marker = late.inputs_marker(event)
    # then the checksum is the meetings' count and sum of pks
    assert late.meetings_checksum(event) == (1, ab.pk)
    bc = accepted(event, p["Bent"], p["Carl"])
    assert late.meetings_checksum(event) == (2, ab.pk + bc.pk)
    Meeting.objects.filter(pk=ab.pk).delete()
    assert late.meetings_checksum(event) == (1, bc.pk)
    # and the marker changes with an unavailable slot, a cap, a break, a table
    p["Carl"].unavailable.add(first)
    assert late.inputs_marker(event) != marker
    marker = late.inputs_marker(event)
    Participant.objects.filter(pk=p["Carl"].pk).update(meeting_cap=3)
    assert late.inputs_marker(event) != marker
    marker = late.inputs_marker(event)
    Slot.objects.filter(pk=second.pk).update(is_break=True)
    assert late.inputs_marker(event) != marker
    marker = late.inputs_marker(event)
    Table.objects.filter(event=event, name="Table 2").delete()
    assert late.inputs_marker(event) != marker
    # but not with a profile edit
    marker = late.inputs_marker(event)
    carl = Participant.objects.get(pk=p["Carl"].pk)
    carl.headline = "New headline"
    carl.save()
    assert late.inputs_marker(event) == marker
