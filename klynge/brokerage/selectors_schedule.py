"""Reads of the schedule for the organiser: runs, the grid of slots × tables, each
participant's day, and the accepted meetings left unscheduled with the reason in words."""

from collections import defaultdict
from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klynge.brokerage import adapter
from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.domain.model import breaks_of
from klynge.brokerage.models import BrokerageEvent, Meeting, ScheduleRun, Slot, Table


def event_for_organiser(pk: int) -> BrokerageEvent:
    return get_object_or_404(BrokerageEvent.objects.select_related("activity"), pk=pk)


def runs(event: BrokerageEvent, limit: int = 10) -> list[ScheduleRun]:
    return list(event.runs.select_related("started_by")[:limit])


def scheduled_meetings(event: BrokerageEvent):
    return (Meeting.objects.filter(event=event, status=MeetingStatus.ACCEPTED,
                                   slot__isnull=False)
            .select_related("requester__person", "requester__organisation",
                            "recipient__person", "recipient__organisation", "slot", "table"))


def counts(event: BrokerageEvent) -> dict:
    accepted = Meeting.objects.filter(event=event, status=MeetingStatus.ACCEPTED,
                                      requester__withdrawn_at__isnull=True,
                                      recipient__withdrawn_at__isnull=True)
    return {
        "accepted": accepted.count(),
        "scheduled": accepted.filter(slot__isnull=False).count(),
        "locked": accepted.filter(locked=True).count(),
        "published": accepted.filter(published_slot__isnull=False).count(),
        "changed": sum(1 for m in accepted if m.changed_since_publication
                       or (m.published_slot_id is None and m.slot_id is not None
                           and event.published_at is not None)),
        "slots": Slot.objects.filter(event=event, is_break=False).count(),
        "tables": Table.objects.filter(event=event).count(),
    }


@dataclass
class GridRow:
    slot: Slot
    cells: list  # one Meeting or None per table


def grid(event: BrokerageEvent) -> tuple[list[Table], list[GridRow]]:
    """Slots (breaks included, as rows without cells) × tables with their meetings."""
    tables = list(Table.objects.filter(event=event).order_by("position", "pk"))
    column = {t.pk: i for i, t in enumerate(tables)}
    by_slot = defaultdict(lambda: [None] * len(tables))
    for m in scheduled_meetings(event):
        if m.table_id in column:
            by_slot[m.slot_id][column[m.table_id]] = m
    rows = [GridRow(slot, by_slot[slot.pk] if not slot.is_break else [])
            for slot in Slot.objects.filter(event=event).select_related("session")
            .order_by("starts_at", "pk")]
    return tables, rows


def per_participant(event: BrokerageEvent) -> tuple[list[Slot], list[dict]]:
    """Each active participant's day: a cell per slot (the other person and table, "—"
    when free, "×" when unavailable), their meeting count and breaks."""
    slots = list(Slot.objects.filter(event=event).order_by("starts_at", "pk"))
    meetings = list(scheduled_meetings(event))
    rows = []
    for p in (event.participants.filter(withdrawn_at__isnull=True)
              .select_related("person", "organisation").prefetch_related("unavailable")):
        blocked = {s.pk for s in p.unavailable.all()}
        mine = {m.slot_id: m for m in meetings if p.pk in (m.requester_id, m.recipient_id)}
        cells, busy_indexes = [], []
        index = 0
        for slot in slots:
            if slot.is_break:
                cells.append({"kind": "break"})
                continue
            m = mine.get(slot.pk)
            if m is not None:
                cells.append({"kind": "meeting", "meeting": m, "other": m.other(p),
                              "table": m.table})
                busy_indexes.append(index)
            elif slot.pk in blocked:
                cells.append({"kind": "unavailable"})
            else:
                cells.append({"kind": "free"})
            index += 1
        rows.append({"participant": p, "cells": cells, "meetings": len(mine),
                     "breaks": breaks_of(busy_indexes)})
    return slots, rows


def unscheduled(event: BrokerageEvent) -> list[dict]:
    """Accepted meetings of active participants without a slot, each with why in words."""
    built = adapter.build(event, check=False)
    placed = built.current.placements
    waiting = [m for pk, m in built.meetings.items() if pk not in placed]
    if not waiting:
        return []
    ev = built.event
    busy = set()
    count = defaultdict(int)
    per_slot = defaultdict(int)
    for pk, placement in placed.items():
        r = ev.request(pk)
        for p in r.pair:
            busy.add((p, placement.slot))
            count[p] += 1
        per_slot[placement.slot] += 1
    people = built.participants
    result = []
    for m in sorted(waiting, key=lambda m: (-m.priority, m.pk)):
        r = ev.request(m.pk)
        a, b = people[r.a], people[r.b]
        names = {"a": a.person.full_name, "b": b.person.full_name}
        reasons = []
        if not built.slots:
            reasons.append(_("the event has no meeting slots"))
        elif not built.tables:
            reasons.append(_("the event has no tables"))
        for p in (a, b):
            cap = ev.caps.get(p.pk)
            if cap is not None and count[p.pk] >= cap:
                reasons.append(ngettext("%(person)s has reached their limit of %(cap)s meeting",
                                        "%(person)s has reached their limit of %(cap)s meetings",
                                        cap) % {"person": p.person.full_name, "cap": cap})
        allowed = ev.allowed_slots(r) if built.slots else []
        if built.slots and not allowed:
            reasons.append(_("%(a)s and %(b)s are both free in no common slot") % names)
        elif allowed and not reasons:
            both_free = [s for s in allowed if (r.a, s) not in busy and (r.b, s) not in busy]
            if not both_free:
                reasons.append(_("every slot in which both are available already holds a "
                                 "meeting of %(a)s or %(b)s") % names)
            elif all(per_slot[s] >= ev.tables for s in both_free):
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

