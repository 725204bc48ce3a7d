"""Reads of the organiser's set-up pages: the event list with its figures, one event's
dashboard (settings, counts, last scheduler run, set-up checklist), sessions with slots,
tables and types with their use, the participant list with request counts, and the panel on
an activity's page. Each in a fixed number of queries.
"""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.activities.choices import ActivityStatus, RegistrationStatus
from klynge.activities.models import Activity, Registration
from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.models import (
    BrokerageEvent,
    Meeting,
    Participant,
    ParticipationType,
    Session,
    Slot,
    Table,
)
from klynge.core.audit import audit_entries_for

ACCEPTED = MeetingStatus.ACCEPTED


def _count(queryset, field: str = "pk"):
    """A correlated count as a subquery (no row multiplication from joins)."""
    return Coalesce(Subquery(
        queryset.order_by().values(field).annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField()), Value(0))


def _event_count(queryset):
    return _count(queryset.filter(event=OuterRef("pk")), "event")


# --- the event list ----------------------------------------------------------------------------


def event_list():
    """Every event with its activity and figures; upcoming ones first (soonest first), then
    past ones (latest first)."""
    now = timezone.now()
    meetings = Meeting.objects.all()
    return (
        BrokerageEvent.objects.select_related("activity", "activity__hub")
        .annotate(
            participant_count=_event_count(Participant.objects.filter(withdrawn_at__isnull=True)),
            request_count=_event_count(meetings),
            accepted_count=_event_count(meetings.filter(status=ACCEPTED)),
            scheduled_count=_event_count(meetings.filter(status=ACCEPTED, slot__isnull=False)),
            is_past=Case(When(activity__ends_at__lt=now, then=Value(True)), default=Value(False),
                         output_field=BooleanField()),
            upcoming_start=Case(When(activity__ends_at__gte=now, then=F("activity__starts_at"))),
        )
        .order_by("is_past", F("upcoming_start").asc(nulls_last=True),
                  F("activity__starts_at").desc(), "pk")
    )


def activities_without_event(*, upcoming_only: bool = True, search: str = ""):
    """Activities that could get B2B meetings: no event yet, not cancelled; upcoming ones
    (not ended) first by date. B2B-format activities are what is most likely wanted."""
    rows = (Activity.objects.filter(brokerage__isnull=True)
            .exclude(status=ActivityStatus.CANCELLED).select_related("hub"))
    if upcoming_only:
        rows = rows.filter(ends_at__gte=timezone.now())
    for term in search.split():
        rows = rows.filter(Q(title__icontains=term) | Q(place__icontains=term))
    return rows.order_by("starts_at", "pk")


def registrations_to_add(event: BrokerageEvent):
    """The activity's registered (not cancelled, not waitlisted) registrations whose person
    is not a participant of the event yet."""
    return (Registration.objects
            .filter(activity_id=event.activity_id, status=RegistrationStatus.REGISTERED)
            .exclude(person__brokerage_participations__event=event)
            .select_related("person", "organisation")
            .order_by("person__last_name", "person__first_name", "pk"))


def event_for_page(pk: int) -> BrokerageEvent:
    return BrokerageEvent.objects.select_related("activity", "activity__hub").get(pk=pk)


# --- one event's dashboard -----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One line of the set-up checklist: done or not, and what to do next."""

    label: str
    done: bool
    hint: str
    url_name: str


def _status_counts(event: BrokerageEvent) -> dict[str, int]:
    rows = event.meetings.order_by().values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(MeetingStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def event_dashboard(event: BrokerageEvent) -> dict:
    """Everything the organiser's dashboard shows."""
    slots = event.slots.aggregate(
        total=Count("pk"), breaks=Count("pk", filter=Q(is_break=True)))
    sessions = list(event.sessions.annotate(
        slot_count=Count("slots"), break_count=Count("slots", filter=Q(slots__is_break=True))))
    participants = event.participants.aggregate(
        active=Count("pk", filter=Q(withdrawn_at__isnull=True)),
        withdrawn=Count("pk", filter=Q(withdrawn_at__isnull=False)),
        listed=Count("pk", filter=Q(withdrawn_at__isnull=True, is_listed=True)))
    statuses = _status_counts(event)
    accepted = event.meetings.filter(status=ACCEPTED)
    scheduled = accepted.filter(slot__isnull=False).count()
    changed = accepted.filter(published_slot__isnull=False).exclude(
        slot=F("published_slot"), table=F("published_table")).count()
    table_count = event.tables.count()
    type_count = event.participation_types.count()
    meeting_slots = slots["total"] - slots["breaks"]
    now = timezone.now()
    requests_open = event.requests_open and (
        event.requests_deadline is None or event.requests_deadline > now)
    checklist = [
        Step(_("Sessions with meeting slots"), meeting_slots > 0,
             _("Add a session (e.g. 9:00–12:00): its slots are made from the meeting length "
               "and changeover."), "brokerage:event_sessions"),
        Step(_("Tables"), table_count > 0,
             _("Set the number of tables: at most one meeting per table per slot."),
             "brokerage:event_tables"),
        Step(_("Participants"), participants["active"] >= 2,
             _("Add the activity's registered people: each gets a personal link by e-mail."),
             "brokerage:participant_add"),
        Step(_("Meeting requests open or received"),
             requests_open or sum(statuses.values()) > 0,
             _("Let participants request meetings, with a deadline before the schedule is "
               "made."), "brokerage:event_edit"),
        Step(_("Accepted meetings scheduled"), statuses[ACCEPTED] > 0
             and scheduled == statuses[ACCEPTED],
             _("Run the scheduler once requests are answered, then publish the agendas."),
             "brokerage:schedule"),
        Step(_("Schedule published"), event.published_at is not None and changed == 0,
             _("Publish the schedule: each participant gets their agenda by e-mail (after a "
               "change, only those whose meetings changed)."), "brokerage:schedule"),
    ]
    return {
        "sessions": sessions, "slot_count": slots["total"], "break_count": slots["breaks"],
        "meeting_slots": meeting_slots, "table_count": table_count, "type_count": type_count,
        "capacity": meeting_slots * table_count,
        "participants": participants, "statuses": statuses,
        "to_add": registrations_to_add(event).count(),
        "status_rows": [(label, statuses[value]) for value, label in MeetingStatus.choices],
        "request_count": sum(statuses.values()), "scheduled": scheduled,
        "unscheduled": statuses[ACCEPTED] - scheduled, "changed_since_publication": changed,
        "last_run": event.runs.select_related("started_by").first(),
        "requests_open_now": requests_open, "checklist": checklist,
        "next_step": next((step for step in checklist if not step.done), None),
        "audit": audit_entries_for(event, limit=50),
    }


# --- sessions, tables, types ----------------------------------------------------------------------


def _held(event: BrokerageEvent):
    return Meeting.objects.filter(event=event, status=ACCEPTED)


def sessions_with_slots(event: BrokerageEvent) -> list[Session]:
    """The sessions, each with `slot_rows` (slot, meetings scheduled in it) in time order."""
    held = dict(_held(event).filter(slot__isnull=False).order_by().values("slot")
                .annotate(n=Count("pk")).values_list("slot", "n"))
    unavailable = dict(Slot.objects.filter(event=event).annotate(
        n=Count("unavailable_for")).values_list("pk", "n"))
    sessions = list(event.sessions.all())
    by_session: dict[int, list] = {session.pk: [] for session in sessions}
    for slot in event.slots.all():
        by_session[slot.session_id].append(
            {"slot": slot, "meetings": held.get(slot.pk, 0),
             "unavailable": unavailable.get(slot.pk, 0)})
    for session in sessions:
        session.slot_rows = by_session[session.pk]
        session.meeting_count = sum(row["meetings"] for row in session.slot_rows)
        session.break_count = sum(1 for row in session.slot_rows if row["slot"].is_break)
    return sessions


def tables_with_use(event: BrokerageEvent) -> list[Table]:
    held = dict(_held(event).filter(table__isnull=False).order_by().values("table")
                .annotate(n=Count("pk")).values_list("table", "n"))
    tables = list(event.tables.all())
    for table in tables:
        table.meeting_count = held.get(table.pk, 0)
    return tables


def types_with_use(event: BrokerageEvent) -> list[ParticipationType]:
    return list(event.participation_types.annotate(
        active_count=Count("participants", filter=Q(participants__withdrawn_at__isnull=True)),
        total_count=Count("participants")))


# --- participants ---------------------------------------------------------------------------------


def _either_side(meetings):
    """How many of `meetings` the participant is in, as requester or recipient (never both:
    a meeting has two different participants)."""
    return (_count(meetings.filter(requester=OuterRef("pk")), "requester")
            + _count(meetings.filter(recipient=OuterRef("pk")), "recipient"))


def participant_list(event: BrokerageEvent):
    """The event's participants with their request counts: made, received, accepted (either
    way) and scheduled."""
    accepted = Meeting.objects.filter(status=ACCEPTED)
    return (
        Participant.objects.filter(event=event)
        .select_related("person", "organisation", "participation_type")
        .annotate(
            made_count=_count(Meeting.objects.filter(requester=OuterRef("pk")), "requester"),
            received_count=_count(Meeting.objects.filter(recipient=OuterRef("pk")),
                                  "recipient"),
            accepted_count=_either_side(accepted),
            scheduled_count=_either_side(accepted.filter(slot__isnull=False)),
        )
    )


def participant_for_page(pk: int) -> Participant:
    return Participant.objects.select_related(
        "event", "event__activity", "person", "organisation", "participation_type",
        "registration").get(pk=pk)


def participant_meetings(participant: Participant):
    """Every meeting the participant requested or was asked for, in time order."""
    return (Meeting.objects.filter(Q(requester=participant) | Q(recipient=participant))
            .select_related("requester__person", "recipient__person",
                            "requester__organisation", "recipient__organisation",
                            "slot", "table")
            .order_by("slot__starts_at", "pk"))


def audit_trail(record, limit: int = 50):
    return audit_entries_for(record, limit=limit)


# --- the panel on an activity's page --------------------------------------------------------------


def activity_panel(request, activity) -> dict | None:
    """The "B2B meetings" panel: the event's key figures and a link, or (for the cluster team)
    the button that sets one up."""
    from klynge.core.roles import CLUSTER_TEAM

    event = event_list().filter(activity=activity).first()
    may_set_up = (getattr(request.user, "role", None) in CLUSTER_TEAM
                  and activity.status != ActivityStatus.CANCELLED)
    if event is None and not may_set_up:
        return None
    return {"activity": activity, "event": event, "may_set_up": may_set_up}
