"""Vocabularies of segments and invitations."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from klynge.outreach.domain.segments import (
    MEMBERSHIP_ANY,
    MEMBERSHIP_MEMBER,
    MEMBERSHIP_NONE,
    MEMBERSHIP_PAYING,
)

MEMBERSHIP_CHOICES = [
    (MEMBERSHIP_ANY, _("Members and others")),
    (MEMBERSHIP_PAYING, _("Current paying members")),
    (MEMBERSHIP_MEMBER, _("Any current member (paying, partner, honorary)")),
    (MEMBERSHIP_NONE, _("Not members")),
]


class DeliveryStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    SKIPPED_NO_CONSENT = "skipped_no_consent", _("Skipped: no consent")
    SKIPPED_UNSUBSCRIBED = "skipped_unsubscribed", _("Skipped: unsubscribed")
    FAILED = "failed", _("Failed")
