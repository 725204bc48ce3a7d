"""The one audit log. Services call `log_action` explicitly; nothing writes it implicitly."""

import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from klynge.core.models import AuditEntry


def _jsonable(data: dict[str, Any] | None) -> dict[str, Any]:
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))


def log_action(obj, action: str, *, actor=None, data: dict[str, Any] | None = None) -> AuditEntry:
    """Record that `action` (e.g. "klynge.ecosystem.organisation.created") happened to `obj`."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        data=_jsonable(data),
    )


def audit_entries_for(obj, limit: int = 100):
    """The audit trail of one record, newest first."""
    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
            object_id=str(obj.pk),
        )
        .select_related("actor")[:limit]
    )


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields that differ between two snapshots, as {field: [old, new]}."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
