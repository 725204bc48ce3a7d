"""Reads of the schedule for the organiser: runs, figures, the grid of slots × tables (one
session and one page of tables at a time), each participant's day (a page at a time), the
meetings to check in slot by slot, and the accepted meetings left unscheduled with the reason
in words. Every page is read in a fixed number of queries, whatever the size of the event."""

from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klynge.brokerage.adapter import cap_of
from klynge.brokerage.choices import Attendance, MeetingStatus
from klynge.brokerage.domain.model import breaks_of
from klynge.brokerage.models import (
    BrokerageEvent,
    Meeting,
    Participant,
    ScheduleRun,
    Session,
    Slot,
    Table,
)
from klynge.core.listing import search_terms

TABLES_PER_PAGE = 30
PEOPLE_PER_PAGE = 50
WAITING_PER_PAGE = 30
CHECKIN_PER_PAGE = 100
PEOPLE_SEARCH = ("person__first_name", "person__last_name", "person__email",
                 "organisation__name")
CHECKIN_SEARCH = ("requester__person__first_name", "requester__person__last_name",
                  "requester__organisation__name", "recipient__person__first_name",
                  "recipient__person__last_name", "recipient__organisation__name",
                  "table__name")


def event_for_organiser(pk: int) -> BrokerageEvent:
    return get_object_or_404(BrokerageEvent.objects.select_related("activity"), pk=pk)


def runs(event: BrokerageEvent, limit: int = 10) -> list[ScheduleRun]:
    return list(event.runs.select_related("started_by")[:limit])


def scheduled_meetings(event: BrokerageEvent):
    return (Meeting.objects.filter(event=event, status=MeetingStatus.ACCEPTED,
                                   slot__isnull=False)
            .select_related("requester__person", "requester__organisation",
                            "recipient__person", "recipient__organisation", "slot", "table"))


def _active_accepted(event: BrokerageEvent):
    return Meeting.objects.filter(event=event, status=MeetingStatus.ACCEPTED,
                                  requester__withdrawn_at__isnull=True,
                                  recipient__withdrawn_at__isnull=True)


def _moved_since_publication() -> Q:
    """A published meeting whose slot or table is no longer the published one (NULL-safe)."""
    return Q(published_slot__isnull=False) & (
        Q(slot__isnull=True) | ~Q(slot=F("published_slot"))
        | Q(table__isnull=True, published_table__isnull=False)
        | Q(table__isnull=False, published_table__isnull=True)
        | (Q(table__isnull=False, published_table__isnull=False)
           & ~Q(table=F("published_table"))))


def counts(event: BrokerageEvent) -> dict:
    """The schedule's figures in one aggregate query (plus the slots and tables counted)."""
    changed = _moved_since_publication()
    if event.published_at is not None:
        changed |= Q(published_slot__isnull=True, slot__isnull=False)
    figures = _active_accepted(event).aggregate(
        accepted=Count("pk"),
        scheduled=Count("pk", filter=Q(slot__isnull=False)),
        locked=Count("pk", filter=Q(locked=True)),
        published=Count("pk", filter=Q(published_slot__isnull=False)),
        changed=Count("pk", filter=changed))
    figures["slots"] = Slot.objects.filter(event=event, is_break=False).count()
    figures["tables"] = Table.objects.filter(event=event).count()
    return figures


def publication_recipient_count(event: BrokerageEvent) -> int:
    """How many participants publishing now would e-mail: the rule of
    `services.scheduling.publication_recipients` (the first time every active participant
    with a scheduled meeting; later those with a meeting moved, newly scheduled, unscheduled,
    or cancelled/declined after publication), counted from two columns instead of loading
    every participant and meeting."""
    meetings = Meeting.objects.filter(event=event)
    if event.published_at is None:
        meetings = meetings.filter(status=MeetingStatus.ACCEPTED, slot__isnull=False)
    else:
        meetings = meetings.annotate(
            at=Coalesce("slot", 0), was_at=Coalesce("published_slot", 0),
            on=Coalesce("table", 0), was_on=Coalesce("published_table", 0)).filter(
            (Q(status=MeetingStatus.ACCEPTED) & (~Q(at=F("was_at")) | ~Q(on=F("was_on"))))
            | (~Q(status=MeetingStatus.ACCEPTED) & Q(published_slot__isnull=False)))
    told = set()
    for a, b in meetings.values_list("requester_id", "recipient_id"):
        told.update((a, b))
    active = Participant.objects.filter(event=event, withdrawn_at__isnull=True)
    return sum(1 for pk in active.values_list("pk", flat=True) if pk in told)


# --- sessions, slots and pages of tables ------------------------------------------------------


def slots_of(event: BrokerageEvent) -> list[Slot]:
    """Every slot of the event (breaks included) with its session, in time order."""
    return list(Slot.objects.filter(event=event).select_related("session")
                .order_by("starts_at", "pk"))


def sessions_of(event: BrokerageEvent, slots: list[Slot]) -> list[dict]:
    """The sessions in time order, each with its slots (from `slots`) and its number of
    scheduled meetings (one aggregate query)."""
    scheduled = dict(Meeting.objects.filter(event=event, status=MeetingStatus.ACCEPTED,
                                            slot__isnull=False)
                     .values_list("slot__session").annotate(n=Count("pk"))
                     .order_by())
    result = []
    for session in Session.objects.filter(event=event).order_by("starts_at", "pk"):
        mine = [s for s in slots if s.session_id == session.pk]
        result.append({"session": session, "slots": mine,
                       "meeting_slots": sum(1 for s in mine if not s.is_break),
                       "scheduled": scheduled.get(session.pk, 0)})
    return result


def current_slot(slots: list[Slot], now=None) -> Slot | None:
    """On the event day, the meeting slot in progress, else the next one that day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    for slot in slots:
        if slot.is_break or timezone.localdate(slot.starts_at) != today:
            continue
        if slot.ends_at > now:
            return slot
    return None


def table_page(event: BrokerageEvent, number, per_page: int | None = None):
    """One page of the event's tables (a Django Page: `object_list`, `paginator`)."""
    return Paginator(Table.objects.filter(event=event).order_by("position", "pk"),
                     per_page or TABLES_PER_PAGE).get_page(number)


@dataclass
class GridRow:
    slot: Slot
    cells: list  # one Meeting or None per table


def grid(event: BrokerageEvent, *, slots: list[Slot] | None = None,
         tables: list[Table] | None = None) -> tuple[list[Table], list[GridRow]]:
    """Slots (breaks included, as rows without cells) × tables with their meetings: the
    whole event, or only the given slots and tables (one query for the meetings)."""
    meetings = scheduled_meetings(event)
    if tables is None:
        tables = list(Table.objects.filter(event=event).order_by("position", "pk"))
    else:
        meetings = meetings.filter(table__in=[t.pk for t in tables])
    if slots is None:
        slots = slots_of(event)
    else:
        meetings = meetings.filter(slot__in=[s.pk for s in slots if not s.is_break])
    column = {t.pk: i for i, t in enumerate(tables)}
    by_slot = defaultdict(lambda: [None] * len(tables))
    for m in meetings:
        if m.table_id in column:
            by_slot[m.slot_id][column[m.table_id]] = m
    rows = [GridRow(slot, by_slot[slot.pk] if not slot.is_break else []) for slot in slots]
    return tables, rows


def plan_export_rows(event: BrokerageEvent):
    """Every scheduled meeting of the table plan as plain values (session, start, end, table,
    both sides and their organisations, attendance), in time and table order: one query of
    columns, no model instances (the CSV and Excel files of 7,800 meetings)."""
    attendance = dict(Attendance.choices)
    rows = (Meeting.objects.filter(event=event, status=MeetingStatus.ACCEPTED,
                                   slot__is_break=False, table__isnull=False)
            .order_by("slot__starts_at", "slot__pk", "table__position", "table__pk")
            .values_list("slot__session__name", "slot__starts_at", "slot__ends_at",
                         "table__name", "requester__person__first_name",
                         "requester__person__last_name", "requester__organisation__name",
                         "recipient__person__first_name", "recipient__person__last_name",
                         "recipient__organisation__name", "attendance"))
    for (session, starts, ends, table, a_first, a_last, a_org, b_first, b_last, b_org,
         state) in rows.iterator(chunk_size=2000):
        yield [session, timezone.localtime(starts).replace(tzinfo=None),
               timezone.localtime(ends).replace(tzinfo=None), table,
               f"{a_first} {a_last}".strip(), a_org or "", f"{b_first} {b_last}".strip(),
               b_org or "", str(attendance.get(state, state))]


# --- each participant's day -------------------------------------------------------------------


def participants_for_days(event: BrokerageEvent, search: str = ""):
    """The active participants (for the per-participant view), searched by name, e-mail or
    organisation."""
    rows = (event.participants.filter(withdrawn_at__isnull=True)
            .select_related("person", "organisation").prefetch_related("unavailable"))
    return search_terms(rows, PEOPLE_SEARCH, search) if search else rows


def per_participant(event: BrokerageEvent, participants=None) -> tuple[list[Slot], list[dict]]:
    """Each participant's day (the given ones, e.g. one page; default: every active one): a
    cell per slot (the other person and table, "—" when free, "×" when unavailable), their
    meeting count and breaks. Reads only those participants' meetings."""
    slots = list(Slot.objects.filter(event=event).order_by("starts_at", "pk"))
    people = list(participants if participants is not None else participants_for_days(event))
    ids = [p.pk for p in people]
    mine = defaultdict(dict)
    for m in scheduled_meetings(event).filter(Q(requester_id__in=ids) | Q(recipient_id__in=ids)):
        for pk in (m.requester_id, m.recipient_id):
            mine[pk][m.slot_id] = m
    rows = []
    for p in people:
        blocked = {s.pk for s in p.unavailable.all()}
        own = mine[p.pk]
        cells, busy_indexes = [], []
        index = 0
        for slot in slots:
            if slot.is_break:
                cells.append({"kind": "break"})
                continue
            m = own.get(slot.pk)
            if m is not None:
                cells.append({"kind": "meeting", "meeting": m, "other": m.other(p),
                              "table": m.table})
                busy_indexes.append(index)
            elif slot.pk in blocked:
                cells.append({"kind": "unavailable"})
            else:
                cells.append({"kind": "free"})
            index += 1
        rows.append({"participant": p, "cells": cells, "meetings": len(own),
                     "breaks": breaks_of(busy_indexes)})
    return slots, rows


# --- check-in ---------------------------------------------------------------------------------


def checkin_figures(event: BrokerageEvent) -> dict:
    """Scheduled, held, no-shows and not checked in, in one aggregate query."""
    figures = Meeting.objects.filter(event=event, status=MeetingStatus.ACCEPTED,
                                     slot__isnull=False).aggregate(
        scheduled=Count("pk"), held=Count("pk", filter=Q(attendance=Attendance.HELD)),
        open=Count("pk", filter=Q(attendance=Attendance.UNKNOWN)))
    figures["no_shows"] = figures["scheduled"] - figures["held"] - figures["open"]
    figures["not_checked_in"] = figures["open"]
    return figures


def checkin_slots(event: BrokerageEvent) -> list[dict]:
    """The meeting slots in time order, each with its session, its scheduled meetings and
    those still to check in (one query for the slots, one aggregate for the counts)."""
    per_slot = {row["slot"]: row for row in Meeting.objects.filter(
        event=event, status=MeetingStatus.ACCEPTED, slot__isnull=False)
        .values("slot").annotate(meetings=Count("pk"), open=Count(
            "pk", filter=Q(attendance=Attendance.UNKNOWN))).order_by()}
    return [{"slot": slot, "meetings": per_slot.get(slot.pk, {}).get("meetings", 0),
             "open": per_slot.get(slot.pk, {}).get("open", 0)}
            for slot in slots_of(event) if not slot.is_break]


def default_checkin_slot(groups: list[dict], now=None) -> dict | None:
    """The slot in progress (or the next one) on the event day, else the first slot with
    meetings not checked in, else the first slot."""
    if not groups:
        return None
    current = current_slot([g["slot"] for g in groups], now)
    if current is not None:
        return next(g for g in groups if g["slot"].pk == current.pk)
    return next((g for g in groups if g["open"]), groups[0])


def checkin_meetings(slot: Slot, search: str = "", *, open_only: bool = False):
    """The scheduled meetings of one slot by table, searched by name, organisation or
    table; `open_only`: only those still to check in."""
    rows = (Meeting.objects.filter(slot=slot, status=MeetingStatus.ACCEPTED)
            .select_related("requester__person", "requester__organisation",
                            "recipient__person", "recipient__organisation", "slot", "table")
            .order_by("table__position", "table__pk", "pk"))
    if search:
        rows = search_terms(rows, CHECKIN_SEARCH, search)
    if open_only:
        rows = rows.filter(attendance=Attendance.UNKNOWN)
    return rows


# --- accepted but not scheduled ---------------------------------------------------------------


def waiting_meetings(event: BrokerageEvent):
    """Accepted meetings of active participants without a meeting slot, the most important
    first (a queryset: paginate it, then give the page to `unscheduled`)."""
    return (_active_accepted(event).filter(Q(slot__isnull=True) | Q(slot__is_break=True))
            .select_related("requester__person", "requester__participation_type",
                            "recipient__person", "recipient__participation_type")
            .order_by("-priority", "pk"))


def unscheduled(event: BrokerageEvent, meetings=None) -> list[dict]:
    """The given waiting meetings (default: all of them), each with why it has no slot in
    words. A fixed number of queries: the slots, tables and meetings per slot of the event,
    and the unavailable slots and scheduled meetings of the people involved."""
    waiting = list(meetings if meetings is not None else waiting_meetings(event))
    if not waiting:
        return []
    slots = list(Slot.objects.filter(event=event, is_break=False)
                 .order_by("starts_at", "pk").values_list("pk", flat=True))
    tables = Table.objects.filter(event=event).count()
    people = {}
    for m in waiting:
        people[m.requester_id], people[m.recipient_id] = m.requester, m.recipient
    blocked = defaultdict(set)
    for participant, slot in Participant.unavailable.through.objects.filter(
            participant_id__in=list(people)).values_list("participant_id", "slot_id"):
        blocked[participant].add(slot)
    placed = _active_accepted(event).filter(slot__in=slots)
    per_slot = dict(placed.values_list("slot").annotate(n=Count("pk")).order_by())
    busy, count = set(), defaultdict(int)
    for a, b, slot in placed.filter(Q(requester_id__in=list(people))
                                    | Q(recipient_id__in=list(people))).values_list(
            "requester_id", "recipient_id", "slot_id"):
        for p in (a, b):
            busy.add((p, slot))
            count[p] += 1
    result = []
    for m in waiting:
        a, b = m.requester, m.recipient
        names = {"a": a.person.full_name, "b": b.person.full_name}
        reasons = []
        if not slots:
            reasons.append(_("the event has no meeting slots"))
        elif not tables:
            reasons.append(_("the event has no tables"))
        for p in (a, b):
            cap = cap_of(p, event)
            if cap is not None and count[p.pk] >= cap:
                reasons.append(ngettext("%(person)s has reached their limit of %(cap)s meeting",
                                        "%(person)s has reached their limit of %(cap)s meetings",
                                        cap) % {"person": p.person.full_name, "cap": cap})
        allowed = [s for s in slots if s not in blocked[a.pk] and s not in blocked[b.pk]]
        if slots and not allowed:
            reasons.append(_("%(a)s and %(b)s are both free in no common slot") % names)
        elif allowed and not reasons:
            both_free = [s for s in allowed if (a.pk, s) not in busy and (b.pk, s) not in busy]
            if not both_free:
                reasons.append(_("every slot in which both are available already holds a "
                                 "meeting of %(a)s or %(b)s") % names)
            elif all(per_slot.get(s, 0) >= tables for s in both_free):
                reasons.append(_("the slots where both are free are full (every table is "
                                 "taken)"))
            else:
                reasons.append(_("a slot is free for both: run the scheduler or place it "
                                 "by hand"))
        result.append({"meeting": m, "requester": a, "recipient": b, "reasons": reasons})
    return result


def move_choices(meeting: Meeting) -> dict:
    """The slots and tables the move form offers for a meeting."""
    return {
        "slots": list(Slot.objects.filter(event=meeting.event_id, is_break=False)
                      .order_by("starts_at", "pk")),
        "tables": list(Table.objects.filter(event=meeting.event_id).order_by("position", "pk")),
    }
