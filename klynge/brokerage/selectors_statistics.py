"""Statistics of a brokerage event: requested, accepted, scheduled, realised (held), no-shows,
meetings per participant and breaks, the last run against its bound, and a table by
participation type. `event_statistics` also feeds the activity's panel and its evaluation
page (registered in wiring)."""

from collections import Counter, defaultdict

from django.utils.translation import gettext as _

from klynge.brokerage.choices import Attendance, MeetingStatus
from klynge.brokerage.domain.model import breaks_of
from klynge.brokerage.models import BrokerageEvent, Meeting, Participant, Slot

NO_SHOWS = (Attendance.REQUESTER_ABSENT, Attendance.RECIPIENT_ABSENT, Attendance.BOTH_ABSENT)


def _participants(event: BrokerageEvent) -> list[tuple]:
    """(pk, withdrawn, type pk) per participant: tuples, not model instances (3,000 of them
    at a large event)."""
    return list(Participant.objects.filter(event=event).values_list(
        "pk", "withdrawn_at", "participation_type_id"))


def _meetings(event: BrokerageEvent) -> list[tuple]:
    """(status, slot pk, attendance, requester pk, recipient pk) per meeting."""
    return list(Meeting.objects.filter(event=event).values_list(
        "status", "slot_id", "attendance", "requester_id", "recipient_id"))


def event_statistics(event: BrokerageEvent) -> dict:
    """The event's figures as plain numbers (see the module docstring)."""
    participants = _participants(event)
    active = [pk for pk, withdrawn, _type in participants if withdrawn is None]
    meetings = _meetings(event)
    status = Counter(m[0] for m in meetings)
    scheduled = [m for m in meetings if m[0] == MeetingStatus.ACCEPTED and m[1] is not None]
    held = sum(1 for m in scheduled if m[2] == Attendance.HELD)
    no_shows = sum(1 for m in scheduled if m[2] in NO_SHOWS)
    index = {pk: i for i, pk in enumerate(
        Slot.objects.filter(event=event, is_break=False).order_by("starts_at", "pk")
        .values_list("pk", flat=True))}
    slots_of = defaultdict(list)
    for _status, slot, _attendance, requester, recipient in scheduled:
        if slot in index:
            slots_of[requester].append(index[slot])
            slots_of[recipient].append(index[slot])
    per_participant = [len(slots_of[pk]) for pk in active]
    run = event.runs.exclude(violations__gt=0).first()
    return {
        "participants": len(active),
        "withdrawn": len(participants) - len(active),
        "requested": len(meetings),
        "pending": status[MeetingStatus.REQUESTED],
        "accepted": status[MeetingStatus.ACCEPTED],
        "declined": status[MeetingStatus.DECLINED],
        "cancelled": status[MeetingStatus.CANCELLED],
        "scheduled": len(scheduled),
        "held": held,
        "no_shows": no_shows,
        "not_checked_in": len(scheduled) - held - no_shows,
        "meetings_min": min(per_participant) if per_participant else 0,
        "meetings_max": max(per_participant) if per_participant else 0,
        "meetings_avg": (round(sum(per_participant) / len(per_participant), 2)
                         if per_participant else 0.0),
        "without_meeting": sum(1 for n in per_participant if n == 0),
        "breaks": sum(breaks_of(s) for s in slots_of.values()),
        "run_value": run.value if run else None,
        "run_bound": run.bound if run else None,
        "run_scheduled": run.scheduled if run else None,
        "run_bound_meetings": run.bound_meetings if run else None,
        "published": event.published_at is not None,
    }


def by_type(event: BrokerageEvent) -> list[dict]:
    """Per participation type (and "No type"): participants, and the meetings of its
    participants (a meeting between two types counts for each)."""
    types = {t.pk: t.name for t in event.participation_types.all()}
    rows: dict = {}

    def row(key):
        if key not in rows:
            rows[key] = {"type": types.get(key, _("No type")), "participants": 0,
                         "requested": 0, "accepted": 0, "scheduled": 0, "held": 0,
                         "no_shows": 0}
        return rows[key]

    kind_of = {}
    for pk, withdrawn, kind in _participants(event):
        if withdrawn is None:
            kind_of[pk] = kind
            row(kind)["participants"] += 1
    for status, slot, attendance, requester, recipient in _meetings(event):
        for side in (requester, recipient):
            if side not in kind_of:
                continue
            r = row(kind_of[side])
            r["requested"] += 1
            if status == MeetingStatus.ACCEPTED:
                r["accepted"] += 1
                if slot is not None:
                    r["scheduled"] += 1
                    r["held"] += attendance == Attendance.HELD
                    r["no_shows"] += attendance in NO_SHOWS
    order = list(types) + [None]
    return [rows[k] for k in order if k in rows]


def statistics_facts(event: BrokerageEvent) -> list[tuple[str, object]]:
    """The headline figures as (label, value) pairs, for other apps' pages."""
    s = event_statistics(event)
    return [
        (_("Participants"), s["participants"]),
        (_("Meetings requested"), s["requested"]),
        (_("Accepted"), s["accepted"]),
        (_("Scheduled"), s["scheduled"]),
        (_("Held"), s["held"]),
        (_("No-shows"), s["no_shows"]),
        (_("Meetings per participant (average)"), s["meetings_avg"]),
    ]


def evaluation_facts(activity) -> dict | None:
    """The block of B2B meeting figures on the activity's evaluation page (none without a
    brokerage event)."""
    from django.urls import reverse

    event = BrokerageEvent.objects.filter(activity=activity).first()
    if event is None:
        return None
    return {"title": _("B2B meetings"), "facts": statistics_facts(event),
            "url": reverse("brokerage:statistics", args=[event.pk])}
