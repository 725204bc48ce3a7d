"""Reading webhook subscriptions and their delivery log."""

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from klynge.api.models import DeliveryStatus, WebhookDelivery, WebhookSubscription


def subscription_list() -> QuerySet[WebhookSubscription]:
    """Every subscription with its delivery figures (pending, failed, last delivery)."""
    return WebhookSubscription.objects.annotate(
        pending_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        last_delivery_at=Max("deliveries__created_at"),
    ).order_by("name", "id")


def delivery_list(subscription: WebhookSubscription, *, status: str = "",
                  event: str = "") -> QuerySet[WebhookDelivery]:
    """A subscription's deliveries, newest first, optionally of one status and event."""
    deliveries = subscription.deliveries.all()
    if status:
        deliveries = deliveries.filter(status=status)
    if event:
        deliveries = deliveries.filter(event=event)
    return deliveries.order_by("-created_at", "-id")


def delivery_counts(subscription: WebhookSubscription) -> dict[str, int]:
    """The number of deliveries per status, every status present (0 when none)."""
    counts = dict(subscription.deliveries.values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status in DeliveryStatus.values}


def due_delivery_ids(*, limit: int = 1000) -> list[int]:
    """Pending deliveries of active subscriptions whose next attempt is due, oldest due first."""
    return list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now(),
            subscription__is_active=True,
        ).order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit]
    )
