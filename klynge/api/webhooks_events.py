"""Which audit entries become which webhook events, and what each event's payload says.

The audit log is the single source: `klynge.core.audit` calls `on_audit_entry` after the
commit of every logged action (registered in ApiConfig.ready), so no domain service knows
about webhooks. Bulk imports write their audit entries in bulk and send no events.

Payload (JSON, keys sorted):

    {"id": "evt_<audit entry id>", "event": "organisation.created",
     "occurred_at": "2026-11-27T10:00:00+00:00", "delivery": "<delivery uuid>",
     "object": {"type": "organisation", "id": 12, "url": "...", "api_url": "...", ...}}

The object is a small, stable summary (ids, names, status) with the links to the page and the
API record; personal data stays out (a registration carries its person's id only).
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from klynge.api.models import WebhookEvent

EVENT_FOR_ACTION = {
    "klynge.ecosystem.organisation.created": WebhookEvent.ORGANISATION_CREATED,
    "klynge.ecosystem.organisation.updated": WebhookEvent.ORGANISATION_CHANGED,
    "klynge.ecosystem.organisation.merged": WebhookEvent.ORGANISATION_CHANGED,
    "klynge.activities.registration.created": WebhookEvent.REGISTRATION_CREATED,
    "klynge.activities.registration.cancelled": WebhookEvent.REGISTRATION_CANCELLED,
    "klynge.activities.activity.held": WebhookEvent.ACTIVITY_HELD,
}


def _link(name: str, pk) -> str | None:
    try:
        return settings.KLYNGE_BASE_URL + reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def _organisation(pk) -> dict | None:
    from klynge.ecosystem.models import Organisation

    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        return None
    return {
        "type": "organisation", "id": organisation.pk, "name": organisation.name,
        "cvr": organisation.cvr or None,
        "url": _link("ecosystem:organisation_detail", organisation.pk),
        "api_url": _link("api:organisation-detail", organisation.pk),
    }


def _activity(pk) -> dict | None:
    from klynge.activities.models import Activity

    activity = Activity.objects.filter(pk=pk).first()
    if activity is None:
        return None
    return {
        "type": "activity", "id": activity.pk, "title": activity.title,
        "status": activity.status, "starts_at": activity.starts_at.isoformat(),
        "held_at": activity.held_at.isoformat() if activity.held_at else None,
        "url": _link("activities:activity_detail", activity.pk),
        "api_url": _link("api:activity-detail", activity.pk),
    }


def _registration(pk, activity_pk) -> dict | None:
    from klynge.activities.models import Registration

    registration = Registration.objects.filter(pk=pk).first()
    if registration is None:
        return None
    return {
        "type": "registration", "id": registration.pk, "status": registration.status,
        "person_id": registration.person_id, "organisation_id": registration.organisation_id,
        "activity": _activity(activity_pk),
        "api_url": _link("api:registration-detail", registration.pk),
    }


def event_object(entry, event: str) -> dict | None:
    """The payload's "object" for an audit entry (None when the record is gone)."""
    if event in (WebhookEvent.ORGANISATION_CREATED, WebhookEvent.ORGANISATION_CHANGED):
        summary = _organisation(entry.object_id)
        if summary is not None and event == WebhookEvent.ORGANISATION_CHANGED:
            summary["changed_fields"] = sorted((entry.data or {}).get("changes", {}))
        return summary
    if event in (WebhookEvent.REGISTRATION_CREATED, WebhookEvent.REGISTRATION_CANCELLED):
        return _registration((entry.data or {}).get("registration_id"), entry.object_id)
    return _activity(entry.object_id)


def event_payload(entry, event: str) -> dict | None:
    """The payload without its delivery id (added per delivery)."""
    obj = event_object(entry, event)
    if obj is None:
        return None
    return {"id": f"evt_{entry.pk}", "event": str(event),
            "occurred_at": entry.timestamp.isoformat(), "object": obj}


def on_audit_entry(entry) -> None:
    """Audit listener: one delivery per active subscription to the entry's event."""
    event = EVENT_FOR_ACTION.get(entry.action)
    if event is None:
        return
    from klynge.api.webhooks_services import deliveries_create

    deliveries_create(event=event, build_payload=lambda: event_payload(entry, event))
