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


def event_statistics(event: BrokerageEvent) -> dict:
    """The event's figures as plain numbers (see the module docstring)."""
    participants = list(Participant.objects.filter(event=event)
                        .select_related("participation_type"))
    active = [p for p in participants if p.withdrawn_at is None]
    meetings = list(Meeting.objects.filter(event=event).only(
        "pk", "status", "slot_id", "attendance", "requester_id", "recipient_id", "event_id"))
    status = Counter(m.status for m in meetings)
    accepted = [m for m in meetings if m.status == MeetingStatus.ACCEPTED]
    scheduled = [m for m in accepted if m.slot_id is not None]
    held = [m for m in scheduled if m.attendance == Attendance.HELD]
    no_shows = [m for m in scheduled if m.attendance in NO_SHOWS]
    index = {pk: i for i, pk in enumerate(
        Slot.objects.filter(event=event, is_break=False).order_by("starts_at", "pk")
        .values_list("pk", flat=True))}
    slots_of = defaultdict(list)
    for m in scheduled:
        for p in (m.requester_id, m.recipient_id):
            if m.slot_id in index:
                slots_of[p].append(index[m.slot_id])
    per_participant = [len(slots_of[p.pk]) for p in active]
    run = event.runs.exclude(violations__gt=0).first()
    return {
        "participants": len(active),
        "withdrawn": len(participants) - len(active),
        "requested": len(meetings),
        "pending": status[MeetingStatus.REQUESTED],
        "accepted": len(accepted),
        "declined": status[MeetingStatus.DECLINED],
        "cancelled": status[MeetingStatus.CANCELLED],
        "scheduled": len(scheduled),
        "held": len(held),
        "no_shows": len(no_shows),
        "not_checked_in": len(scheduled) - len(held) - len(no_shows),
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
    for p in Participant.objects.filter(event=event, withdrawn_at__isnull=True):
        kind_of[p.pk] = p.participation_type_id
        row(p.participation_type_id)["participants"] += 1
    for m in Meeting.objects.filter(event=event):
        for side in (m.requester_id, m.recipient_id):
            if side not in kind_of:
                continue
            r = row(kind_of[side])
            r["requested"] += 1
            if m.status == MeetingStatus.ACCEPTED:
                r["accepted"] += 1
                if m.slot_id is not None:
                    r["scheduled"] += 1
                    r["held"] += m.attendance == Attendance.HELD
                    r["no_shows"] += m.attendance in NO_SHOWS
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
