"""Vocabularies of brokerage events."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingOrigin(models.TextChoices):
    PARTICIPANT = "participant", _("Requested by a participant")
    ORGANISER = "organiser", _("Arranged by the organiser")


class Priority(models.IntegerChoices):
    LOW = 1, _("Nice to meet")
    NORMAL = 2, _("Want to meet")
    HIGH = 3, _("Must meet")


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", _("Not checked in")
    HELD = "held", _("Held")
    REQUESTER_ABSENT = "requester_absent", _("Requester did not show")
    RECIPIENT_ABSENT = "recipient_absent", _("Recipient did not show")
    BOTH_ABSENT = "both_absent", _("Neither showed")


class RunMode(models.TextChoices):
    OPTIMISE = "optimise", _("Full optimisation")
    EXACT = "exact", _("Exact optimisation (CP-SAT)")
    LATE = "late", _("Late requests placed")
    CANCEL = "cancel", _("Cancellations removed")
