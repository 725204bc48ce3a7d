"""Webhook subscriptions (administrators) and deliveries: create, send, retry, send again.

Rules: a subscription's URL uses https, except on a development server (DEBUG) or for a
receiver on this machine (127.0.0.1, localhost, ::1); it asks for at least one known event.
A delivery is tried at once, then after 1 min, 5 min, 30 min, 2 h and 12 h; after the sixth
failed attempt it is failed. Success is any 2xx answer within 5 seconds. Side effects: audit
entries klynge.api.webhook_subscription.<created|updated|enabled|disabled|deleted|
secret_rotated> and klynge.api.webhook_delivery.<resent|test_sent>; HTTP requests to the
subscriber (from the task, the `deliver_webhooks` command, or the page's buttons).
"""

import uuid
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.api import webhooks_delivery
from klynge.api.models import (
    PING_EVENT,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from klynge.api.webhooks_signing import new_secret
from klynge.core.audit import changes, field_values, log_action
from klynge.core.errors import ApplicationError

RETRY_DELAYS = (
    timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# While one attempt runs, its delivery is not due for anyone else (the task and the command
# may both look at it); longer than the request's 5 s timeout.
CLAIM = timedelta(minutes=2)
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
SUBSCRIPTION_FIELDS = ("name", "url", "events", "is_active")


def _clean(*, name: str, url: str, events) -> dict:
    name, url = (name or "").strip(), (url or "").strip()
    if not name:
        raise ApplicationError(_("Give the subscription a name."), field="name")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ApplicationError(_("Enter a full http or https URL."), field="url")
    if parts.scheme != "https" and not (settings.DEBUG or parts.hostname in LOCAL_HOSTS):
        raise ApplicationError(
            _("The URL must use https: webhook requests carry data about members."),
            field="url")
    known = set(WebhookEvent.values)
    chosen = [event for event in WebhookEvent.values if event in set(events or ())]
    unknown = sorted(set(events or ()) - known)
    if unknown:
        raise ApplicationError(_("Unknown event: %(event)s.") % {"event": unknown[0]},
                               field="events")
    if not chosen:
        raise ApplicationError(_("Choose at least one event."), field="events")
    return {"name": name, "url": url, "events": chosen}


@transaction.atomic
def subscription_create(*, actor, name: str, url: str, events, is_active: bool = True
                        ) -> WebhookSubscription:
    """Subscribe a URL to events, with a newly generated secret (shown to the creator once)."""
    subscription = WebhookSubscription.objects.create(
        **_clean(name=name, url=url, events=events), is_active=is_active, secret=new_secret(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(subscription, "klynge.api.webhook_subscription.created", actor=actor,
               data=field_values(subscription, SUBSCRIPTION_FIELDS))
    return subscription


@transaction.atomic
def subscription_update(*, subscription: WebhookSubscription, actor, name: str, url: str,
                        events, is_active: bool) -> WebhookSubscription:
    """Change a subscription's name, URL, events or state; the audit entry lists the changes."""
    before = field_values(subscription, SUBSCRIPTION_FIELDS)
    for field, value in _clean(name=name, url=url, events=events).items():
        setattr(subscription, field, value)
    subscription.is_active = is_active
    subscription.save()
    diff = changes(before, field_values(subscription, SUBSCRIPTION_FIELDS))
    if diff:
        log_action(subscription, "klynge.api.webhook_subscription.updated", actor=actor,
                   data={"changes": diff})
    return subscription


@transaction.atomic
def subscription_set_active(*, subscription: WebhookSubscription, actor, active: bool
                            ) -> WebhookSubscription:
    """Enable or disable a subscription (disabled: no new deliveries, pending ones wait)."""
    if subscription.is_active == active:
        return subscription
    subscription.is_active = active
    subscription.save(update_fields=["is_active", "updated_at"])
    event = "enabled" if active else "disabled"
    log_action(subscription, f"klynge.api.webhook_subscription.{event}", actor=actor)
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: WebhookSubscription, actor) -> None:
    """Delete a subscription and its delivery log; the audit entry keeps what it was."""
    log_action(subscription, "klynge.api.webhook_subscription.deleted", actor=actor,
               data={**field_values(subscription, SUBSCRIPTION_FIELDS),
                     "deliveries": subscription.deliveries.count()})
    subscription.delete()


@transaction.atomic
def subscription_rotate_secret(*, subscription: WebhookSubscription, actor) -> str:
    """Replace the secret at once (the receiver must switch to the new one); returns it."""
    subscription.secret = new_secret()
    subscription.save(update_fields=["secret", "updated_at"])
    log_action(subscription, "klynge.api.webhook_subscription.secret_rotated", actor=actor)
    return subscription.secret


def deliveries_create(*, event: str, build_payload: Callable[[], dict | None]
                      ) -> list[WebhookDelivery]:
    """One pending delivery of `event` per active subscription to it, each sent at once.

    `build_payload` is only called when someone subscribes (no work for unwatched events).
    """
    subscriptions = [subscription for subscription in
                     WebhookSubscription.objects.filter(is_active=True)
                     if event in subscription.events]
    if not subscriptions:
        return []
    payload = build_payload()
    if payload is None:
        return []
    now = timezone.now()
    deliveries = []
    for subscription in subscriptions:
        key = uuid.uuid4()
        deliveries.append(WebhookDelivery(
            uuid=key, subscription=subscription, event=str(event),
            payload={**payload, "delivery": str(key)}, next_attempt_at=now,
        ))
    WebhookDelivery.objects.bulk_create(deliveries)
    for delivery in WebhookDelivery.objects.filter(uuid__in=[d.uuid for d in deliveries]):
        _enqueue(delivery)
    return deliveries


def _enqueue(delivery: WebhookDelivery, run_after=None) -> None:
    """Hand the delivery to the task worker, after the current transaction commits.

    A backend without deferred tasks (the immediate one in tests and benchmarks) gets only
    immediate work; later attempts are then left to `klynge deliver_webhooks`.
    """
    from klynge.api.tasks import deliver_webhook

    task = deliver_webhook
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=run_after)
    transaction.on_commit(lambda: task.enqueue(delivery.pk))


def delivery_attempt(*, delivery_id: int) -> WebhookDelivery | None:
    """Send a due delivery once and record the outcome; None when it was not due.

    Rule: only a pending delivery of an active subscription whose next attempt is due is sent;
    it is claimed first (its next attempt moved CLAIM ahead) so that the task and the command
    never send it twice at the same time. No database transaction is held during the request.
    """
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now,
        subscription__is_active=True,
    ).update(next_attempt_at=now + CLAIM)
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    outcome = webhooks_delivery.post(
        subscription.url, body=webhooks_delivery.encode(delivery.payload),
        secret=subscription.secret, event=delivery.event, delivery_id=str(delivery.uuid),
    )
    return _record(delivery, outcome)


def _record(delivery: WebhookDelivery, outcome) -> WebhookDelivery:
    finished = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = finished
    delivery.response_code = outcome.code
    delivery.response_excerpt = outcome.excerpt
    delivery.error = outcome.error
    delivery.duration_ms = outcome.duration_ms
    if outcome.ok:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.SUCCEEDED, None
    elif delivery.attempts < MAX_ATTEMPTS:
        delivery.next_attempt_at = finished + RETRY_DELAYS[delivery.attempts - 1]
    else:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    delivery.save()
    if delivery.status == DeliveryStatus.PENDING:
        _enqueue(delivery, run_after=delivery.next_attempt_at)
    return delivery


def delivery_resend(*, delivery: WebhookDelivery, actor) -> WebhookDelivery:
    """Send a delivery again now, with the same delivery id; the retry schedule restarts."""
    if not delivery.subscription.is_active:
        raise ApplicationError(_("Enable the subscription before sending anything to it."))
    with transaction.atomic():
        delivery.status, delivery.attempts = DeliveryStatus.PENDING, 0
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
        log_action(delivery.subscription, "klynge.api.webhook_delivery.resent", actor=actor,
                   data={"delivery": str(delivery.uuid), "event": delivery.event})
    return delivery_attempt(delivery_id=delivery.pk) or delivery


def delivery_send_test(*, subscription: WebhookSubscription, actor) -> WebhookDelivery:
    """Send a "ping" event to the subscription now (retried like any delivery if it fails)."""
    if not subscription.is_active:
        raise ApplicationError(_("Enable the subscription before sending anything to it."))
    key, now = uuid.uuid4(), timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            uuid=key, subscription=subscription, event=PING_EVENT, next_attempt_at=now,
            payload={
                "id": f"evt_ping_{key.hex[:12]}", "event": PING_EVENT,
                "occurred_at": now.isoformat(), "delivery": str(key),
                "object": {"type": "subscription", "id": subscription.pk,
                           "name": subscription.name},
            },
        )
        log_action(subscription, "klynge.api.webhook_delivery.test_sent", actor=actor,
                   data={"delivery": str(key)})
    return delivery_attempt(delivery_id=delivery.pk) or delivery


def deliveries_send_due(*, limit: int = 1000) -> dict[str, int]:
    """Send every due delivery (oldest due first, at most `limit`); counts by outcome."""
    from klynge.api.webhooks_selectors import due_delivery_ids

    counts = {"sent": 0, "delivered": 0, "retrying": 0, "failed": 0}
    for delivery_id in due_delivery_ids(limit=limit):
        delivery = delivery_attempt(delivery_id=delivery_id)
        if delivery is None:
            continue
        counts["sent"] += 1
        key = {DeliveryStatus.SUCCEEDED: "delivered", DeliveryStatus.FAILED: "failed"}.get(
            delivery.status, "retrying")
        counts[key] += 1
    return counts


def deliveries_prune(*, days: int) -> int:
    """Delete finished deliveries (delivered or failed) created more than `days` days ago."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _detail = WebhookDelivery.objects.filter(
        status__in=[DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED], created_at__lt=cutoff,
    ).delete()
    return deleted
