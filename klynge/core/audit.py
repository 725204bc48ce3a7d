"""The one audit log. Services call `log_action` explicitly; nothing writes it implicitly."""

import json
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from klynge.core.models import AuditEntry

# Callables told about every audit entry once its transaction commits (e.g. the API app's
# webhooks): apps register theirs from AppConfig.ready(), so services stay unaware of them.
# A failing listener is logged and skipped; it never fails the request whose data committed.
LISTENERS: list[Callable[[AuditEntry], None]] = []


def register_listener(listener: Callable[[AuditEntry], None]) -> None:
    """Call `listener(entry)` after the commit of every transaction that logs an action."""
    if listener not in LISTENERS:
        LISTENERS.append(listener)


def _jsonable(data: dict[str, Any] | None) -> dict[str, Any]:
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))


def log_action(obj, action: str, *, actor=None, data: dict[str, Any] | None = None) -> AuditEntry:
    """Record that `action` (e.g. "klynge.ecosystem.organisation.created") happened to `obj`."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditEntry.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        data=_jsonable(data),
    )
    for listener in LISTENERS:
        transaction.on_commit(partial(listener, entry), robust=True)
    return entry


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


# --- erasure: redacting personal data in the log (the privacy app calls this) ----------------

REDACTED = "[erased]"


def redact_value(value: Any, needles, *, whole: bool = False) -> Any:
    """`value` with every occurrence of a needle (case-insensitive) replaced by "[erased]",
    through dicts and lists; with `whole`, every non-empty text becomes "[erased]"."""
    if isinstance(value, dict):
        return {key: redact_value(item, needles, whole=whole) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_value(item, needles, whole=whole) for item in value]
    if not isinstance(value, str) or not value:
        return value
    if whole:
        return REDACTED
    for needle in needles:
        value = re.sub(re.escape(needle), REDACTED, value, flags=re.IGNORECASE)
    return value


def _redact_entry(entry: AuditEntry, needles, keys, about: bool) -> bool:
    data = {
        key: redact_value(item, needles, whole=about and key in keys)
        for key, item in (entry.data or {}).items()
    } if isinstance(entry.data, dict) else redact_value(entry.data, needles)
    if "changes" in data and about and isinstance(data["changes"], dict):
        data["changes"] = {key: redact_value(item, needles, whole=key in keys)
                           for key, item in data["changes"].items()}
    object_repr = REDACTED if about else redact_value(entry.object_repr, needles)
    if data == entry.data and object_repr == entry.object_repr:
        return False
    entry.data, entry.object_repr = data, object_repr
    entry.save(update_fields=["data", "object_repr"])
    return True


def audit_redact(*, needles, objects=(), keys=frozenset()) -> int:
    """Redact a person's data in the audit log, keeping every row (erasure, GDPR art. 17).

    Rule: in every entry, each text containing one of `needles` (their name, e-mail address,
    phone number) has it replaced by "[erased]" (data and the record's name). In the entries
    about `objects` (the person's own records), the record's name and the values under `keys`
    (first_name, email, notes...) are replaced whole, also inside a "changes" diff. Returns
    the rows changed.
    """
    needles = sorted({n.strip() for n in needles if n and len(n.strip()) >= 3}, key=len,
                     reverse=True)
    about = Q(pk__in=[])
    for obj in objects:
        about |= Q(content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
                   object_id=str(obj.pk))
    mentions = Q(pk__in=[])
    for needle in needles:
        escaped = json.dumps(needle)[1:-1]  # SQLite keeps JSON with \\u escapes
        mentions |= Q(data_text__icontains=needle) | Q(data_text__icontains=escaped)
        mentions |= Q(object_repr__icontains=needle)
    entries = AuditEntry.objects.annotate(data_text=Cast("data", TextField())).filter(
        about | mentions)
    about_ids = set(AuditEntry.objects.filter(about).values_list("pk", flat=True))
    return sum(
        _redact_entry(entry, needles, keys, entry.pk in about_ids)
        for entry in entries.iterator()
    )
