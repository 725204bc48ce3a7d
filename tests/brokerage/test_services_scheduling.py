"""Running the scheduler, placing late requests, publishing and moving meetings."""

import pytest
from django.core import mail
from django.utils import timezone

from klynge.brokerage import adapter, late, selectors_schedule
from klynge.brokerage.choices import MeetingStatus, RunMode
from klynge.brokerage.domain import heuristic
from klynge.brokerage.domain.model import Placement, Schedule, breaks
from klynge.brokerage.domain.validate import violations
from klynge.brokerage.models import Meeting, Participant, ScheduleRun, Slot, Table
from klynge.brokerage.services import scheduling
from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from tests.brokerage.factories_schedule import accepted, event_on
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_worker(settings):
    settings.KLYNGE_SCHEDULER_WORKERS = 1


def _triangle(**kwargs):
    """Anna, Bent and Carl all want to meet each other; two slots: two meetings at most."""
    event, p = event_on(slots=2, tables=2, **kwargs)
    ab = accepted(event, p["Anna"], p["Bent"], priority=3)
    ac = accepted(event, p["Anna"], p["Carl"], priority=1)
    bc = accepted(event, p["Bent"], p["Carl"], priority=2)
    return event, p, ab, ac, bc


def _placed(*meetings):
    for m in meetings:
        m.refresh_from_db()
    return [(m.slot_id is not None) for m in meetings]


@pytest.mark.parametrize("exact", [True, False])
def test_optimise_schedules_the_best_meetings_and_stores_the_run(exact):
    # given the triangle with priorities 3 (A–B), 1 (A–C), 2 (B–C)
    event, _p, ab, ac, bc = _triangle()
    actor = user_with_role("staff")
    # when
    run = scheduling.schedule_optimise(event=event, actor=actor, exact=exact, time_limit=5)
    # then A–B and B–C are scheduled (value 5), the LP bound is 6; at most 2 meetings (the
    # LP relaxation says 3, but each slot holds one meeting: three people, pairs)
    assert _placed(ab, ac, bc) == [True, False, True]
    assert ab.slot_id != bc.slot_id
    assert {ab.table.name, bc.table.name} == {"Table 1"}
    assert (run.mode, run.accepted, run.scheduled, run.value, run.bound, run.bound_meetings,
            run.breaks, run.violations) == (
        RunMode.EXACT if exact else RunMode.OPTIMISE, 3, 2, 5.0, 6.0, 2, 0, 0)
    assert run.optimal is exact
    assert run.started_by == actor
    assert AuditEntry.objects.filter(action=f"klynge.brokerage.schedule.{run.mode}").count() == 1
    # and the unscheduled meeting is explained in words
    [row] = selectors_schedule.unscheduled(event)
    assert row["meeting"] == ac
    assert row["reasons"] == [
        "every slot in which both are available already holds a meeting of Anna Holm or "
        "Carl Holm"]


def test_a_large_event_with_mixed_priorities_counts_its_meeting_bound_without_a_second_lp(
        monkeypatch):
    # given the triangle (priorities 1–3) and a limit that makes it "large"
    event, _p, *_meetings = _triangle()
    monkeypatch.setattr(scheduling, "SECOND_LP_LIMIT", 2)
    solved = []
    real = scheduling.lp.lp_bound
    monkeypatch.setattr(scheduling.lp, "lp_bound", lambda e, **kw: solved.append(e) or real(e))
    # when
    run = scheduling.schedule_optimise(event=event, actor=None, exact=False, time_limit=1)
    # then one LP (the weighted one) and the counted bound: 2 meetings (one per slot)
    assert len(solved) == 1
    assert (run.bound, run.bound_meetings, run.scheduled) == (6.0, 2, 2)


def test_the_counted_bound_takes_caps_and_unavailability_into_account():
    from klynge.brokerage.domain.model import Event, Request

    event = Event(participants=("a", "b", "c", "d"), slot_sessions=(1, 1, 1), tables=5,
                  requests=(Request(1, "a", "b"), Request(2, "a", "c"), Request(3, "a", "d"),
                            Request(4, "b", "c")),
                  unavailable={"c": frozenset({0, 1})}, caps={"a": 1})
    # requests 4; slots: 1 + 1 + 2 (c is free only in the last) = 4; each: a 1, b 2, c 1,
    # d 1 → 5 // 2 = 2
    assert scheduling._counted_bound(event) == 2


def test_optimise_keeps_a_locked_meeting_where_it_is():
    event, _p, ab, ac, bc = _triangle()
    second = Slot.objects.filter(event=event).order_by("starts_at")[1]
    Meeting.objects.filter(pk=ac.pk).update(slot=second, table=Table.objects.get(
        event=event, name="Table 2"), locked=True)
    run = scheduling.schedule_optimise(event=event, actor=None, exact=True, time_limit=5)
    assert _placed(ab, ac, bc) == [True, True, False]
    assert (ac.slot, ac.table.name) == (second, "Table 2")
    assert ab.slot_id != second.pk
    assert (run.scheduled, run.value) == (2, 4.0)


def test_optimise_refuses_without_accepted_meetings_or_tables():
    event, _p = event_on(slots=2, tables=2)
    with pytest.raises(ApplicationError, match="no accepted meetings"):
        scheduling.schedule_optimise(event=event, actor=None)
    Table.objects.filter(event=event).delete()
    with pytest.raises(ApplicationError, match="no tables"):
        scheduling.schedule_optimise(event=event, actor=None)
    assert ScheduleRun.objects.count() == 0


def test_a_schedule_with_violations_is_not_saved(monkeypatch):
    # given a heuristic that double-books Anna
    event, _p, ab, ac, bc = _triangle()
    monkeypatch.setattr(heuristic, "schedule", lambda ev, **kw: Schedule(
        {ab.pk: Placement(0, 0), ac.pk: Placement(0, 1)}))
    monkeypatch.setattr(heuristic, "reduce_breaks", lambda ev, s, **kw: s)
    # when / then
    with pytest.raises(ApplicationError, match="broke 1 rule"):
        scheduling.schedule_optimise(event=event, actor=None, exact=False)
    assert _placed(ab, ac, bc) == [False, False, False]
    run = ScheduleRun.objects.get()
    assert (run.violations, run.scheduled) == (1, 0)


def test_place_late_places_new_meetings_without_moving_published_ones():
    # given a published schedule of A–B and B–C, then Carl and Dora agree to meet
    event, p = event_on(slots=3, tables=1, names=("Anna", "Bent", "Carl", "Dora"))
    ab = accepted(event, p["Anna"], p["Bent"])
    bc = accepted(event, p["Bent"], p["Carl"])
    scheduling.schedule_optimise(event=event, actor=None, exact=True, time_limit=5)
    scheduling.schedule_publish(event=event, actor=None)
    before = {m.pk: (m.slot_id, m.table_id) for m in Meeting.objects.all()}
    cd = accepted(event, p["Carl"], p["Dora"])
    # when
    run = scheduling.schedule_place_late(event=event, actor=None)
    # then the published meetings stay, the new one gets the free slot
    after = {m.pk: (m.slot_id, m.table_id) for m in Meeting.objects.all()}
    assert after[ab.pk] == before[ab.pk] and after[bc.pk] == before[bc.pk]
    cd.refresh_from_db()
    used = {before[ab.pk][0], before[bc.pk][0]}
    assert cd.slot_id is not None and cd.slot_id not in used
    assert (run.mode, run.scheduled, run.accepted, run.violations) == (RunMode.LATE, 3, 3, 0)


def test_publish_emails_everyone_with_a_meeting_in_their_language(
        django_capture_on_commit_callbacks):
    # given a schedule; Anna reads Danish, the others English; Dora has no meeting
    event, p = event_on(slots=2, tables=2, names=("Anna", "Bent", "Carl", "Dora"))
    p["Anna"].person.language = "da"
    p["Anna"].person.save()
    accepted(event, p["Anna"], p["Bent"])
    accepted(event, p["Bent"], p["Carl"])
    scheduling.schedule_optimise(event=event, actor=None, exact=True, time_limit=5)
    mail.outbox.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        sent = scheduling.schedule_publish(event=event, actor=None)
    # then
    assert sent == 3
    by_to = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_to) == ["anna@example.dk", "bent@example.dk", "carl@example.dk"]
    assert by_to["anna@example.dk"].body.startswith("Kære Anna,")
    english = by_to["bent@example.dk"]
    assert english.subject == "Your meeting agenda for Digital Growth B2B"
    assert english.body.startswith("Dear Bent,")
    assert "Anna Holm, Anna ApS" in english.body and "Carl Holm, Carl ApS" in english.body
    assert f"/b2b/me/{p['Bent'].key}/agenda/" in english.body
    assert f"/b2b/me/{p['Bent'].key}/agenda.ics" in english.body
    event.refresh_from_db()
    assert event.published_at is not None
    assert Meeting.objects.filter(published_slot__isnull=False).count() == 2


def test_second_publish_emails_only_those_whose_meetings_changed(
        django_capture_on_commit_callbacks):
    # given a published schedule
    event, p = event_on(slots=3, tables=2, names=("Anna", "Bent", "Carl", "Dora"))
    ab = accepted(event, p["Anna"], p["Bent"])
    cd = accepted(event, p["Carl"], p["Dora"])
    scheduling.schedule_optimise(event=event, actor=None, exact=True, time_limit=5)
    scheduling.schedule_publish(event=event, actor=None)
    # when the organiser moves Carl and Dora's meeting and publishes again
    cd.refresh_from_db()
    ab.refresh_from_db()
    free = Slot.objects.filter(event=event).exclude(pk__in=[cd.slot_id, ab.slot_id]).first()
    scheduling.meeting_move(meeting=cd, actor=None, slot=free, table=None, locked=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = scheduling.schedule_publish(event=event, actor=None)
    # then only Carl and Dora are e-mailed, about a change
    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["carl@example.dk", "dora@example.dk"]
    assert mail.outbox[0].subject == "Your meeting agenda for Digital Growth B2B has changed"
    # and a cancelled published meeting is announced to both sides
    Meeting.objects.filter(pk=ab.pk).update(status=MeetingStatus.CANCELLED, slot=None,
                                            table=None)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduling.schedule_publish(event=event, actor=None) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.dk", "bent@example.dk"]
    assert "You have no meetings in the schedule." in mail.outbox[0].body
    # and publishing with nothing changed e-mails nobody
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduling.schedule_publish(event=event, actor=None) == 0
    assert mail.outbox == []


def test_publish_refuses_when_nothing_is_scheduled():
    event, p = event_on()
    accepted(event, p["Anna"], p["Bent"])
    with pytest.raises(ApplicationError, match="No meeting is scheduled yet"):
        scheduling.schedule_publish(event=event, actor=None)
    event.refresh_from_db()
    assert event.published_at is None


def test_move_refuses_busy_unavailable_and_taken_places_in_words():
    event, p = event_on(slots=2, tables=1, names=("Anna", "Bent", "Carl", "Dora"))
    first, second = Slot.objects.filter(event=event).order_by("starts_at")
    table = Table.objects.get(event=event)
    accepted(event, p["Anna"], p["Bent"], slot=first, table=table)
    ac = accepted(event, p["Anna"], p["Carl"])
    cd = accepted(event, p["Carl"], p["Dora"])
    with pytest.raises(ApplicationError) as busy:
        scheduling.meeting_move(meeting=ac, actor=None, slot=first, table=None, locked=False)
    assert "Anna Holm already has a meeting at" in busy.value.message
    assert "(with Bent Holm)" in busy.value.message
    p["Dora"].unavailable.add(second)
    with pytest.raises(ApplicationError) as unavailable:
        scheduling.meeting_move(meeting=cd, actor=None, slot=second, table=table,
                                locked=False)
    assert unavailable.value.message.startswith("Dora Holm is not available at ")
    with pytest.raises(ApplicationError) as taken:
        scheduling.meeting_move(meeting=cd, actor=None, slot=first, table=table, locked=False)
    assert "Table 1 is taken at" in taken.value.message
    cd.refresh_from_db()
    assert cd.slot is None


def test_move_places_and_locks_a_meeting():
    event, p = event_on(slots=2, tables=2)
    first, second = Slot.objects.filter(event=event).order_by("starts_at")
    ab = accepted(event, p["Anna"], p["Bent"], slot=first,
                  table=Table.objects.get(event=event, name="Table 1"))
    actor = user_with_role("staff")
    moved = scheduling.meeting_move(meeting=ab, actor=actor, slot=second, table=None,
                                    locked=True)
    assert (moved.slot, moved.table.name, moved.locked) == (second, "Table 1", True)
    entry = AuditEntry.objects.get(action="klynge.brokerage.meeting.moved")
    assert entry.data["to"]["locked"] is True
    # taking it out of the schedule unlocks it
    out = scheduling.meeting_move(meeting=ab, actor=actor, slot=None, table=None, locked=True)
    assert (out.slot, out.table, out.locked) == (None, None, False)


def test_unscheduled_reasons_name_availability_and_caps():
    # given Carl is unavailable when Anna is free, and Dora's cap of 1 is reached
    event, p = event_on(slots=2, tables=2, names=("Anna", "Bent", "Carl", "Dora"))
    first, second = Slot.objects.filter(event=event).order_by("starts_at")
    table = Table.objects.filter(event=event).first()
    accepted(event, p["Anna"], p["Bent"], slot=first, table=table)
    accepted(event, p["Bent"], p["Dora"], slot=second, table=table)
    p["Carl"].unavailable.add(second)
    p["Dora"].meeting_cap = 1
    p["Dora"].save()
    ac = accepted(event, p["Anna"], p["Carl"])
    cd = accepted(event, p["Carl"], p["Dora"])
    # when / then
    reasons = {row["meeting"].pk: row["reasons"] for row in selectors_schedule.unscheduled(event)}
    assert reasons == {
        ac.pk: ["every slot in which both are available already holds a meeting of Anna Holm "
                "or Carl Holm"],
        cd.pk: ["Dora Holm has reached their limit of 1 meeting"],
    }
    p["Anna"].unavailable.add(first)
    reasons = {row["meeting"].pk: row["reasons"] for row in selectors_schedule.unscheduled(event)}
    assert reasons[ac.pk] == ["Anna Holm and Carl Holm are both free in no common slot"]


# --- late requests placed into the kept state (no rebuild) ------------------------------------


@pytest.fixture
def kept(monkeypatch):
    """No kept state before or after; counts the rebuilds of schedule_place_late."""
    late.forget()
    calls = []
    rebuild = scheduling._place_late_rebuilt
    monkeypatch.setattr(scheduling, "_place_late_rebuilt",
                        lambda event, actor: calls.append(event.pk) or rebuild(event, actor))
    yield calls
    late.forget()


def _published_four(capture):
    """Anna–Bent and Bent–Carl scheduled (3 slots, 1 table) and published, with commits."""
    event, p = event_on(slots=3, tables=1, names=("Anna", "Bent", "Carl", "Dora"))
    ab = accepted(event, p["Anna"], p["Bent"])
    bc = accepted(event, p["Bent"], p["Carl"])
    with capture(execute=True):
        scheduling.schedule_optimise(event=event, actor=None, exact=True, time_limit=5)
    with capture(execute=True):
        scheduling.schedule_publish(event=event, actor=None)
    return event, p, ab, bc


def test_a_late_meeting_is_placed_into_the_kept_state_without_a_rebuild(
        kept, django_capture_on_commit_callbacks):
    # given a published schedule kept by this process, then Carl and Dora agree to meet
    event, p, ab, bc = _published_four(django_capture_on_commit_callbacks)
    assert late.entry_of(event.pk) is not None
    before = {m.pk: (m.slot_id, m.table_id) for m in Meeting.objects.all()}
    cd = accepted(event, p["Carl"], p["Dora"], priority=3)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        run = scheduling.schedule_place_late(event=event, actor=None)
    # then no rebuild; the published meetings stay; Carl–Dora gets the one free slot
    assert kept == []
    after = {m.pk: (m.slot_id, m.table_id) for m in Meeting.objects.all()}
    assert after[ab.pk] == before[ab.pk] and after[bc.pk] == before[bc.pk]
    free = set(Slot.objects.filter(event=event).values_list("pk", flat=True)) - {
        before[ab.pk][0], before[bc.pk][0]}
    cd.refresh_from_db()
    assert (cd.slot_id, cd.table.name) == (free.pop(), "Table 1")
    # the run: the bound grows by the new meeting's priority (4 + 3), one meeting more
    assert (run.mode, run.accepted, run.scheduled, run.value, run.bound, run.bound_meetings,
            run.moved, run.violations, run.optimal) == (
        RunMode.LATE, 3, 3, 7.0, 7.0, 3, 0, 0, True)
    entry = AuditEntry.objects.get(action="klynge.brokerage.schedule.late")
    assert (entry.data["kept_state"], entry.data["placed"]) == (True, [cd.pk])
    # and the stored schedule, read back from the database, breaks no rule
    built = adapter.build(event)
    assert len(built.current.placements) == 3
    assert violations(built.event, built.current) == []
    assert run.breaks == sum(breaks(built.event, built.current).values())


def test_a_second_late_meeting_uses_the_state_the_first_one_left(
        kept, django_capture_on_commit_callbacks):
    # given a late meeting already placed from the kept state (slots 3, table 1: full after)
    event, p, ab, bc = _published_four(django_capture_on_commit_callbacks)
    cd = accepted(event, p["Carl"], p["Dora"])
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.schedule_place_late(event=event, actor=None)
    # when Anna and Dora agree to meet too
    ad = accepted(event, p["Anna"], p["Dora"], priority=1)
    with django_capture_on_commit_callbacks(execute=True):
        run = scheduling.schedule_place_late(event=event, actor=None)
    # then still no rebuild; one table per slot and every slot taken: it cannot be placed
    assert kept == []
    assert _placed(ab, bc, cd, ad) == [True, True, True, False]
    assert (run.accepted, run.scheduled, run.value, run.bound, run.bound_meetings) == (
        4, 3, 6.0, 7.0, 4)


def _unavailable(event, p, ab, bc):
    free = Slot.objects.filter(event=event).exclude(pk__in=[ab.slot_id, bc.slot_id]).get()
    p["Anna"].unavailable.add(free)


@pytest.mark.parametrize("change", [
    "a meeting locked", "a meeting deleted", "a slot made unavailable", "a withdrawal",
    "another cap"])
def test_the_kept_state_is_rebuilt_when_the_database_changed_behind_it(
        change, kept, django_capture_on_commit_callbacks):
    # given a kept state, then a change made elsewhere (not a new accepted meeting)
    event, p, ab, bc = _published_four(django_capture_on_commit_callbacks)
    ab.refresh_from_db()
    bc.refresh_from_db()
    if change == "a meeting locked":
        scheduling.meeting_move(meeting=ab, actor=None, slot=ab.slot, table=ab.table,
                                locked=True)
    elif change == "a meeting deleted":
        Meeting.objects.filter(pk=ab.pk).delete()
    elif change == "a slot made unavailable":
        _unavailable(event, p, ab, bc)
    elif change == "a withdrawal":
        Participant.objects.filter(pk=p["Anna"].pk).update(withdrawn_at=timezone.now())
    else:
        Participant.objects.filter(pk=p["Dora"].pk).update(meeting_cap=4)
    cd = accepted(event, p["Carl"], p["Dora"])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        run = scheduling.schedule_place_late(event=event, actor=None)
    # then the event was built again from the database, and Carl–Dora placed
    assert kept == [event.pk]
    assert _placed(cd) == [True]
    assert run.violations == 0


def test_a_stale_kept_run_is_refused_and_the_state_dropped(
        kept, monkeypatch, django_capture_on_commit_callbacks):
    # given a kept state, and the meetings change while the late placement runs
    event, p, _ab, _bc = _published_four(django_capture_on_commit_callbacks)
    cd = accepted(event, p["Carl"], p["Dora"])
    monkeypatch.setattr(late, "unchanged", lambda record, plan: False)
    # when / then
    with pytest.raises(ApplicationError, match="changed while the scheduler ran"):
        scheduling.schedule_place_late(event=event, actor=None)
    assert _placed(cd) == [False]
    assert late.entry_of(event.pk) is None


def test_a_kept_placement_the_validator_rejects_is_not_saved(
        kept, monkeypatch, django_capture_on_commit_callbacks):
    # given a kept state and a validator that finds a double booking in the placed part
    event, p, _ab, _bc = _published_four(django_capture_on_commit_callbacks)
    cd = accepted(event, p["Carl"], p["Dora"])
    monkeypatch.setattr(late, "violations", lambda ev, schedule: [("double_booking", "x")])
    # when / then
    with pytest.raises(ApplicationError, match="broke 1 rule"):
        scheduling.schedule_place_late(event=event, actor=None)
    assert _placed(cd) == [False]
    assert late.entry_of(event.pk) is None
    refused = ScheduleRun.objects.get(mode=RunMode.LATE)
    assert (refused.violations, refused.scheduled, refused.accepted) == (1, 0, 3)


def test_a_second_publication_keeps_the_late_meetings_in_the_kept_state(
        kept, django_capture_on_commit_callbacks):
    # given a late meeting placed from the kept state, then the schedule published again
    event, p = event_on(slots=4, tables=1, names=("Anna", "Bent", "Carl", "Dora", "Erik"))
    ab = accepted(event, p["Anna"], p["Bent"])
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.schedule_optimise(event=event, actor=None, exact=True, time_limit=5)
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.schedule_publish(event=event, actor=None)
    cd = accepted(event, p["Carl"], p["Dora"])
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.schedule_place_late(event=event, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.schedule_publish(event=event, actor=None)
    # when another late meeting comes
    be = accepted(event, p["Bent"], p["Erik"])
    with django_capture_on_commit_callbacks(execute=True):
        run = scheduling.schedule_place_late(event=event, actor=None)
    # then no rebuild at all; three meetings in three of the four slots, none moved
    assert kept == []
    assert _placed(ab, cd, be) == [True, True, True]
    assert len({ab.slot_id, cd.slot_id, be.slot_id}) == 3
    assert [m.slot_id == m.published_slot_id for m in (ab, cd)] == [True, True]
    assert (run.accepted, run.scheduled, run.moved, run.violations) == (3, 3, 0, 0)
    built = adapter.build(event)
    assert violations(built.event, built.current) == []
