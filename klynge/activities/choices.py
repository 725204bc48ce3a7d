"""Vocabularies of activities and participation."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from klynge.funding.choices import ActivityType  # noqa: F401 - one vocabulary, two apps


class ActivityFormat(models.TextChoices):
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    FOCUS_NETWORK_MEETING = "focus_network_meeting", _("Focus-network meeting")
    SEMINAR = "seminar", _("Seminar")
    CONFERENCE = "conference", _("Conference")
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webinar", _("Webinar")
    COMPANY_VISIT = "company_visit", _("Company visit")
    INSTITUTE_VISIT = "institute_visit", _("Institute visit")
    BUSINESS_MISSION = "business_mission", _("Business mission")
    INNOVATION_WORKSHOP = "innovation_workshop", _("Innovation workshop")
    B2B_MATCHMAKING = "b2b_matchmaking", _("B2B matchmaking event")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for registration")
    CLOSED = "closed", _("Registration closed")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ParticipationRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    SPEAKER = "speaker", _("Speaker")
    KNOWLEDGE_PARTNER = "knowledge_partner", _("Knowledge partner")
    ORGANISER = "organiser", _("Organiser")
    CO_ORGANISER = "co_organiser", _("Co-organiser")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationSource(models.TextChoices):
    PUBLIC = "public", _("Public sign-up page")
    STAFF = "staff", _("Registered by staff")
    PORTAL = "portal", _("Member portal")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Free text")
    CHOICE = "choice", _("One of several choices")
    YES_NO = "yes_no", _("Yes or no")
