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


def field_values(obj, fields) -> dict[str, Any]:
    """A record's fields as a snapshot for `changes`: related records by their id."""
    return {
        field: getattr(obj, f"{field}_id") if obj._meta.get_field(field).is_relation
        else getattr(obj, field)
        for field in fields
    }


def assign_fields(obj, fields, data: dict[str, Any], *, strip_text: bool = False) -> None:
    """Set the `fields` present in `data` on `obj` (a related record or its id for a relation;
    text stripped of surrounding blanks when `strip_text`)."""
    for field in fields:
        if field not in data:
            continue
        value = data[field]
        if obj._meta.get_field(field).is_relation:
            setattr(obj, f"{field}_id", value.pk if hasattr(value, "pk") else value)
        elif strip_text and isinstance(value, str):
            setattr(obj, field, value.strip())
        else:
            setattr(obj, field, value)


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields that differ between two snapshots, as {field: [old, new]}."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
