"""One B2B event told step by step through the brokerage services (set-up, participants,
requests, answers, arranged meetings), remembering when each step happened in the demo's
story: the services stamp the time of the build, and these stamps are set afterwards."""

from datetime import date, datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from klynge.activities.models import Activity, Registration
from klynge.brokerage.choices import Priority
from klynge.brokerage.models import BrokerageEvent, Meeting, Participant
from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from klynge.demo.builder.activities import COPENHAGEN
from klynge.demo.builder.brokerage.banks import (
    ACCEPT_MESSAGES,
    ARRANGE_MESSAGE,
    BREAK_SLOT,
    COMPANY,
    DECLINE_MESSAGES,
    DECLINED_SHARE,
    MEETING_MINUTES,
    PAUSE_MINUTES,
    REQUEST_MESSAGES,
    REQUESTS_PER_PARTICIPANT,
    RESEARCH,
    SESSIONS,
    STEP,
    TYPES,
    UPCOMING_TABLES,
)
from klynge.demo.builder.organisations import KNOWLEDGE_KINDS


class Clock:
    """Dates the audit entries the services wrote since the last stamp to the moment the
    step happened in the demo's story (the services stamp the time of the build)."""

    def __init__(self):
        self.mark = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0

    def stamp(self, moment: datetime) -> None:
        fresh = AuditEntry.objects.filter(pk__gt=self.mark)
        last = fresh.aggregate(last=Max("pk"))["last"]
        if last is not None:
            fresh.update(timestamp=moment)
            self.mark = last


class Story:
    """One event told step by step through the services, remembering when each step
    happened so the stamps can be set afterwards."""

    def __init__(self, ctx, rng, kinds: dict, organiser):
        self.ctx, self.rng, self.kinds = ctx, rng, kinds
        self.organiser = organiser
        self.clock = Clock()
        self.times: dict[int, dict[str, datetime]] = {}  # meeting pk → field → moment
        self.joined: dict[int, datetime] = {}  # participant pk → when added

    @staticmethod
    def moment(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=COPENHAGEN)

    def setup(self, activity: Activity, tables: int, at: datetime) -> BrokerageEvent:
        from klynge.brokerage.services import events

        actor = self.organiser
        event = events.event_create(activity=activity, actor=actor,
                                    meeting_minutes=MEETING_MINUTES, pause_minutes=PAUSE_MINUTES)
        start = timezone.localtime(activity.starts_at)
        for name, offset, slots in SESSIONS:
            begins = start + timedelta(minutes=offset)
            session = events.session_add(event=event, actor=actor, name=name, starts_at=begins,
                                         ends_at=begins + timedelta(minutes=STEP * slots))
            if offset == 0:
                events.slot_set_break(slot=list(session.slots.all())[BREAK_SLOT], actor=actor,
                                      is_break=True)
        events.tables_set(event=event, actor=actor,
                          names=[f"Bord {n}" for n in range(1, tables + 1)])
        for name, cap, same in TYPES:
            events.type_save(event=event, actor=actor, data={
                "name": name, "meeting_cap": cap, "may_meet_same_type": same})
        BrokerageEvent.objects.filter(pk=event.pk).update(created_at=at, updated_at=at)
        self.clock.stamp(at)
        return event

    def add(self, event: BrokerageEvent, registrations: list[Registration],
            at: datetime) -> list[Participant]:
        from klynge.brokerage.services.participants import participant_add

        types = {t.name: t for t in event.participation_types.all()}
        added = []
        for registration in registrations:
            kind = self.kinds.get(registration.organisation_id)
            participant = participant_add(
                event=event, person=registration.person, actor=self.organiser,
                organisation=registration.organisation, registration=registration,
                participation_type=types[RESEARCH if kind in KNOWLEDGE_KINDS else COMPANY])
            joined = max(at, registration.created_at + timedelta(hours=2))
            self.joined[participant.pk] = joined
            self.clock.stamp(joined)
            added.append(participant)
        for participant in added:
            Participant.objects.filter(pk=participant.pk).update(
                created_at=self.joined[participant.pk], updated_at=self.joined[participant.pk])
        return added

    # -- requests and answers ----------------------------------------------------------------
    def request(self, participants: list[Participant], wanted: int, latest: datetime
                ) -> list[Meeting]:
        """About `wanted` requests: every participant asks a few others, the popular ones
        more often; pairs the rules refuse (colleagues, two researchers) are not asked."""
        from klynge.brokerage.services.meetings import meeting_request

        rng = self.rng
        order = rng.sample(participants, len(participants))
        weight = {p.pk: 1 / (rank + 1) ** 0.6 for rank, p in enumerate(order)}
        asked: set[frozenset] = set()
        made = []
        for _round in range(REQUESTS_PER_PARTICIPANT * 3):
            for requester in rng.sample(participants, len(participants)):
                if len(made) >= wanted:
                    return made
                if rng.random() < 0.25:
                    continue
                others = [p for p in participants if self._may_ask(requester, p, asked)]
                if not others:
                    continue
                recipient = rng.choices(others, [weight[p.pk] for p in others])[0]
                asked.add(frozenset((requester.pk, recipient.pk)))
                message = rng.choice(REQUEST_MESSAGES).format(first=recipient.person.first_name)
                priority = rng.choices(Priority.values, (2, 5, 3))[0]
                try:
                    meeting = meeting_request(requester=requester, recipient=recipient,
                                              message=message, priority=priority)
                except ApplicationError:
                    continue
                first = max(self.joined[requester.pk], self.joined[recipient.pk])
                hours = max(1, int((latest - first).total_seconds() // 3600))
                self._done(meeting, "created_at", first + timedelta(
                    hours=rng.randint(1, hours), minutes=rng.randint(0, 59)))
                made.append(meeting)
        return made

    def _may_ask(self, requester: Participant, other: Participant, asked: set) -> bool:
        if other.pk == requester.pk or frozenset((requester.pk, other.pk)) in asked:
            return False
        if other.organisation_id == requester.organisation_id:
            return False
        same = other.participation_type_id == requester.participation_type_id
        return not (same and requester.participation_type.name == RESEARCH)

    def answer(self, meetings: list[Meeting], *, unanswered: float, latest: datetime) -> None:
        """Most recipients accept, some decline, a few never answer; an agenda that is full
        by then declines."""
        from klynge.brokerage.services.meetings import meeting_answer

        for meeting in meetings:
            draw = self.rng.random()
            if draw < unanswered:
                continue
            accept = draw >= unanswered + DECLINED_SHARE
            asked = self.times[meeting.pk]["created_at"]
            when = max(asked + timedelta(minutes=30),
                       min(latest, asked + timedelta(hours=self.rng.randint(2, 72))))
            message = self.rng.choice(ACCEPT_MESSAGES if accept else DECLINE_MESSAGES)
            try:
                meeting_answer(meeting=meeting, participant=meeting.recipient, accept=accept,
                               message=message)
            except ApplicationError:
                meeting_answer(meeting=meeting, participant=meeting.recipient, accept=False,
                               message=DECLINE_MESSAGES[0])
            self._done(meeting, "answered_at", when)

    def arrange(self, event: BrokerageEvent, participants: list[Participant], count: int,
                at: datetime) -> None:
        """The organiser puts together a few pairs who did not ask each other."""
        from klynge.brokerage.services.meetings import meeting_arrange

        taken = {frozenset(pair) for pair in Meeting.objects.filter(event=event).values_list(
            "requester_id", "recipient_id")}
        made = 0
        for requester in participants:
            for recipient in reversed(participants):
                if made == count:
                    return
                if not self._may_ask(requester, recipient, taken):
                    continue
                taken.add(frozenset((requester.pk, recipient.pk)))
                try:
                    meeting = meeting_arrange(event=event, requester=requester,
                                              recipient=recipient, actor=self.organiser,
                                              priority=Priority.HIGH, message=ARRANGE_MESSAGE)
                except ApplicationError:
                    continue
                self._done(meeting, "created_at", at)
                self._done(meeting, "answered_at", at)
                made += 1
                break

    def _done(self, meeting: Meeting, field: str, when: datetime) -> None:
        self.times.setdefault(meeting.pk, {})[field] = when
        self.clock.stamp(when)

    # -- the times of the story ------------------------------------------------------------
    def _restamp(self, event: BrokerageEvent) -> None:
        """Write the remembered times of the meetings (the services stamped the build's)."""
        rows = list(Meeting.objects.filter(pk__in=list(self.times)))
        for meeting in rows:
            times = self.times[meeting.pk]
            meeting.created_at = times.get("created_at", meeting.created_at)
            if meeting.answered_at is not None:
                meeting.answered_at = times.get("answered_at", meeting.created_at)
            if meeting.checked_in_at is not None and "checked_in_at" in times:
                meeting.checked_in_at = times["checked_in_at"]
            meeting.updated_at = max(t for t in (meeting.created_at, meeting.answered_at,
                                                 meeting.checked_in_at, times.get("updated_at"))
                                     if t is not None)
        Meeting.objects.bulk_update(rows, ["created_at", "answered_at", "checked_in_at",
                                           "updated_at"], batch_size=500)

    # -- the upcoming event ------------------------------------------------------------------
    def upcoming(self, activity: Activity) -> BrokerageEvent:
        anchor = self.ctx.anchor
        event = self.setup(activity, UPCOMING_TABLES,
                           self.moment(anchor - timedelta(days=20), 10))
        registrations = list(Registration.objects.filter(activity=activity).select_related(
            "person", "organisation").order_by("pk"))
        participants = self.add(event, registrations,
                                self.moment(anchor - timedelta(days=19), 11))
        latest = self.moment(anchor - timedelta(days=1), 15)
        requests = self.request(participants, round(1.3 * len(participants)), latest)
        answered = [m for m in requests if self.rng.random() < 0.35]
        self.answer(answered, unanswered=0.0, latest=latest)
        self._restamp(event)
        return event
