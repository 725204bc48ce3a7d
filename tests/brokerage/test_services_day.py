"""The event day: check-in of meetings (attendance on the registrations) and outcomes (a
matchmaking introduction that KPI 5 counts)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from klynge.brokerage.choices import Attendance
from klynge.brokerage.models import Slot, Table
from klynge.brokerage.services import day
from klynge.core.errors import ApplicationError
from klynge.kpis.domain import keys
from klynge.kpis.domain.counting import Period
from klynge.kpis.selectors.figures import kpi_figure
from klynge.matchmaking.choices import IntroductionStatus
from klynge.matchmaking.models import Introduction
from klynge.projects.choices import OutcomeKind
from tests.brokerage.factories_schedule import accepted, event_on
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _scheduled(days: int = -1):
    """Yesterday's event with Anna and Bent's meeting at 9:00, Table 1."""
    event, p = event_on(days=days, slots=2, tables=1)
    slot = Slot.objects.filter(event=event).order_by("starts_at").first()
    meeting = accepted(event, p["Anna"], p["Bent"], slot=slot,
                       table=Table.objects.get(event=event))
    return event, p, meeting


def _attended(participant):
    participant.registration.refresh_from_db()
    return participant.registration.attended


def test_a_held_meeting_marks_both_registrations_attended():
    _event, p, meeting = _scheduled()
    actor = user_with_role("staff")
    result = day.meeting_check_in(meeting=meeting, actor=actor, attendance=Attendance.HELD)
    assert result.attendance == Attendance.HELD
    assert result.checked_in_at is not None
    assert (_attended(p["Anna"]), _attended(p["Bent"]), _attended(p["Carl"])) == (
        True, True, None)


def test_a_no_show_marks_only_the_one_who_came_and_undo_clears_it():
    _event, p, meeting = _scheduled()
    day.meeting_check_in(meeting=meeting, actor=None, attendance=Attendance.REQUESTER_ABSENT)
    assert (_attended(p["Anna"]), _attended(p["Bent"])) == (None, True)
    undone = day.meeting_check_in(meeting=meeting, actor=None, attendance=Attendance.UNKNOWN)
    assert (undone.attendance, undone.checked_in_at) == (Attendance.UNKNOWN, None)


def test_check_in_is_refused_before_the_day_and_for_unscheduled_meetings():
    event, p, meeting = _scheduled(days=3)
    with pytest.raises(ApplicationError, match="from the day they are held"):
        day.meeting_check_in(meeting=meeting, actor=None, attendance=Attendance.HELD)
    unscheduled = accepted(event, p["Anna"], p["Carl"])
    with pytest.raises(ApplicationError, match="Only scheduled meetings"):
        day.meeting_check_in(meeting=unscheduled, actor=None, attendance=Attendance.HELD)
    meeting.refresh_from_db()
    assert meeting.attendance == Attendance.UNKNOWN
    assert _attended(p["Anna"]) is None


def test_an_outcome_creates_the_introduction_that_kpi_5_counts():
    # given a held meeting
    event, p, meeting = _scheduled()
    actor = user_with_role("staff")
    day.meeting_check_in(meeting=meeting, actor=actor, attendance=Attendance.HELD)
    today = timezone.localdate()
    # when a commercial outcome is recorded
    day.meeting_record_outcome(meeting=meeting, actor=actor, kind=OutcomeKind.COMMERCIAL_USE,
                               on=today, note="Licence agreement signed.")
    # then one introduction of the two organisations, accepted by both, carries it
    introduction = Introduction.objects.get()
    meeting.refresh_from_db()
    assert meeting.introduction == introduction
    assert (introduction.organisation_a.name, introduction.organisation_b.name) == (
        "Anna ApS", "Bent ApS")
    assert (introduction.person_a, introduction.person_b) == (p["Anna"].person,
                                                             p["Bent"].person)
    assert introduction.status == IntroductionStatus.ACCEPTED
    assert introduction.explanation == "Met at the B2B meetings of Digital Growth B2B"
    assert introduction.created_by == actor
    assert [(o.kind, o.date, o.description) for o in introduction.outcomes.all()] == [
        (OutcomeKind.COMMERCIAL_USE, today, "Licence agreement signed.")]
    figure = kpi_figure(keys.COMMERCIAL_USE, Period.year(today.year))
    assert figure.value == 1
    assert figure.counted == frozenset({f"introduction:{introduction.pk}"})
    # and a later outcome reuses the introduction
    day.meeting_record_outcome(meeting=meeting, actor=actor, kind=OutcomeKind.JOINT_PROJECT,
                               on=today)
    assert Introduction.objects.count() == 1
    assert introduction.outcomes.count() == 2


def test_an_outcome_is_refused_for_a_meeting_not_held_or_dated_before_it():
    _event, _p, meeting = _scheduled()
    with pytest.raises(ApplicationError, match="check the meeting in as held first"):
        day.meeting_record_outcome(meeting=meeting, actor=None, kind=OutcomeKind.MET,
                                   on=timezone.localdate())
    day.meeting_check_in(meeting=meeting, actor=None, attendance=Attendance.HELD)
    before = timezone.localdate() - timedelta(days=5)
    with pytest.raises(ApplicationError) as early:
        day.meeting_record_outcome(meeting=meeting, actor=None, kind=OutcomeKind.MET, on=before)
    assert early.value.field == "on"
    future = timezone.localdate() + timedelta(days=2)
    with pytest.raises(ApplicationError, match="is in the future"):
        day.meeting_record_outcome(meeting=meeting, actor=None, kind=OutcomeKind.MET, on=future)
    assert Introduction.objects.count() == 0
