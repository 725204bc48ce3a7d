"""Webhooks: subscriptions of outside systems to Klynge's events, and every delivery to them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klynge.core.models import TimeStampedModel


class WebhookEvent(models.TextChoices):
    """The events a subscription can ask for (derived from the audit log, see webhooks_events)."""

    ORGANISATION_CREATED = "organisation.created", _("Organisation created")
    ORGANISATION_CHANGED = "organisation.changed", _("Organisation changed")
    REGISTRATION_CREATED = "registration.created", _("Registration created")
    REGISTRATION_CANCELLED = "registration.cancelled", _("Registration cancelled")
    ACTIVITY_HELD = "activity.held", _("Activity held")


# The event of "send a test event": never subscribed to, sent on request only.
PING_EVENT = "ping"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookSubscription(TimeStampedModel):
    """An outside system's URL that receives the chosen events as signed JSON POST requests.

    Administrators create, edit, disable and delete subscriptions. `secret` signs every
    request (HMAC-SHA256, header X-Klynge-Signature); it is shown once when generated and can
    be rotated. A disabled subscription receives nothing: no delivery is created for it and
    pending ones wait until it is enabled again.
    """

    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("secret"), max_length=80, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def secret_hint(self) -> str:
        """The secret's last four characters, enough to tell two secrets apart."""
        return f"…{self.secret[-4:]}" if self.secret else ""

    def event_labels(self) -> list[str]:
        labels = dict(WebhookEvent.choices)
        return [str(labels.get(event, event)) for event in self.events]


class WebhookDelivery(models.Model):
    """One event for one subscription, and the outcome of its latest attempt.

    `uuid` is the delivery's id for the receiver (header X-Klynge-Delivery and the payload's
    "delivery"), so a receiver can ignore a delivery it already processed. A failed attempt is
    retried after 1 min, 5 min, 30 min, 2 h and 12 h (`next_attempt_at`); after the sixth
    failure the delivery is failed. "Send again" starts the schedule afresh.
    """

    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(
        WebhookSubscription, verbose_name=_("subscription"), on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True,
                                           db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_excerpt = models.TextField(_("response"), blank=True)
    error = models.CharField(_("error"), max_length=255, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id} ({self.status})"

    @property
    def is_retrying(self) -> bool:
        return self.status == DeliveryStatus.PENDING and self.attempts > 0
