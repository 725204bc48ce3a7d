"""Writes of a brokerage event's set-up: the event's settings, its sessions and their slots,
its tables and its participation types.

Every write validates, saves, writes the audit log (klynge.brokerage.<entity>.<event>) and
raises ApplicationError with a message a person understands when a rule is broken. Nothing
here moves a meeting: a change that would strand a scheduled meeting (deleting its session,
making its slot a break, removing its table) is refused instead.
"""

import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.models import (
    BrokerageEvent,
    Meeting,
    ParticipationType,
    Session,
    Slot,
    Table,
)
from klynge.core.audit import changes, field_values, log_action
from klynge.core.errors import ApplicationError

#: The settings of an event that event_update changes.
EVENT_FIELDS = ("meeting_minutes", "pause_minutes", "meeting_cap", "requests_open",
                "requests_deadline")
TYPE_FIELDS = ("name", "capacity", "meeting_cap", "may_meet_same_type")
MIN_MEETING, MAX_MEETING, MAX_PAUSE = 5, 240, 120


def _hm(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def _day_hm(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _holding(meetings):
    """Meetings that hold a place (scheduled now or as published): accepted ones."""
    return meetings.filter(status=MeetingStatus.ACCEPTED)


# --- the event ----------------------------------------------------------------------------------


def _check_lengths(meeting_minutes, pause_minutes, meeting_cap) -> None:
    if meeting_minutes is None or not MIN_MEETING <= meeting_minutes <= MAX_MEETING:
        raise ApplicationError(
            _("A meeting lasts between %(low)s and %(high)s minutes.")
            % {"low": MIN_MEETING, "high": MAX_MEETING}, field="meeting_minutes")
    if pause_minutes is None or not 0 <= pause_minutes <= MAX_PAUSE:
        raise ApplicationError(
            _("The changeover between meetings is between 0 and %(high)s minutes.")
            % {"high": MAX_PAUSE}, field="pause_minutes")
    if meeting_cap is not None and meeting_cap < 1:
        raise ApplicationError(
            _("The number of meetings per participant is at least 1, or empty for no limit."),
            field="meeting_cap")


@transaction.atomic
def event_create(*, activity, actor, meeting_minutes: int = 20, pause_minutes: int = 5,
                 meeting_cap: int | None = None) -> BrokerageEvent:
    """Add B2B meetings to an activity (one event per activity).

    Rules: the activity has no brokerage event yet and is not cancelled; meetings last 5–240
    minutes, changeovers 0–120; the cap is at least 1 or empty.
    Side effects: audit entry klynge.brokerage.event.created.
    """
    if BrokerageEvent.objects.filter(activity=activity).exists():
        raise ApplicationError(
            _("%(title)s already has B2B meetings.") % {"title": activity.title},
            field="activity")
    if activity.status == "cancelled":
        raise ApplicationError(
            _("%(title)s is cancelled; B2B meetings cannot be set up for it.")
            % {"title": activity.title}, field="activity")
    _check_lengths(meeting_minutes, pause_minutes, meeting_cap)
    event = BrokerageEvent.objects.create(
        activity=activity, meeting_minutes=meeting_minutes, pause_minutes=pause_minutes,
        meeting_cap=meeting_cap)
    log_action(event, "klynge.brokerage.event.created", actor=actor, data={
        "activity": activity.pk, "meeting_minutes": meeting_minutes,
        "pause_minutes": pause_minutes, "meeting_cap": meeting_cap})
    return event


@transaction.atomic
def event_update(*, event: BrokerageEvent, actor, data: dict) -> BrokerageEvent:
    """Change an event's settings (the keys of EVENT_FIELDS present in `data`).

    Rules: the lengths as in event_create; the request deadline no later than the end of
    the activity. A new meeting length or changeover regenerates every session's slots
    (a slot keeping its start time keeps its break mark and who cannot attend it); refused
    while meetings are scheduled, since their slots would change under them.
    Side effects: audit entry klynge.brokerage.event.updated with the changes.
    """
    event = (BrokerageEvent.objects.select_for_update(of=("self",))
             .select_related("activity").get(pk=event.pk))
    before = field_values(event, EVENT_FIELDS)
    merged = {**before, **{k: v for k, v in data.items() if k in EVENT_FIELDS}}
    _check_lengths(merged["meeting_minutes"], merged["pause_minutes"], merged["meeting_cap"])
    deadline = merged["requests_deadline"]
    if deadline is not None and deadline > event.activity.ends_at:
        raise ApplicationError(
            _("Meeting requests must close before the activity ends (%(end)s).")
            % {"end": _day_hm(event.activity.ends_at)}, field="requests_deadline")
    timing = (merged["meeting_minutes"], merged["pause_minutes"]) != (
        before["meeting_minutes"], before["pause_minutes"])
    if timing and event.slots.exists():
        scheduled = _holding(Meeting.objects.filter(event=event)).filter(
            Q(slot__isnull=False) | Q(published_slot__isnull=False)).count()
        if scheduled:
            raise ApplicationError(
                _("%(n)s meetings are scheduled in the current slots; the meeting length and "
                  "changeover can change only before scheduling (or after unscheduling "
                  "them).") % {"n": scheduled}, field="meeting_minutes")
    for field in EVENT_FIELDS:
        setattr(event, field, merged[field])
    event.full_clean(exclude=["activity"])
    event.save()
    regenerated = 0
    if timing:
        for session in event.sessions.all():
            _generate_slots(event, session)
            regenerated += 1
    difference = changes(before, field_values(event, EVENT_FIELDS))
    if difference:
        log_action(event, "klynge.brokerage.event.updated", actor=actor,
                   data={"changes": difference, "sessions_regenerated": regenerated})
    return event


# --- sessions and slots ---------------------------------------------------------------------


def slot_times(*, starts_at: datetime, ends_at: datetime, meeting_minutes: int,
               pause_minutes: int) -> list[tuple[datetime, datetime]]:
    """The whole meeting slots that fit between two moments: each `meeting_minutes` long,
    the next one `pause_minutes` after the end of the one before."""
    length = timedelta(minutes=meeting_minutes)
    step = timedelta(minutes=meeting_minutes + pause_minutes)
    times, start = [], starts_at
    while start + length <= ends_at:
        times.append((start, start + length))
        start += step
    return times


def _generate_slots(event: BrokerageEvent, session: Session) -> int:
    """Make the session's slots match the event's timing: slots whose start time stays are
    kept (with their break mark and unavailability), the others removed or added."""
    wanted = slot_times(starts_at=session.starts_at, ends_at=session.ends_at,
                        meeting_minutes=event.meeting_minutes,
                        pause_minutes=event.pause_minutes)
    starts = dict(wanted)
    existing = {slot.starts_at: slot for slot in session.slots.all()}
    for start, slot in existing.items():
        if start not in starts:
            slot.delete()
        elif slot.ends_at != starts[start]:
            slot.ends_at = starts[start]
            slot.save(update_fields=["ends_at"])
    Slot.objects.bulk_create([
        Slot(event=event, session=session, starts_at=start, ends_at=end)
        for start, end in wanted if start not in existing
    ])
    return len(wanted)


@transaction.atomic
def session_add(*, event: BrokerageEvent, actor, name: str, starts_at: datetime,
                ends_at: datetime) -> Session:
    """Add a session and generate its slots: meeting_minutes long, pause_minutes apart, from
    the start; only whole slots (time left at the end that cannot hold a meeting stays
    unused).

    Rules: a name; ends after it starts; within the days of the activity; at least one
    whole slot; no overlap with another session of the event.
    Side effects: audit entry klynge.brokerage.session.added with the slots made.
    """
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the session a name (e.g. Morning)."), field="name")
    if starts_at is None or ends_at is None:
        raise ApplicationError(_("Give the session's start and end."), field="starts_at")
    if ends_at <= starts_at:
        raise ApplicationError(_("The session must end after it starts."), field="ends_at")
    activity = event.activity
    first = timezone.localtime(activity.starts_at).date()
    last = timezone.localtime(activity.ends_at).date()
    if (timezone.localtime(starts_at).date() < first
            or timezone.localtime(ends_at).date() > last):
        raise ApplicationError(
            _("The session must be on the day of the activity (%(first)s to %(last)s).")
            % {"first": first.isoformat(), "last": last.isoformat()}, field="starts_at")
    times = slot_times(starts_at=starts_at, ends_at=ends_at,
                       meeting_minutes=event.meeting_minutes, pause_minutes=event.pause_minutes)
    if not times:
        raise ApplicationError(
            _("From %(start)s to %(end)s there is no room for one meeting of %(minutes)s "
              "minutes.") % {"start": _hm(starts_at), "end": _hm(ends_at),
                             "minutes": event.meeting_minutes}, field="ends_at")
    overlap = event.sessions.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).first()
    if overlap is not None:
        raise ApplicationError(
            _("The session overlaps %(name)s (%(start)s–%(end)s); sessions cannot overlap.")
            % {"name": overlap.name, "start": _hm(overlap.starts_at),
               "end": _hm(overlap.ends_at)}, field="starts_at")
    session = Session.objects.create(event=event, name=name, starts_at=starts_at,
                                     ends_at=ends_at)
    _generate_slots(event, session)
    log_action(session, "klynge.brokerage.session.added", actor=actor, data={
        "event": event.pk, "name": name, "starts_at": starts_at, "ends_at": ends_at,
        "slots": len(times)})
    return session


@transaction.atomic
def session_delete(*, session: Session, actor) -> None:
    """Delete a session with its slots.

    Rules: refused while an accepted meeting is scheduled (or published) in one of its slots.
    Side effects: audit entry klynge.brokerage.session.deleted (logged on the event).
    """
    held = _holding(Meeting.objects.filter(event_id=session.event_id)).filter(
        Q(slot__session=session) | Q(published_slot__session=session)).count()
    if held:
        raise ApplicationError(
            _("%(n)s meetings are scheduled in %(name)s; move or unschedule them before "
              "deleting the session.") % {"n": held, "name": session.name})
    event = session.event
    data = {"session": session.pk, "name": session.name, "starts_at": session.starts_at,
            "ends_at": session.ends_at, "slots": session.slots.count()}
    session.delete()
    log_action(event, "klynge.brokerage.session.deleted", actor=actor, data=data)


@transaction.atomic
def slot_set_break(*, slot: Slot, actor, is_break: bool) -> Slot:
    """Mark a slot as a break (no meetings; not counted as waiting time) or a meeting slot.

    Rules: a slot holding an accepted meeting (scheduled or published) cannot become a
    break. Side effects: audit entry klynge.brokerage.slot.break_set / break_unset.
    """
    is_break = bool(is_break)
    if slot.is_break == is_break:
        return slot
    if is_break:
        held = _holding(slot.event.meetings).filter(
            Q(slot=slot) | Q(published_slot=slot)).count()
        if held:
            raise ApplicationError(
                _("%(n)s meetings are scheduled at %(time)s; move them before making the slot "
                  "a break.") % {"n": held, "time": str(slot)})
    slot.is_break = is_break
    slot.save(update_fields=["is_break"])
    log_action(slot, "klynge.brokerage.slot.break_set" if is_break
               else "klynge.brokerage.slot.break_unset", actor=actor,
               data={"event": slot.event_id, "starts_at": slot.starts_at})
    return slot


# --- tables -----------------------------------------------------------------------------------


def _table_name(number: int) -> str:
    return _("Table %(n)s") % {"n": number}


def _holding_tables(event: BrokerageEvent, tables) -> dict[int, int]:
    """Accepted meetings per table (scheduled or published) among `tables`."""
    ids = [table.pk for table in tables]
    counts: dict[int, int] = {}
    for meeting in _holding(event.meetings).filter(
            Q(table_id__in=ids) | Q(published_table_id__in=ids)).only(
            "table_id", "published_table_id"):
        for table_id in {meeting.table_id, meeting.published_table_id}:
            if table_id in ids:
                counts[table_id] = counts.get(table_id, 0) + 1
    return counts


def _refuse_held(event: BrokerageEvent, tables) -> None:
    counts = _holding_tables(event, tables)
    if counts:
        names = ", ".join(t.name for t in tables if t.pk in counts)
        raise ApplicationError(
            _("Meetings are scheduled at %(names)s; move them before removing the table.")
            % {"names": names}, field="count")


def _rename(event: BrokerageEvent, tables: list[Table], names: list[str]) -> None:
    """Rename `tables` to `names` in order, through temporary names so that two tables
    may swap names without breaking the one-name-per-event rule."""
    changed = [(t, n) for t, n in zip(tables, names, strict=True) if t.name != n]
    for table, _name in changed:
        table.name = f"~{uuid.uuid4().hex}"  # unique, and a text PostgreSQL accepts
        table.save(update_fields=["name"])
    for table, name in changed:
        table.name = name
        table.save(update_fields=["name"])


def _clean_names(names: list[str]) -> list[str]:
    cleaned = [(name or "").strip() for name in names]
    if not cleaned or any(not name for name in cleaned):
        raise ApplicationError(_("Every table needs a name."), field="names")
    if any(len(name) > 60 for name in cleaned):
        raise ApplicationError(_("A table name has at most 60 characters."), field="names")
    seen: set[str] = set()
    for name in cleaned:
        if name.casefold() in seen:
            raise ApplicationError(
                _("Two tables cannot both be called %(name)s.") % {"name": name},
                field="names")
        seen.add(name.casefold())
    return cleaned


@transaction.atomic
def tables_set(*, event: BrokerageEvent, actor, count: int | None = None,
               names: list[str] | None = None) -> list[Table]:
    """Set the event's tables: `count` numbered tables ("Table 1".."Table N": new ones are
    numbered on, surplus ones removed from the end), or exactly `names` in order (the first
    tables renamed, more added, surplus removed).

    Rules: 0–500 tables; names unique and non-empty; a table holding an accepted meeting
    (scheduled or published) is never removed.
    Side effects: audit entry klynge.brokerage.tables.set on the event.
    """
    BrokerageEvent.objects.select_for_update(of=("self",)).filter(pk=event.pk).first()
    tables = list(event.tables.all())
    if names is not None:
        wanted = _clean_names(names)
        count = len(wanted)
    elif count is None:
        raise ApplicationError(_("Give the number of tables."), field="count")
    else:
        wanted = None
    if not 0 <= count <= 500:
        raise ApplicationError(_("An event has between 0 and 500 tables."), field="count")
    surplus = tables[count:]
    _refuse_held(event, surplus)
    before = [t.name for t in tables]
    for table in surplus:
        table.delete()
    kept = tables[:count]
    if wanted is not None:
        _rename(event, kept, wanted[:len(kept)])
        new_names = wanted[len(kept):]
    else:
        taken = {t.name.casefold() for t in kept}
        new_names = []
        number = len(kept)
        while len(new_names) < count - len(kept):
            number += 1
            if _table_name(number).casefold() not in taken:
                new_names.append(_table_name(number))
    position = (event.tables.aggregate(top=Max("position"))["top"] or 0)
    for offset, name in enumerate(new_names, start=1):
        Table.objects.create(event=event, name=name, position=position + offset)
    after = list(event.tables.all())
    log_action(event, "klynge.brokerage.tables.set", actor=actor,
               data={"before": before, "after": [t.name for t in after]})
    return after


@transaction.atomic
def table_rename(*, table: Table, actor, name: str) -> Table:
    """Rename one table. Rules: a name of at most 60 characters, unused in the event."""
    (name,) = _clean_names([name])
    other = Table.objects.filter(event_id=table.event_id, name__iexact=name).exclude(
        pk=table.pk).first()
    if other is not None:
        raise ApplicationError(
            _("Two tables cannot both be called %(name)s.") % {"name": other.name},
            field="name")
    old = table.name
    table.name = name
    table.save(update_fields=["name"])
    log_action(table, "klynge.brokerage.table.renamed", actor=actor,
               data={"event": table.event_id, "from": old, "to": name})
    return table


@transaction.atomic
def table_delete(*, table: Table, actor) -> None:
    """Remove one table. Rules: refused while it holds an accepted meeting (scheduled or
    published). Side effects: audit entry klynge.brokerage.table.deleted on the event."""
    event = table.event
    _refuse_held(event, [table])
    name = table.name
    table.delete()
    log_action(event, "klynge.brokerage.table.deleted", actor=actor,
               data={"table": name})


# --- participation types ----------------------------------------------------------------------


def _active_of_type(kind: ParticipationType) -> int:
    return kind.participants.filter(withdrawn_at__isnull=True).count()


@transaction.atomic
def type_save(*, event: BrokerageEvent, actor, type: ParticipationType | None = None,  # noqa: A002
              data: dict) -> ParticipationType:
    """Add a participation type (type None) or change one.

    Rules: a name unique in the event; a capacity (if any) not below the participants who
    already have the type; a meeting cap of at least 1 or empty.
    Side effects: audit entry klynge.brokerage.type.created / updated.
    """
    creating = type is None
    kind = ParticipationType(event=event) if creating else type
    if not creating and kind.event_id != event.pk:
        raise ApplicationError(_("This participation type belongs to another event."))
    before = field_values(kind, TYPE_FIELDS) if not creating else {}
    name = (data.get("name", kind.name) or "").strip()
    if not name:
        raise ApplicationError(_("Give the participation type a name (e.g. Buyer)."),
                               field="name")
    if event.participation_types.filter(name__iexact=name).exclude(pk=kind.pk).exists():
        raise ApplicationError(
            _("The event already has a participation type called %(name)s.") % {"name": name},
            field="name")
    capacity = data.get("capacity", kind.capacity)
    if capacity is not None and capacity < 0:
        raise ApplicationError(_("The capacity cannot be negative."), field="capacity")
    if capacity is not None and not creating:
        current = _active_of_type(kind)
        if capacity < current:
            raise ApplicationError(
                _("%(n)s participants already have this type; the capacity cannot be lower.")
                % {"n": current}, field="capacity")
    meeting_cap = data.get("meeting_cap", kind.meeting_cap)
    if meeting_cap is not None and meeting_cap < 1:
        raise ApplicationError(
            _("The number of meetings per participant is at least 1, or empty for the event's "
              "limit."), field="meeting_cap")
    kind.name, kind.capacity, kind.meeting_cap = name, capacity, meeting_cap
    kind.may_meet_same_type = bool(data.get("may_meet_same_type", kind.may_meet_same_type))
    if creating:
        top = event.participation_types.aggregate(top=Max("position"))["top"]
        kind.position = (top or 0) + 1
    kind.save()
    after = field_values(kind, TYPE_FIELDS)
    if creating:
        log_action(kind, "klynge.brokerage.type.created", actor=actor,
                   data={"event": event.pk, **after})
    elif changes(before, after):
        log_action(kind, "klynge.brokerage.type.updated", actor=actor,
                   data={"event": event.pk, "changes": changes(before, after)})
    return kind


@transaction.atomic
def type_delete(*, type: ParticipationType, actor) -> None:  # noqa: A002
    """Delete a participation type. Rules: refused while participants (also withdrawn ones,
    whose record keeps the type) have it. Side effects: audit entry
    klynge.brokerage.type.deleted on the event."""
    used = type.participants.count()
    if used:
        raise ApplicationError(
            _("%(n)s participants have the type %(name)s; give them another type first.")
            % {"n": used, "name": type.name})
    event = type.event
    name = type.name
    type.delete()
    log_action(event, "klynge.brokerage.type.deleted", actor=actor, data={"type": name})
