"""Writes of the schedule: run the scheduler, place late requests, publish, move a meeting.

Every run goes through the pure scheduler (`brokerage.domain`) via `adapter`, is checked by
the independent validator before anything is saved (a schedule with violations is refused
and the run is stored with their count), and is stored as a `ScheduleRun` beside the LP
bound, so the organiser sees "scheduled X of at most Y".
"""

import logging
import math
import threading
import time
from dataclasses import replace

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klynge.brokerage import adapter, late
from klynge.brokerage import selectors_agenda as agendas
from klynge.brokerage.choices import MeetingStatus, RunMode
from klynge.brokerage.domain import bound as lp
from klynge.brokerage.domain import exact as cpsat
from klynge.brokerage.domain import heuristic
from klynge.brokerage.domain.model import Event, Schedule, breaks, value
from klynge.brokerage.domain.validate import violations
from klynge.brokerage.models import BrokerageEvent, Meeting, ScheduleRun, Slot, Table
from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError

logger = logging.getLogger(__name__)

#: Events with at most this many accepted meetings are solved exactly (CP-SAT) by default.
EXACT_LIMIT = 400
#: Default time limits (seconds) of a full run.
EXACT_SECONDS = 10.0
HEURISTIC_SECONDS = 3.0


def _workers() -> int:
    return int(getattr(settings, "KLYNGE_SCHEDULER_WORKERS", 2))


def _unweighted(event: Event) -> Event:
    return replace(event, requests=tuple(replace(r, priority=1.0) for r in event.requests))


#: Above this many accepted meetings with different priorities, the bound on the number of
#: meetings is counted (see `_counted_bound`) instead of solving a second LP: the LP takes
#: seconds at that size (bench/brokerage_app.py) and the weighted one is solved anyway.
SECOND_LP_LIMIT = 3000


def _counted_bound(event: Event) -> int:
    """A valid bound on the number of meetings without an LP: no more than the requests, no
    more than the meetings the slots can hold (per slot the tables, and half the participants
    free then who have a request), and no more than half the meetings the participants can
    each have (their cap, their free slots, their requests)."""
    wants: dict = {}
    for r in event.requests:
        for p in r.pair:
            wants[p] = wants.get(p, 0) + 1
    per_slot = 0
    for slot in range(event.n_slots):
        free = sum(1 for p in wants if slot not in event.unavailable.get(p, ()))
        per_slot += min(event.tables, free // 2)
    each = 0
    for p, n in wants.items():
        free_slots = event.n_slots - len(event.unavailable.get(p, ()))
        cap = event.caps.get(p)
        each += min(n, free_slots, cap if cap is not None else n)
    return min(len(event.requests), per_slot, each // 2)


def _bounds(event: Event) -> tuple[float, int]:
    """The LP bound on the weighted value, and on the number of meetings (an unweighted LP,
    rounded down: a number of meetings is whole; for a large event with mixed priorities the
    counted bound, which may be weaker)."""
    weighted = lp.lp_bound(event)
    priorities = {r.priority for r in event.requests}
    if len(priorities) <= 1:
        p = priorities.pop() if priorities else 1.0
        meetings = weighted / p
    elif len(event.requests) > SECOND_LP_LIMIT:
        return weighted, _counted_bound(event)
    else:
        meetings = lp.lp_bound(_unweighted(event))
    return weighted, min(int(math.floor(meetings + 1e-6)), _counted_bound(event))


def _record_refused(built, *, mode, actor, found, seconds) -> None:
    _store_refused(built.record, accepted=len(built.event.requests), mode=mode, actor=actor,
                   found=found, seconds=seconds)


def _store_refused(record, *, accepted, mode, actor, found, seconds) -> None:
    with transaction.atomic():
        run = ScheduleRun.objects.create(
            event=record, mode=mode, started_by=_user(actor),
            accepted=accepted, scheduled=0, seconds=round(seconds, 3),
            violations=len(found))
        log_action(record, "klynge.brokerage.schedule.refused", actor=actor,
                   data={"run": run.pk, "mode": mode, "violations": [list(v) for v in found[:20]]})


def _refusal(count: int) -> ApplicationError:
    return ApplicationError(
        _("The scheduler's result broke %(count)s rule(s) and was not saved; the schedule "
          "is unchanged. Please try again or report this.") % {"count": count})


def _stale() -> ApplicationError:
    return ApplicationError(_("The meetings changed while the scheduler ran (a request "
                              "was accepted or cancelled); run it again."))


def _user(actor):
    return actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) \
        else None


def _save_run(built, before, schedule: Schedule, *, mode, actor, seconds, optimal,
              bound, bound_meetings) -> ScheduleRun:
    """Check, save and record a schedule; refuses one with violations or made on stale data."""
    found = violations(built.event, schedule)
    if found:
        logger.error("Scheduler run refused for event %s: %s", built.record.pk, found[:5])
        _record_refused(built, mode=mode, actor=actor, found=found, seconds=seconds)
        raise _refusal(len(found))
    with transaction.atomic():
        BrokerageEvent.objects.select_for_update(of=("self",)).filter(pk=built.record.pk).first()
        if adapter.fingerprint(built.record) != before:
            raise _stale()
        moved = adapter.save(built, schedule)
        # Kept for the late requests of the day (see `brokerage.late`).
        late.seed(built, schedule, bound=bound, bound_meetings=bound_meetings)
        run = ScheduleRun.objects.create(
            event=built.record, mode=mode, started_by=_user(actor),
            accepted=len(built.event.requests), scheduled=len(schedule.placements),
            value=float(value(built.event, schedule)), bound=bound,
            bound_meetings=bound_meetings,
            breaks=sum(breaks(built.event, schedule).values()), moved=moved,
            seconds=round(seconds, 3), optimal=optimal, violations=0)
        log_action(built.record, f"klynge.brokerage.schedule.{mode}", actor=actor, data={
            "run": run.pk, "scheduled": run.scheduled, "accepted": run.accepted,
            "value": run.value, "bound": bound, "breaks": run.breaks, "moved": moved,
            "seconds": run.seconds,
        })
    return run


def _rank(event: Event, schedule: Schedule) -> tuple:
    """Better schedules rank higher: more weighted value, then fewer breaks."""
    return (round(value(event, schedule), 6), -sum(breaks(event, schedule).values()))


def schedule_optimise(*, event: BrokerageEvent, actor, exact: bool | None = None,
                      time_limit: float | None = None) -> ScheduleRun:
    """Schedule every accepted meeting as well as possible: the priority-weighted number of
    meetings first, then everyone with a possible meeting gets one, then fewest breaks.

    Rules: the event has slots and tables; locked and published meetings stay where they
    are; the run starts from the current schedule. `exact` None: CP-SAT when there are at
    most EXACT_LIMIT accepted meetings, else the heuristic (with break reduction). The LP
    bound is stored beside the result; the validator must find no violation, else nothing is
    saved (the refused run is stored with the count).
    Side effects: meetings' slot and table; a ScheduleRun; audit
    klynge.brokerage.schedule.optimise / .exact.
    """
    before = adapter.fingerprint(event)
    built = adapter.build(event)
    domain_event = built.event
    if not domain_event.requests:
        raise ApplicationError(_("There are no accepted meetings to schedule yet."))
    if exact is None:
        exact = len(domain_event.requests) <= EXACT_LIMIT
    started = time.perf_counter()
    weighted_bound, meetings_bound = _bounds(domain_event)
    start = built.current if not violations(domain_event, built.current) else None
    schedule, optimal = None, False
    if exact:
        # CP-SAT starts from the heuristic's schedule (a good one in a fraction of a second),
        # so a short time limit never ends below what the heuristic alone would give.
        limit = time_limit or EXACT_SECONDS
        quick = heuristic.schedule(domain_event, seed=0, time_limit=min(0.5, 0.1 * limit),
                                   start=start)
        result = cpsat.maximise(domain_event, time_limit=limit, hint=quick,
                                workers=_workers(), seed=0)
        schedule, optimal = result.schedule, result.optimal
        if schedule is None or _rank(domain_event, quick) > _rank(domain_event, schedule):
            schedule, optimal = quick, value(domain_event, quick) >= weighted_bound - 1e-6
    if schedule is None:
        exact = False
        limit = time_limit or HEURISTIC_SECONDS
        schedule = heuristic.schedule(domain_event, seed=0, time_limit=0.7 * limit, start=start)
        schedule = heuristic.reduce_breaks(domain_event, schedule, time_limit=0.3 * limit)
        optimal = value(domain_event, schedule) >= weighted_bound - 1e-6
    return _save_run(built, before, schedule, mode=RunMode.EXACT if exact else RunMode.OPTIMISE,
                     actor=actor, seconds=time.perf_counter() - started, optimal=optimal,
                     bound=weighted_bound, bound_meetings=meetings_bound)


def schedule_place_late(*, event: BrokerageEvent, actor=None) -> ScheduleRun:
    """Place the accepted meetings that have no slot yet, without moving locked or published
    meetings (others may move by one step to make room).

    When this process keeps the state it last saved for the event and the database holds
    exactly that plus newly accepted meetings (`brokerage.late`: `plan_for`), only those are placed,
    into the kept state (an `incremental.LatePlacer`), checked by the validator on the part
    of the schedule they touch, and written with one update each; the bound grows by their
    priorities (the LP bound of the event with more requests is at most the old bound plus
    their weight). Otherwise the event is built from the database and every waiting meeting
    is placed, as a full run does. Either way a run on stale data is refused.
    Side effects: meetings' slot and table; a ScheduleRun (mode late); audit
    klynge.brokerage.schedule.late.
    """
    with _late_lock:
        run = _place_late_kept(event, actor)
        if run is None:
            run = _place_late_rebuilt(event, actor)
    return run


_late_lock = threading.Lock()


def _place_late_kept(event: BrokerageEvent, actor) -> ScheduleRun | None:
    """The late placement into the kept state (None: there is none that matches the
    database). The state is compared with the database inside the saving transaction, with
    the event locked, so the placement is never made on stale data; a last check of the
    meetings' count and sum of pks just before writing refuses the run if a meeting was added
    or deleted meanwhile. A meeting accepted earlier that could not be placed then is not
    tried again here (nothing was freed since: any cancellation or other change rebuilds)."""
    if late.entry_of(event.pk) is None:
        return None
    with transaction.atomic():
        BrokerageEvent.objects.select_for_update(of=("self",)).filter(pk=event.pk).first()
        plan = late.plan_for(event)
        if plan is None:
            return None
        started = time.perf_counter()
        try:
            changed = late.place(plan)
            found = late.check(plan, changed)
        except Exception:
            late.forget(event.pk)
            raise
        entry = plan.entry
        seconds = time.perf_counter() - started
        if not found:
            if not late.unchanged(event, plan):
                late.forget(event.pk)
                raise _stale()
            try:
                moved, _change = late.save(plan, changed)
            except Exception:
                late.forget(event.pk)
                raise
            optimal = entry.bound is not None and entry.value >= entry.bound - 1e-6
            run = ScheduleRun.objects.create(
                event=event, mode=RunMode.LATE, started_by=_user(actor),
                accepted=len(entry.requests), scheduled=len(entry.placements),
                value=entry.value, bound=entry.bound, bound_meetings=entry.bound_meetings,
                breaks=entry.breaks, moved=moved, seconds=round(seconds, 3), optimal=optimal,
                violations=0)
            log_action(event, f"klynge.brokerage.schedule.{RunMode.LATE}", actor=actor, data={
                "run": run.pk, "scheduled": run.scheduled, "accepted": run.accepted,
                "value": run.value, "bound": run.bound, "breaks": run.breaks, "moved": moved,
                "seconds": run.seconds, "placed": sorted(changed), "kept_state": True,
            })
            return run
    late.forget(event.pk)
    logger.error("Late placement refused for event %s: %s", event.pk, found[:5])
    _store_refused(event, accepted=len(entry.requests), mode=RunMode.LATE, actor=actor,
                   found=found, seconds=seconds)
    raise _refusal(len(found))


def _place_late_rebuilt(event: BrokerageEvent, actor) -> ScheduleRun:
    before = adapter.fingerprint(event)
    built = adapter.build(event)
    started = time.perf_counter()
    waiting = [r.id for r in built.event.requests if r.id not in built.current.placements]
    schedule = built.current
    if waiting:
        schedule = heuristic.place_late(built.event, built.current, waiting,
                                        frozen=built.published_ids)
    weighted_bound, meetings_bound = _bounds(built.event)
    return _save_run(built, before, schedule, mode=RunMode.LATE, actor=actor,
                     seconds=time.perf_counter() - started,
                     optimal=value(built.event, schedule) >= weighted_bound - 1e-6,
                     bound=weighted_bound, bound_meetings=meetings_bound)


# --- publishing -------------------------------------------------------------------------------


def _changed_participants(event: BrokerageEvent) -> set[int]:
    """Participants with a meeting whose place differs from what they were told: moved,
    newly scheduled, unscheduled, or cancelled/declined after publication."""
    ids = set()
    for m in Meeting.objects.filter(event=event):
        was_published = m.published_slot_id is not None
        if m.status == MeetingStatus.ACCEPTED:
            changed = (m.slot_id, m.table_id) != (m.published_slot_id, m.published_table_id)
        else:
            changed = was_published
        if changed:
            ids.update((m.requester_id, m.recipient_id))
    return ids


def publication_recipients(event: BrokerageEvent) -> list:
    """Who publishing now e-mails: the first time every active participant with a scheduled
    meeting; later only those whose meetings changed since the last publication."""
    active = event.participants.filter(withdrawn_at__isnull=True).select_related("person")
    if event.published_at is None:
        scheduled = set()
        for a, b in Meeting.objects.filter(event=event, status=MeetingStatus.ACCEPTED,
                                           slot__isnull=False).values_list("requester_id",
                                                                           "recipient_id"):
            scheduled.update((a, b))
        return [p for p in active if p.pk in scheduled]
    changed = _changed_participants(event)
    return [p for p in active if p.pk in changed]


def _send_agenda(participant, *, first: bool, activity, items=None) -> None:
    person = participant.person
    if items is None:
        items = agendas.agenda(participant, published=True)
    with translation.override(person.language or settings.LANGUAGE_CODE):
        context = {
            "person": person, "participant": participant, "activity": activity,
            "items": items,
            "links": agendas.links(participant),
            "cluster_name": getattr(settings, "KLYNGE_CLUSTER_NAME", "Klynge"),
        }
        if first:
            subject = _("Your meeting agenda for %(event)s") % {"event": activity.title}
            body = render_to_string("brokerage/email/published.txt", context)
        else:
            subject = _("Your meeting agenda for %(event)s has changed") % {
                "event": activity.title}
            body = render_to_string("brokerage/email/changed.txt", context)
    send_mail(subject, body, None, [person.email], fail_silently=False)


def schedule_publish(*, event: BrokerageEvent, actor) -> int:
    """Publish the schedule: every accepted meeting's slot and table become its published
    place, and participants are e-mailed their agenda (in their language, with links to
    their agenda page and .ics). The first publication e-mails everyone with a meeting;
    later ones only those whose meetings changed or were cancelled. Returns how many
    e-mails go out.

    Rules: at least one meeting is scheduled.
    Side effects: published_slot/table (cleared on meetings no longer accepted);
    event.published_at; e-mails on commit; audit klynge.brokerage.schedule.published.
    """
    with transaction.atomic():
        event = (BrokerageEvent.objects.select_for_update(of=("self",))
                 .select_related("activity").get(pk=event.pk))
        if not Meeting.objects.filter(event=event, status=MeetingStatus.ACCEPTED,
                                      slot__isnull=False).exists():
            raise ApplicationError(_("No meeting is scheduled yet: run the scheduler before "
                                     "publishing."))
        first = event.published_at is None
        recipients = publication_recipients(event)
        # One statement each (not a bulk update of every row), with updated_at: the late
        # state kept by other processes must see that the meetings are published now.
        now = timezone.now()
        Meeting.objects.filter(event=event, status=MeetingStatus.ACCEPTED).update(
            published_slot=F("slot"), published_table=F("table"), updated_at=now)
        Meeting.objects.filter(event=event).exclude(status=MeetingStatus.ACCEPTED).filter(
            Q(published_slot__isnull=False) | Q(published_table__isnull=False)).update(
            published_slot=None, published_table=None, updated_at=now)
        event.published_at = timezone.now()
        event.save(update_fields=["published_at", "updated_at"])
        log_action(event, "klynge.brokerage.schedule.published", actor=actor, data={
            "first": first, "emails": len(recipients),
            "participants": [p.pk for p in recipients],
        })
        activity = event.activity
        ids = [p.pk for p in recipients]
        transaction.on_commit(lambda: late.published(event.pk))

        def send():
            from klynge.brokerage.models import Participant

            participants = list(Participant.objects.filter(pk__in=ids)
                                .select_related("person"))
            items = agendas.published_agendas(event, participants)
            for participant in participants:
                try:
                    _send_agenda(participant, first=first, activity=activity,
                                 items=items[participant.pk])
                except Exception:  # one bad address must not stop the others
                    logger.exception("Could not e-mail the agenda to participant %s",
                                     participant.pk)

        transaction.on_commit(send)
    return len(recipients)


# --- moving one meeting -----------------------------------------------------------------------


def _busy_with(participant, slot, meeting):
    return (Meeting.objects.filter(event=meeting.event, status=MeetingStatus.ACCEPTED, slot=slot)
            .exclude(pk=meeting.pk)
            .filter(models_q(participant))
            .select_related("requester__person", "recipient__person").first())


def models_q(participant):
    return Q(requester=participant) | Q(recipient=participant)


def move_obstacles(*, meeting: Meeting, slot: Slot, table: Table | None) -> list[str]:
    """Why the meeting cannot go to this slot and table, in words (empty: it can)."""
    problems = []
    if slot.is_break:
        problems.append(_("%(slot)s is a break: no meetings are held then.") % {"slot": slot})
    for side in (meeting.requester, meeting.recipient):
        other = _busy_with(side, slot, meeting)
        if other is not None:
            problems.append(
                _("%(person)s already has a meeting at %(slot)s (with %(other)s).")
                % {"person": side.person.full_name, "slot": slot,
                   "other": other.other(side).person.full_name})
        if side.unavailable.filter(pk=slot.pk).exists():
            problems.append(_("%(person)s is not available at %(slot)s.")
                            % {"person": side.person.full_name, "slot": slot})
        if meeting.slot_id is None:
            cap = adapter.cap_of(side, meeting.event)
            held = Meeting.objects.filter(models_q(side), status=MeetingStatus.ACCEPTED,
                                          slot__isnull=False).count()
            if cap is not None and held >= cap:
                problems.append(ngettext("%(person)s already has %(count)s meeting, their limit.",
                                         "%(person)s already has %(count)s meetings, their "
                                         "limit.", held)
                                % {"person": side.person.full_name, "count": held})
    if table is not None:
        taken = (Meeting.objects.filter(event=meeting.event, status=MeetingStatus.ACCEPTED,
                                        slot=slot, table=table)
                 .exclude(pk=meeting.pk).select_related("requester__person",
                                                        "recipient__person").first())
        if taken is not None:
            problems.append(_("%(table)s is taken at %(slot)s (%(meeting)s).")
                            % {"table": table, "slot": slot, "meeting": taken})
    elif Meeting.objects.filter(event=meeting.event, status=MeetingStatus.ACCEPTED,
                                slot=slot).exclude(pk=meeting.pk).count() >= \
            meeting.event.tables.count():
        problems.append(_("Every table is taken at %(slot)s.") % {"slot": slot})
    return problems


def meeting_move(*, meeting: Meeting, actor, slot: Slot | None, table: Table | None,
                 locked: bool) -> Meeting:
    """The organiser puts a meeting at a slot and table (or takes it out of the schedule with
    no slot) and locks it or not; a locked meeting stays where it is in later runs.

    Rules: an accepted meeting of active participants; slot and table of this event; neither
    side busy or unavailable then; the table free (no table given: the lowest free one); a
    meeting newly placed must not exceed a side's cap.
    Side effects: slot, table, locked; audit klynge.brokerage.meeting.moved.
    """
    with transaction.atomic():
        meeting = (Meeting.objects.select_for_update(of=("self",))
                   .select_related("event", "requester__person", "recipient__person")
                   .get(pk=meeting.pk))
        if meeting.status != MeetingStatus.ACCEPTED:
            raise ApplicationError(_("Only accepted meetings can be placed in the schedule."))
        if not (meeting.requester.is_active and meeting.recipient.is_active):
            raise ApplicationError(_("One side has withdrawn from the event."))
        if slot is not None and slot.event_id != meeting.event_id:
            raise ApplicationError(_("Choose a slot of this event."), field="slot")
        if table is not None and table.event_id != meeting.event_id:
            raise ApplicationError(_("Choose a table of this event."), field="table")
        if slot is None and table is not None:
            raise ApplicationError(_("Choose the slot too, or neither."), field="slot")
        before = {"slot": str(meeting.slot or ""), "table": str(meeting.table or ""),
                  "locked": meeting.locked}
        if slot is not None:
            problems = move_obstacles(meeting=meeting, slot=slot, table=table)
            if problems:
                raise ApplicationError(" ".join(problems), field="slot")
            if table is None:
                used = set(Meeting.objects.filter(event=meeting.event, slot=slot,
                                                  status=MeetingStatus.ACCEPTED)
                           .exclude(pk=meeting.pk).values_list("table_id", flat=True))
                table = meeting.event.tables.exclude(pk__in=used).order_by("position",
                                                                           "pk").first()
        meeting.slot, meeting.table = slot, table
        meeting.locked = bool(locked) and slot is not None
        meeting.save(update_fields=["slot", "table", "locked", "updated_at"])
        log_action(meeting, "klynge.brokerage.meeting.moved", actor=actor, data={
            "from": before, "to": {"slot": str(slot or ""), "table": str(table or ""),
                                   "locked": meeting.locked}})
    return meeting
