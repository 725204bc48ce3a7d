"""B2B brokerage events: an activity's sessions, slots and tables, its participants with their
marketplace entries and unavailable slots, the meetings they request (and the organiser
arranges) with their place in the schedule, and the scheduler's runs.

A meeting is one record from request to check-in: requested → accepted (or declined,
cancelled); an accepted meeting gets a slot and a table from the scheduler; publishing copies
the slot and table to `published_slot`/`published_table`, so a later change is known and
announced; check-in records whether it was held.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from klynge.brokerage.choices import Attendance, MeetingOrigin, MeetingStatus, Priority, RunMode
from klynge.core.models import TimeStampedModel


class BrokerageEvent(TimeStampedModel):
    """The B2B meeting part of an activity (an activity has at most one)."""

    activity = models.OneToOneField("activities.Activity", on_delete=models.CASCADE,
                                    related_name="brokerage", verbose_name=_("activity"))
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"), default=20,
        validators=[MinValueValidator(5), MaxValueValidator(240)])
    pause_minutes = models.PositiveSmallIntegerField(
        _("changeover between meetings (minutes)"), default=5,
        validators=[MaxValueValidator(120)])
    meeting_cap = models.PositiveSmallIntegerField(
        _("meetings per participant (at most)"), null=True, blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: as many as there are slots."))
    requests_open = models.BooleanField(_("participants may request meetings"), default=True)
    requests_deadline = models.DateTimeField(_("meeting requests close"), null=True, blank=True)
    published_at = models.DateTimeField(_("schedule published"), null=True, blank=True)

    class Meta:
        verbose_name = _("B2B meeting event")
        verbose_name_plural = _("B2B meeting events")

    def __str__(self) -> str:
        return str(self.activity)

    def get_absolute_url(self) -> str:
        return reverse("brokerage:event_detail", args=[self.pk])


class Session(models.Model):
    """A block of meetings (e.g. morning, afternoon); a request may be limited to some."""

    event = models.ForeignKey(BrokerageEvent, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(_("name"), max_length=100)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="brokerage_session_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class Slot(models.Model):
    """One meeting time in a session. A break slot (coffee, lunch) holds no meetings and does
    not count as waiting time between a participant's meetings."""

    event = models.ForeignKey(BrokerageEvent, on_delete=models.CASCADE, related_name="slots")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots",
                                verbose_name=_("session"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    is_break = models.BooleanField(_("break (no meetings)"), default=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="brokerage_slot_once"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="brokerage_slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        from django.utils import timezone

        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{start:%H:%M}–{end:%H:%M}"


class Table(models.Model):
    """A place where one meeting is held at a time (numbered or named)."""

    event = models.ForeignKey(BrokerageEvent, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="brokerage_table_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class ParticipationType(models.Model):
    """A kind of participant (buyer, seller, company, researcher) with its own caps."""

    event = models.ForeignKey(BrokerageEvent, on_delete=models.CASCADE,
                              related_name="participation_types")
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(
        _("participants of this type (at most)"), null=True, blank=True,
        help_text=_("Empty: no limit."))
    meeting_cap = models.PositiveSmallIntegerField(
        _("meetings per participant (at most)"), null=True, blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: the event's limit."))
    may_meet_same_type = models.BooleanField(
        _("may meet participants of the same type"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("participation type")
        verbose_name_plural = _("participation types")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="brokerage_type_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Participant(TimeStampedModel):
    """A registered person taking part in the meetings, with their marketplace entry. `key`
    opens their personal pages (requests, agenda) from the link in their e-mail."""

    event = models.ForeignKey(BrokerageEvent, on_delete=models.CASCADE,
                              related_name="participants")
    person = models.ForeignKey("ecosystem.Person", on_delete=models.PROTECT,
                               related_name="brokerage_participations",
                               verbose_name=_("person"))
    organisation = models.ForeignKey("ecosystem.Organisation", on_delete=models.SET_NULL,
                                     null=True, blank=True,
                                     related_name="brokerage_participants",
                                     verbose_name=_("organisation"))
    registration = models.OneToOneField("activities.Registration", on_delete=models.SET_NULL,
                                        null=True, blank=True,
                                        related_name="brokerage_participant",
                                        verbose_name=_("registration"))
    participation_type = models.ForeignKey(ParticipationType, on_delete=models.RESTRICT,
                                           null=True, blank=True,
                                           related_name="participants",
                                           verbose_name=_("participation type"))
    meeting_cap = models.PositiveSmallIntegerField(
        _("meetings (at most)"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Empty: the limit of the type or the event."))
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    offers = models.TextField(_("offers"), blank=True)
    seeks = models.TextField(_("looking for"), blank=True)
    is_listed = models.BooleanField(_("shown in the marketplace"), default=True)
    unavailable = models.ManyToManyField(Slot, blank=True, related_name="unavailable_for",
                                         verbose_name=_("slots not available"))
    key = models.UUIDField(_("personal link key"), default=uuid.uuid4, unique=True,
                           editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["person__last_name", "person__first_name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"],
                                    name="brokerage_participant_once"),
        ]

    def __str__(self) -> str:
        if self.organisation_id:
            return f"{self.person} ({self.organisation})"
        return str(self.person)

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class Meeting(TimeStampedModel):
    """A wanted 1:1 meeting, from the request to the check-in."""

    event = models.ForeignKey(BrokerageEvent, on_delete=models.CASCADE, related_name="meetings")
    requester = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                  related_name="requests_made", verbose_name=_("requested by"))
    recipient = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                  related_name="requests_received",
                                  verbose_name=_("requested of"))
    message = models.TextField(_("message"), blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices,
                                                default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices,
                              default=MeetingStatus.REQUESTED, db_index=True)
    origin = models.CharField(_("origin"), max_length=20, choices=MeetingOrigin.choices,
                              default=MeetingOrigin.PARTICIPANT)
    answer_message = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("arranged by"))
    slot = models.ForeignKey(Slot, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="meetings", verbose_name=_("slot"))
    table = models.ForeignKey(Table, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="meetings", verbose_name=_("table"))
    locked = models.BooleanField(
        _("locked"), default=False,
        help_text=_("The scheduler keeps a locked meeting where it is."))
    published_slot = models.ForeignKey(Slot, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name=_("published slot"))
    published_table = models.ForeignKey(Table, on_delete=models.SET_NULL, null=True,
                                        blank=True, related_name="+",
                                        verbose_name=_("published table"))
    attendance = models.CharField(_("attendance"), max_length=20, choices=Attendance.choices,
                                  default=Attendance.UNKNOWN)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    introduction = models.ForeignKey("matchmaking.Introduction", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="brokerage_meetings",
                                     verbose_name=_("introduction"))

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=~models.Q(requester=models.F("recipient")),
                                   name="brokerage_meeting_two_participants"),
        ]

    def __str__(self) -> str:
        return f"{self.requester.person} ↔ {self.recipient.person}"

    def get_absolute_url(self) -> str:
        return reverse("brokerage:meeting_detail", args=[self.pk])

    def other(self, participant: Participant) -> Participant:
        return self.recipient if participant.pk == self.requester_id else self.requester

    @property
    def is_scheduled(self) -> bool:
        return self.status == MeetingStatus.ACCEPTED and self.slot_id is not None

    @property
    def is_published(self) -> bool:
        return self.published_slot_id is not None

    @property
    def changed_since_publication(self) -> bool:
        return self.is_published and (self.slot_id != self.published_slot_id
                                      or self.table_id != self.published_table_id)


class ScheduleRun(models.Model):
    """One run of the scheduler: what it placed, against the bound, in how long."""

    event = models.ForeignKey(BrokerageEvent, on_delete=models.CASCADE, related_name="runs")
    mode = models.CharField(_("mode"), max_length=20, choices=RunMode.choices)
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("run by"))
    accepted = models.PositiveIntegerField(_("accepted meetings"), default=0)
    scheduled = models.PositiveIntegerField(_("scheduled meetings"), default=0)
    value = models.FloatField(_("weighted value"), default=0)
    bound = models.FloatField(_("upper bound"), null=True, blank=True)
    bound_meetings = models.PositiveIntegerField(_("meetings at most"), null=True, blank=True)
    breaks = models.PositiveIntegerField(_("breaks"), default=0)
    moved = models.PositiveIntegerField(_("meetings moved"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)
    optimal = models.BooleanField(_("proven optimal"), default=False)
    violations = models.PositiveIntegerField(_("violations found by the validator"),
                                             default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("scheduler run")
        verbose_name_plural = _("scheduler runs")

    def __str__(self) -> str:
        return f"{self.event} {self.get_mode_display()} {self.created_at:%Y-%m-%d %H:%M}"
