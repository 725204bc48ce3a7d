"""Optimistic locking: a record's `version` keeps an edit form from saving over a newer change.

A model taking part has `version = PositiveIntegerField(default=1, editable=False)`. Its update
service saves through `save_if_current`, which raises the version by one in the same
transaction, with one conditional UPDATE (`... WHERE pk = %s AND version = %s`): of two forms
opened on the same version, only the first to save wins; the second gets `StaleEdit`, naming
who changed the record and when (from the audit log), and the fields they changed.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from klynge.core.audit import audit_entries_for
from klynge.core.errors import ApplicationError

#: Audit actions (by their ending) of the writes that raise a record's version.
VERSION_ACTIONS = (".updated", ".merged", ".imported")


class StaleEdit(ApplicationError):
    """The record changed since the form was opened; nothing was saved.

    `current_version` is the record's version now, `changed` the fields the other edits
    changed (from their audit entries; may be empty), `entry` the newest of those entries.
    """

    def __init__(self, message: str, *, current_version: int | None, changed: list[str],
                 entry=None):
        super().__init__(message, extra={"current_version": current_version,
                                         "changed": changed})
        self.current_version = current_version
        self.changed = changed
        self.entry = entry


def _actor_name(actor) -> str:
    if actor is None:
        return ""
    return (actor.get_full_name() or actor.email or "").strip()


def _when(moment) -> str:
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return formats.time_format(local, "H:i")
    return formats.date_format(local, "SHORT_DATETIME_FORMAT")


def stale_edit(obj, expected_version: int | None) -> StaleEdit:
    """The error for a form opened on `expected_version` of `obj`, worded from the audit log."""
    thing = obj._meta.verbose_name
    current = (
        type(obj)._default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
    )
    if current is None:
        return StaleEdit(
            _("This %(thing)s was deleted or merged into another while you were editing it. "
              "Your changes were not saved.") % {"thing": thing},
            current_version=None, changed=[],
        )
    missed = max(current - (expected_version or current), 1)
    entries = [
        entry for entry in audit_entries_for(obj, limit=50)
        if entry.action.endswith(VERSION_ACTIONS)
    ][:missed]
    changed: list[str] = []
    for entry in entries:
        data = entry.data or {}
        for name in [*(data.get("changes") or {}), *(data.get("filled") or [])]:
            if name not in changed:
                changed.append(name)
    entry = entries[0] if entries else None
    if entry is None:
        who_when = ""
    elif _actor_name(entry.actor):
        who_when = _(" (at %(when)s by %(name)s)") % {
            "when": _when(entry.timestamp), "name": _actor_name(entry.actor)}
    else:
        who_when = _(" (at %(when)s)") % {"when": _when(entry.timestamp)}
    message = _(
        "Someone else changed this %(thing)s while you were editing it%(who_when)s. Your "
        "changes were not saved: review their changes below and apply yours again."
    ) % {"thing": thing, "who_when": who_when}
    return StaleEdit(message, current_version=current, changed=changed, entry=entry)


def check_current(obj, expected_version: int | None) -> None:
    """Refuse early (before validating) a form opened on an older version. None: no check."""
    if expected_version is None:
        return
    current = (
        type(obj)._default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
    )
    if current != expected_version:
        raise stale_edit(obj, expected_version)


def save_if_current(obj, expected_version: int | None, fields=None):
    """Save `obj` and raise its version by one, only if its version is still
    `expected_version` (None: save whatever the version, still raising it).

    One atomic `UPDATE ... SET version = version + 1 WHERE pk = %s AND version = %s` claims
    the row (and locks it until the transaction ends); then `obj.save()` writes the fields
    (`fields`: only those, plus the version and auto-updated timestamps). Raises `StaleEdit`
    when another save came first; nothing is written then.
    """
    manager = type(obj)._default_manager
    with transaction.atomic():
        rows = manager.filter(pk=obj.pk)
        if expected_version is not None:
            rows = rows.filter(version=expected_version)
        if not rows.update(version=F("version") + 1):
            raise stale_edit(obj, expected_version)
        obj.version = manager.filter(pk=obj.pk).values_list("version", flat=True).get()
        if fields is None:
            obj.save()
        else:
            automatic = [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
            obj.save(update_fields=list(dict.fromkeys([*fields, *automatic, "version"])))
    return obj


def _display(obj, name: str) -> str:
    field = obj._meta.get_field(name)
    if field.many_to_many or field.one_to_many:
        names = [str(item) for item in getattr(obj, name).all()]
        return ", ".join(names) if names else _("(empty)")
    value = getattr(obj, f"get_{name}_display")() if field.choices else getattr(obj, name)
    if value in (None, ""):
        return _("(empty)")
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return str(formats.localize(value))


def show_stale(
    form, obj, error: StaleEdit, *, aliases: dict[str, str] | None = None,
    display: dict[str, Callable[[Any], str]] | None = None,
) -> list[Any]:
    """Prepare a refused form to be shown again: the user's input stays, the error goes on
    top, each field the other edit changed gets a "Now: …" hint with the current value, and
    the hidden version becomes the current one (saving again, after review, is a choice).

    `aliases` maps a changed name the form has no field for to the field that shows it
    (e.g. "fundings" → "grant_0"); `display` words a changed name's current value where the
    default (choices' labels, related records' names) will not do. Returns the (label,
    current value) pairs it hinted.
    """
    obj.refresh_from_db()
    form.add_error(None, error.message)
    if error.current_version is not None and "version" in form.fields:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = str(error.current_version)
    hinted = []
    for name in error.changed:
        target = (aliases or {}).get(name, name)
        if target not in form.fields:
            continue
        try:
            value = display[name](obj) if name in (display or {}) else _display(obj, name)
            field = obj._meta.get_field(name)
            label = getattr(field, "verbose_name", None) or (
                field.related_model._meta.verbose_name_plural)
        except Exception:  # noqa: BLE001 - a name the model no longer has: no hint
            continue
        field = form.fields[target]
        hint = _("Now: %(value)s (changed by the other edit).") % {"value": value}
        field.help_text = f"{hint} {field.help_text}".strip() if field.help_text else hint
        form[target].help_text = field.help_text  # a bound field copies it when made
        hinted.append((label, value))
    form.stale_changes = hinted
    return hinted
