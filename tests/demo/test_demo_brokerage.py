"""The demo's B2B meeting events: a held one that went through every stage (set-up,
participants, requests and answers, the scheduler, publication, a cancellation and a late
request, check-in and outcomes that count for KPI 5) and an upcoming one open for requests;
made through the brokerage services without an e-mail reaching anyone.

The slots the scheduler picks may differ between builds (it works against a time limit);
everything asserted here does not."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db.models import F, Q
from django.utils import timezone

from klynge.activities.models import Activity
from klynge.brokerage import adapter
from klynge.brokerage.domain.validate import violations
from klynge.brokerage.models import BrokerageEvent, Meeting, Participant, ScheduleRun
from klynge.core.models import AuditEntry
from klynge.demo.builder import build_demo
from klynge.kpis.domain.counting import Period
from klynge.kpis.selectors import kpi_figures
from klynge.matchmaking.models import IntroductionOutcome
from tests.demo.test_demo import ANCHOR, SMALL, wipe

HELD = "Matchmaking: digitale tvillinger"
UPCOMING = "Matchmaking: grøn IT"


def _events() -> tuple[BrokerageEvent, BrokerageEvent]:
    held = BrokerageEvent.objects.select_related("activity").get(activity__status="held")
    upcoming = BrokerageEvent.objects.select_related("activity").get(activity__status="open")
    return held, upcoming


@pytest.mark.django_db
def test_small_demo_has_a_held_and_an_upcoming_b2b_event_without_sending_mail(mailoutbox):
    result = build_demo(**SMALL)
    held, upcoming = _events()

    assert mailoutbox == []
    assert {key: value for key, value in result.counts.items() if key.startswith("b2b")} == {
        "b2b_events": 2, "b2b_participants": 40, "b2b_meetings": 83}
    assert (held.activity.title, held.activity.format) == (HELD, "b2b_matchmaking")
    assert (upcoming.activity.title, upcoming.activity.format) == (UPCOMING, "b2b_matchmaking")
    assert timezone.localdate(upcoming.activity.starts_at) == ANCHOR + timedelta(days=25)
    for event in (held, upcoming):
        assert [(s.name, s.slots.count()) for s in event.sessions.all()] == [
            ("Første runde", 6), ("Anden runde", 5)]
        assert event.slots.filter(is_break=True).count() == 1
        assert list(event.participation_types.values_list(
            "name", "meeting_cap", "may_meet_same_type")) == [
            ("Virksomhed", 8, True), ("Forsker/videninstitution", 10, False)]
    assert held.tables.count() == 12
    assert upcoming.tables.count() == 8
    # A B2B day runs until its last meeting (11 slots of 25 minutes and a 20-minute gap).
    assert held.activity.ends_at - held.activity.starts_at == timedelta(minutes=295)
    assert Activity.objects.filter(format="b2b_matchmaking", status="open").count() == 1


@pytest.mark.django_db
def test_small_demo_held_b2b_event_went_through_every_stage():
    build_demo(**SMALL)
    held, _upcoming = _events()
    meetings = held.meetings.all()

    assert held.participants.count() == 16
    assert Counter(meetings.values_list("status", flat=True)) == {
        "accepted": 40, "declined": 9, "requested": 2, "cancelled": 1}
    assert Counter(meetings.values_list("origin", flat=True)) == {
        "participant": 49, "organiser": 3}
    # Every accepted meeting is scheduled and published where it is; the stored schedule
    # passes the independent validator; requests are closed.
    accepted = meetings.filter(status="accepted")
    assert not accepted.filter(Q(slot=None) | Q(table=None)).exists()
    assert accepted.filter(published_slot=None).count() == 0
    assert not accepted.exclude(slot=F("published_slot")).exists()
    built = adapter.build(held)
    assert len(built.current.placements) == 40
    assert violations(built.event, built.current) == []
    assert (held.requests_open, held.published_at < held.activity.starts_at) == (False, True)
    # The full run, then the late request placed without moving published meetings.
    runs = list(ScheduleRun.objects.filter(event=held).order_by("created_at"))
    assert [(r.mode, r.scheduled, r.violations) for r in runs] == [
        ("optimise", 40, 0), ("late", 40, 0)]
    assert runs[1].moved == 0
    # Check-in: held when both came to the activity; no-shows of the one who stayed away.
    absent = held.participants.get(registration__attended=False)
    attendance = Counter(accepted.values_list("attendance", flat=True))
    assert attendance == {"held": 34, "recipient_absent": 4, "requester_absent": 2}
    assert not accepted.filter(attendance="held").filter(
        Q(requester=absent) | Q(recipient=absent)).exists()
    assert all(timezone.localdate(m.checked_in_at) == timezone.localdate(m.slot.starts_at)
               for m in accepted.select_related("slot"))
    # Two participants leave early; the scheduler kept their meetings out of the last slots.
    leaving = Participant.objects.filter(event=held, unavailable__isnull=False).distinct()
    assert leaving.count() == 2
    for participant in leaving:
        late = set(participant.unavailable.values_list("pk", flat=True))
        assert not accepted.filter(Q(requester=participant) | Q(recipient=participant),
                                   slot__in=late).exists()


@pytest.mark.django_db
def test_small_demo_b2b_outcomes_count_for_kpi_5():
    build_demo(**SMALL)
    held, _upcoming = _events()

    outcomes = IntroductionOutcome.objects.filter(
        introduction__brokerage_meetings__event=held).select_related("introduction")

    assert sorted((o.kind, o.date.isoformat()) for o in outcomes) == [
        ("collaboration_started", "2022-08-26"), ("collaboration_started", "2022-09-06"),
        ("commercial_use", "2022-10-10")]
    commercial = outcomes.get(kind="commercial_use")
    counted = kpi_figures(Period.year(2022))["commercial_use"].counted
    assert f"introduction:{commercial.introduction_id}" in counted
    meeting = Meeting.objects.get(introduction=commercial.introduction)
    assert meeting.attendance == "held"
    assert commercial.introduction.status == "accepted"


@pytest.mark.django_db
def test_small_demo_upcoming_b2b_event_waits_for_answers_and_is_not_scheduled():
    build_demo(**SMALL)
    _held, upcoming = _events()
    meetings = upcoming.meetings.all()

    assert upcoming.participants.count() == 24
    assert Counter(meetings.values_list("status", flat=True)) == {
        "requested": 23, "accepted": 5, "declined": 3}
    assert not meetings.exclude(slot=None).exists()
    assert not ScheduleRun.objects.filter(event=upcoming).exists()
    assert (upcoming.published_at, upcoming.requests_open) == (None, True)
    assert upcoming.requests_deadline == upcoming.activity.starts_at - timedelta(days=3)
    # The member login takes part, and one organisation sends two colleagues.
    assert upcoming.participants.filter(person__user__email="medlem@klynge.demo").exists()
    per_organisation = Counter(upcoming.participants.values_list("organisation", flat=True))
    assert sorted(per_organisation.values())[-2:] == [1, 2]
    # Registrations and requests were made before the anchor date.
    assert not upcoming.activity.registrations.filter(created_at__date__gte=ANCHOR).exists()
    assert not meetings.filter(created_at__date__gte=ANCHOR).exists()


@pytest.mark.django_db
def test_small_demo_b2b_records_are_dated_in_their_story_not_at_build_time():
    build_demo(**SMALL)
    held, upcoming = _events()

    entries = AuditEntry.objects.filter(action__startswith="klynge.brokerage.")
    assert entries.count() > 200
    assert not entries.filter(timestamp__date__gte=ANCHOR).exists()
    day = held.activity.starts_at
    assert not held.meetings.filter(created_at__gte=day).exists()
    assert not held.meetings.filter(answered_at__lt=F("created_at")).exists()
    assert held.runs.filter(created_at__lt=day).count() == 2
    assert not Participant.objects.filter(event=upcoming, created_at__date__gte=ANCHOR).exists()


def _fingerprint() -> dict[str, list]:
    def rows(queryset, *fields):
        return sorted(queryset.values_list(*fields), key=lambda row: tuple(map(str, row)))

    return {
        "participants": rows(Participant.objects.all(), "event__activity__title",
                             "person__email", "organisation__name", "participation_type__name",
                             "headline", "offers", "seeks", "created_at"),
        "meetings": rows(Meeting.objects.all(), "event__activity__title",
                         "requester__person__email", "recipient__person__email", "message",
                         "priority", "status", "origin", "answer_message", "answered_at",
                         "attendance", "created_at"),
        "outcomes": rows(IntroductionOutcome.objects.filter(
            introduction__brokerage_meetings__isnull=False), "kind", "date", "description"),
    }


@pytest.mark.django_db
def test_two_builds_give_the_same_b2b_events():
    build_demo(**SMALL)
    first = _fingerprint()
    wipe()

    build_demo(**SMALL)

    assert _fingerprint() == first
