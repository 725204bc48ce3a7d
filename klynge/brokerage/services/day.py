"""Writes of the event day: check-in of meetings held (or not), and what came of a meeting.

A held meeting marks both participants' registrations attended (the activity's attendance,
which the KPIs' unique participants count); an outcome of a held meeting is recorded on a
matchmaking introduction between the two organisations, so the event feeds the matchmaking
KPI evidence (KPI 5 counts introductions with a commercial outcome).
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.activities.choices import RegistrationStatus
from klynge.brokerage.choices import Attendance, MeetingStatus
from klynge.brokerage.models import Meeting
from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.projects.choices import OutcomeKind

#: Which sides were there, by attendance.
PRESENT = {
    Attendance.HELD: ("requester", "recipient"),
    Attendance.REQUESTER_ABSENT: ("recipient",),
    Attendance.RECIPIENT_ABSENT: ("requester",),
    Attendance.BOTH_ABSENT: (),
    Attendance.UNKNOWN: (),
}


def _event_day(meeting: Meeting) -> datetime.date:
    moment = meeting.slot.starts_at if meeting.slot_id else meeting.event.activity.starts_at
    return timezone.localtime(moment).date()


def _mark_attended(participant, actor) -> None:
    from klynge.activities.registrations import attendance_mark

    registration = participant.registration
    if (registration is None or registration.status != RegistrationStatus.REGISTERED
            or registration.attended):
        return
    attendance_mark(registration=registration, attended=True, actor=actor)


@transaction.atomic
def meeting_check_in(*, meeting: Meeting, actor, attendance: str) -> Meeting:
    """Record whether a scheduled meeting was held, or who did not show (unknown: undo).

    Rules: an accepted, scheduled meeting; from the day of the meeting on. Whoever was
    there is marked attended on their registration for the activity (nobody is marked
    absent for the day: they may have held other meetings).
    Side effects: attendance, checked_in_at; registrations attended (audited by
    activities); audit klynge.brokerage.meeting.checked_in.
    """
    meeting = (Meeting.objects.select_for_update(of=("self",))
               .select_related("event__activity", "slot", "requester__registration",
                               "recipient__registration", "requester__person",
                               "recipient__person").get(pk=meeting.pk))
    if attendance not in Attendance.values:
        raise ApplicationError(_("Choose whether the meeting was held."), field="attendance")
    if meeting.status != MeetingStatus.ACCEPTED or meeting.slot_id is None:
        raise ApplicationError(_("Only scheduled meetings can be checked in."))
    if timezone.localdate() < _event_day(meeting):
        raise ApplicationError(_("Meetings can be checked in from the day they are held "
                                 "(%(day)s).") % {"day": _event_day(meeting).isoformat()})
    previous = meeting.attendance
    meeting.attendance = attendance
    meeting.checked_in_at = None if attendance == Attendance.UNKNOWN else timezone.now()
    meeting.save(update_fields=["attendance", "checked_in_at", "updated_at"])
    for side in PRESENT[attendance]:
        _mark_attended(getattr(meeting, side), actor)
    log_action(meeting, "klynge.brokerage.meeting.checked_in", actor=actor,
               data={"attendance": attendance, "previous": previous})
    return meeting


def _introduction_for(meeting: Meeting, actor):
    from klynge.matchmaking.services.introductions import introduction_record_met

    if meeting.introduction_id:
        return meeting.introduction
    a, b = meeting.requester, meeting.recipient
    for side in (a, b):
        if side.organisation_id is None:
            raise ApplicationError(
                _("%(person)s has no organisation: an outcome is recorded between two "
                  "organisations. Set their organisation first.")
                % {"person": side.person.full_name})
    if a.organisation_id == b.organisation_id:
        raise ApplicationError(_("Both sides are from the same organisation."))
    introduction = introduction_record_met(
        actor=actor, organisation_a=a.organisation, person_a=a.person,
        organisation_b=b.organisation, person_b=b.person,
        explanation=_("Met at the B2B meetings of %(activity)s")
        % {"activity": meeting.event.activity.title},
        met_at=meeting.slot.starts_at if meeting.slot_id else None,
        hub=meeting.event.activity.hub)
    meeting.introduction = introduction
    meeting.save(update_fields=["introduction", "updated_at"])
    return introduction


@transaction.atomic
def meeting_record_outcome(*, meeting: Meeting, actor, kind: str, on: datetime.date,
                           note: str = "") -> Meeting:
    """Record what came of a held meeting on a day (a collaboration, commercial use of
    research results, a new company, ...).

    Rules: the meeting was held; a known kind; the day not before the meeting nor in the
    future (checked by matchmaking). The first outcome makes a matchmaking introduction
    between the two organisations (accepted by both, "Met at the B2B meetings of ...");
    later ones reuse it.
    Side effects: the introduction and its outcome (audited by matchmaking); audit
    klynge.brokerage.meeting.outcome_recorded.
    """
    from klynge.matchmaking.services.introductions import introduction_outcome_record

    meeting = (Meeting.objects.select_for_update(of=("self",))
               .select_related("event__activity", "slot", "introduction",
                               "requester__person", "requester__organisation",
                               "recipient__person", "recipient__organisation")
               .get(pk=meeting.pk))
    if meeting.attendance != Attendance.HELD:
        raise ApplicationError(_("Outcomes are recorded for meetings that were held; check "
                                 "the meeting in as held first."))
    if kind not in OutcomeKind.values:
        raise ApplicationError(_("Choose what came of the meeting."), field="kind")
    if on is None:
        raise ApplicationError(_("Give the day it happened."), field="on")
    if on < _event_day(meeting):
        raise ApplicationError(_("%(day)s is before the meeting (%(met)s).")
                               % {"day": on.isoformat(), "met": _event_day(meeting).isoformat()},
                               field="on")
    introduction = _introduction_for(meeting, actor)
    try:
        outcome = introduction_outcome_record(introduction=introduction, kind=kind, date=on,
                                              description=note, actor=actor)
    except ApplicationError as error:
        field = {"date": "on", "description": "note"}.get(error.field, error.field)
        raise ApplicationError(error.message, field=field) from error
    log_action(meeting, "klynge.brokerage.meeting.outcome_recorded", actor=actor, data={
        "kind": kind, "date": on, "note": note, "introduction": introduction.pk,
        "outcome": outcome.pk})
    return meeting
