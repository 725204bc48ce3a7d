"""The held B2B event: the story of `Story` up to the day and after it (scheduling,
publication, a cancellation and a late request, check-in, outcomes)."""

from collections import Counter
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from klynge.activities.models import Activity, Registration
from klynge.brokerage.choices import Attendance, MeetingStatus, Priority
from klynge.brokerage.models import BrokerageEvent, Participant, ScheduleRun
from klynge.core.errors import ApplicationError
from klynge.demo.builder.brokerage.banks import (
    ABSENT,
    ACCEPT_MESSAGES,
    ARRANGED,
    CANCEL_REASON,
    COMPANY,
    HELD_PARTICIPANTS,
    OUTCOME_NOTES,
    OUTCOMES,
    REQUEST_MESSAGES,
    REQUESTS_PER_PARTICIPANT,
    SESSIONS,
    STEP,
    TABLES,
    TIME_LIMIT,
    UNANSWERED_SHARE,
)
from klynge.demo.builder.brokerage.story import Story
from klynge.matchmaking.models import Introduction, IntroductionOutcome


class HeldStory(Story):
    """The held event, from set-up to outcomes."""

    def held(self, activity: Activity) -> BrokerageEvent:
        from klynge.brokerage.services import events, scheduling

        start = timezone.localtime(activity.starts_at)
        day = start.date()
        _name, last_offset, last_slots = SESSIONS[-1]
        ends = start + timedelta(minutes=last_offset + STEP * last_slots)
        if activity.ends_at < ends:  # a B2B day runs until its last meeting
            Activity.objects.filter(pk=activity.pk).update(ends_at=ends, held_at=ends)
            activity.ends_at = activity.held_at = ends
        event = self.setup(activity, TABLES, self.moment(day - timedelta(days=35), 10))
        participants = self.add(event, held_registrations(activity),
                                self.moment(day - timedelta(days=30), 11))
        self._unavailable(event, participants, self.moment(day - timedelta(days=6), 15))
        requests = self.request(participants, REQUESTS_PER_PARTICIPANT * len(participants),
                                self.moment(day - timedelta(days=5), 12))
        self.answer(requests, unanswered=UNANSWERED_SHARE,
                    latest=self.moment(day - timedelta(days=4), 17))
        self.arrange(event, participants, ARRANGED, self.moment(day - timedelta(days=4), 14))
        actor = self.organiser
        run = scheduling.schedule_optimise(event=event, actor=actor, exact=False,
                                           time_limit=TIME_LIMIT)
        runs = [(run, self.moment(day - timedelta(days=3), 9))]
        self.clock.stamp(runs[-1][1])
        scheduling.schedule_publish(event=event, actor=actor)
        published = self.moment(day - timedelta(days=3), 9, 30)
        self.clock.stamp(published)
        self._late_changes(event, participants, self.moment(day - timedelta(days=2), 13))
        late = event.runs.order_by("-pk").first()
        if late is not None and late.pk != run.pk:
            runs.append((late, self.moment(day - timedelta(days=2), 13, 5)))
        scheduling.schedule_publish(event=event, actor=actor)
        republished = self.moment(day - timedelta(days=2), 14)
        self.clock.stamp(republished)
        events.event_update(event=event, actor=actor, data={
            "requests_open": False, "requests_deadline": self.moment(day - timedelta(days=2),
                                                                     12)})
        self.clock.stamp(republished)
        BrokerageEvent.objects.filter(pk=event.pk).update(published_at=republished,
                                                          updated_at=republished)
        for schedule_run, when in runs:
            ScheduleRun.objects.filter(pk=schedule_run.pk).update(created_at=when)
        self._check_in(event)
        self._outcomes(event, day)
        self._restamp(event)
        return event

    def _unavailable(self, event: BrokerageEvent, participants: list[Participant],
                     at: datetime) -> None:
        """Two participants leave early: the last three slots are not for them."""
        from klynge.brokerage.services.participants import participant_set_unavailable

        late_slots = list(event.slots.filter(is_break=False).order_by("-starts_at")[:3])
        for participant in self.rng.sample(participants, min(2, len(participants))):
            participant_set_unavailable(participant=participant, actor=self.organiser,
                                        slots=late_slots)
        self.clock.stamp(at)

    def _late_changes(self, event: BrokerageEvent, participants: list[Participant],
                      at: datetime) -> None:
        """After publication: one meeting is cancelled by its requester, and one late request
        is accepted and placed at once without moving the published meetings."""
        from klynge.brokerage.services.meetings import (
            meeting_answer,
            meeting_cancel,
            meeting_request,
        )

        scheduled = list(event.meetings.filter(status=MeetingStatus.ACCEPTED,
                                               slot__isnull=False).order_by("pk"))
        if scheduled:
            cancelled = self.rng.choice(scheduled)
            meeting_cancel(meeting=cancelled, participant=cancelled.requester,
                           reason=CANCEL_REASON)
            self._done(cancelled, "updated_at", at - timedelta(hours=4))
        taken = {frozenset(pair) for pair in event.meetings.values_list(
            "requester_id", "recipient_id")}
        tables = event.tables.count()
        open_slots = {slot.pk for slot in event.slots.filter(is_break=False).annotate(
            used=Count("meetings", filter=Q(meetings__status=MeetingStatus.ACCEPTED)))
            if slot.used < tables}
        # The two with the fewest meetings who may meet and have a free place in common (so
        # the request is placed without moving a published meeting): the same two in every
        # build unless the schedule leaves them no common place.
        accepted = Counter()
        for pair in event.meetings.filter(status=MeetingStatus.ACCEPTED).values_list(
                "requester_id", "recipient_id"):
            accepted.update(pair)
        ranked = sorted(participants, key=lambda p: accepted[p.pk])
        for requester in ranked:
            mine = self._free(requester, open_slots)
            others = [p for p in ranked if self._may_ask(requester, p, taken)
                      and mine & self._free(p, open_slots)]
            if not others:
                continue
            recipient = others[0]
            try:
                meeting = meeting_request(requester=requester, recipient=recipient,
                                          message=REQUEST_MESSAGES[2], priority=Priority.NORMAL)
                self._done(meeting, "created_at", at - timedelta(hours=3))
                meeting_answer(meeting=meeting, participant=recipient, accept=True,
                               message=ACCEPT_MESSAGES[0])
            except ApplicationError:
                continue
            self._done(meeting, "answered_at", at + timedelta(minutes=5))
            return

    @staticmethod
    def _free(participant: Participant, slots: set[int]) -> set[int]:
        """The slots among `slots` where the participant has no meeting and can meet."""
        busy = set(participant.event.meetings.filter(
            Q(requester=participant) | Q(recipient=participant), status=MeetingStatus.ACCEPTED,
            slot__isnull=False).values_list("slot_id", flat=True))
        return slots - busy - set(participant.unavailable.values_list("pk", flat=True))

    def _check_in(self, event: BrokerageEvent) -> None:
        """Held when both came to the activity; otherwise a no-show of whoever did not."""
        from klynge.brokerage.services.day import meeting_check_in

        scheduled = (event.meetings.filter(status=MeetingStatus.ACCEPTED, slot__isnull=False)
                     .select_related("slot", "requester__registration",
                                     "recipient__registration").order_by("pk"))
        for meeting in scheduled:
            came = (bool(meeting.requester.registration and meeting.requester.registration
                         .attended),
                    bool(meeting.recipient.registration and meeting.recipient.registration
                         .attended))
            attendance = {(True, True): Attendance.HELD,
                          (False, True): Attendance.REQUESTER_ABSENT,
                          (True, False): Attendance.RECIPIENT_ABSENT,
                          (False, False): Attendance.BOTH_ABSENT}[came]
            try:
                meeting_check_in(meeting=meeting, actor=self.organiser, attendance=attendance)
            except ApplicationError:  # an anchor after today: the day has not come yet
                return
            self._done(meeting, "checked_in_at",
                       meeting.slot.starts_at + timedelta(minutes=self.rng.randint(1, 6)))

    def _outcomes(self, event: BrokerageEvent, day: date) -> None:
        """A few held meetings came to something, each between other organisations: one to
        commercial use of research results (KPI 5; a company and a research organisation
        where they met), the others to a collaboration."""
        from klynge.brokerage.services.day import meeting_record_outcome

        held = [m for m in event.meetings.filter(attendance=Attendance.HELD).select_related(
            "requester__participation_type", "recipient__participation_type",
            "requester__organisation", "recipient__organisation").order_by("pk")
            if m.requester.organisation_id != m.recipient.organisation_id]
        order = self.rng.sample(held, len(held))
        across = [m for m in order
                  if m.requester.participation_type_id != m.recipient.participation_type_id]
        last = min(self.ctx.anchor, timezone.localdate()) - timedelta(days=1)
        plan, organisations = {}, set()
        for index in sorted(range(len(OUTCOMES)), key=lambda i: OUTCOMES[i][0] != "commercial_use"):
            candidates = across + order if OUTCOMES[index][0] == "commercial_use" else order
            free = [m for m in candidates if m not in plan.values() and not {
                m.requester.organisation_id, m.recipient.organisation_id} & organisations]
            if free:
                plan[index] = free[0]
                organisations |= {free[0].requester.organisation_id,
                                  free[0].recipient.organisation_id}
        for index, (kind, low, high) in enumerate(OUTCOMES):
            meeting = plan.get(index)
            on = min(last, day + timedelta(days=self.rng.randint(low, high)))
            if meeting is None or on < day:
                continue
            company, other = ((meeting.requester, meeting.recipient)
                              if meeting.requester.participation_type.name == COMPANY
                              else (meeting.recipient, meeting.requester))
            note = OUTCOME_NOTES[kind].format(a=company.organisation.name,
                                              b=other.organisation.name)
            meeting_record_outcome(meeting=meeting, actor=self.organiser, kind=kind, on=on,
                                   note=note)
            self.clock.stamp(self.moment(on, 11))
            # The introduction the meeting became was made on the day of the event (its
            # time in the schedule is the solver's choice, which two builds need not share).
            moment = self.moment(day, 9)
            meeting.refresh_from_db(fields=["introduction"])
            Introduction.objects.filter(pk=meeting.introduction_id).update(
                created_at=moment, sent_at=moment, responded_a_at=moment,
                responded_b_at=moment, updated_at=self.moment(on, 11))
            IntroductionOutcome.objects.filter(introduction=meeting.introduction_id,
                                               date=on).update(
                created_at=self.moment(on, 11), updated_at=self.moment(on, 11))


def held_registrations(activity: Activity) -> list[Registration]:
    """Up to HELD_PARTICIPANTS registered people: those who came, and ABSENT who did not."""
    live = list(Registration.objects.filter(activity=activity, status="registered")
                .select_related("person", "organisation").order_by("pk"))
    came = [r for r in live if r.attended]
    absent = [r for r in live if not r.attended][:ABSENT]
    return sorted(came[:HELD_PARTICIPANTS - len(absent)] + absent, key=lambda r: r.pk)
