"""Background tasks of the API app (django-tasks; the worker runs them, tests run them inline)."""

from django_tasks import task


@task()
def deliver_webhook(delivery_id: int) -> str:
    """Send one webhook delivery if it is due; its status afterwards ("" when it was not due)."""
    from klynge.api.webhooks_services import delivery_attempt

    delivery = delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery else ""
