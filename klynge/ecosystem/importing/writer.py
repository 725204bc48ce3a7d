"""Writing a plan to the registry in bulk, with one audit entry per created or changed record.

The audit entries have the shape `log_action` writes (action, actor, object, data), but are
inserted in bulk: one insert per row would make a 20,000-row import take minutes.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from klynge.core.models import AuditEntry
from klynge.ecosystem.importing.plan import Plan, Record
from klynge.ecosystem.models import Affiliation, Organisation, Person

CHUNK = 500
ORGANISATION_ACTION = "klynge.ecosystem.organisation.imported"
PERSON_ACTION = "klynge.ecosystem.person.imported"
AFFILIATION_ACTION = "klynge.ecosystem.affiliation.added"

Progress = Callable[[int, int, str], None]


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class _Writer:
    def __init__(self, plan: Plan, *, batch_id: int, actor, progress: Progress | None):
        self.plan = plan
        self.batch_id = batch_id
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.progress = progress
        self.now = timezone.now()
        self.audit: list[AuditEntry] = []
        self.done = 0
        self.total = sum(1 for r in plan.records if r.outcome != "unchanged")

    def step(self, count: int) -> None:
        self.done += count
        if self.progress:
            self.progress(self.done, self.total, "write")

    def log(self, obj, action: str, data: dict[str, Any]) -> None:
        self.audit.append(AuditEntry(
            timestamp=self.now, actor=self.actor, action=action,
            content_type=ContentType.objects.get_for_model(type(obj), for_concrete_model=True),
            object_id=str(obj.pk), object_repr=str(obj)[:255],
            data=_jsonable({"batch_id": self.batch_id, **data}),
        ))

    def create(self, model, records: list[Record], build, action: str) -> list:
        created = []
        for chunk in _chunks(records):
            objects = [build(record) for record in chunk]
            model.objects.bulk_create(objects)
            for record, obj in zip(chunk, objects, strict=True):
                record.pk = obj.pk
                self.log(obj, action, {"created": True, "changes": {
                    name: [None, value] for name, value in record.changes.items()}})
            created.extend(objects)
            self.step(len(chunk))
        return created

    def update(self, model, records: list[Record], action: str) -> None:
        groups: dict[tuple[str, ...], list[Record]] = defaultdict(list)
        for record in records:
            groups[tuple(sorted(record.changes))].append(record)
        for fields, members in groups.items():
            for chunk in _chunks(members):
                objects = []
                for record in chunk:
                    obj = model(pk=record.pk, updated_at=self.now, **(record.current or {}))
                    for name in fields:
                        setattr(obj, name, record.changes[name][1])
                    objects.append(obj)
                    self.log(obj, action, {"created": False, "changes": record.changes})
                if fields:
                    # Raise the version (optimistic locking): an edit form opened before the
                    # import is refused rather than saved over the imported values.
                    for obj in objects:
                        obj.version = F("version") + 1
                    model.objects.bulk_update(objects, [*fields, "updated_at", "version"])
                self.step(len(chunk))

    def flush_audit(self) -> None:
        for chunk in _chunks(self.audit, 1000):
            AuditEntry.objects.bulk_create(chunk)
        self.audit.clear()


def _new_values(record: Record) -> dict[str, Any]:
    values = {**record.defaults, **record.values}
    record.changes = dict(values)
    return values


def write_organisations(plan: Plan, *, batch_id: int, actor, progress=None) -> dict[str, int]:
    writer = _Writer(plan, batch_id=batch_id, actor=actor, progress=progress)
    new = [r for r in plan.records if r.outcome == "new"]
    changed = [r for r in plan.records if r.outcome == "updated"]

    def build(record: Record) -> Organisation:
        return Organisation(**_new_values(record))

    with transaction.atomic():
        writer.create(Organisation, new, build, ORGANISATION_ACTION)
        writer.update(Organisation, changed, ORGANISATION_ACTION)
        writer.flush_audit()
    return {"created": len(new), "updated": len(changed), "affiliations": 0}


def write_people(plan: Plan, *, batch_id: int, actor, progress=None) -> dict[str, int]:
    writer = _Writer(plan, batch_id=batch_id, actor=actor, progress=progress)
    new = [r for r in plan.records if r.outcome == "new"]
    changed = [r for r in plan.records if r.outcome == "updated"]

    def build(record: Record) -> Person:
        return Person(**_new_values(record))

    with transaction.atomic():
        people = writer.create(Person, new, build, PERSON_ACTION)
        changed_fields = [r for r in changed if r.changes]
        writer.update(Person, changed_fields, PERSON_ACTION)
        affiliations = _affiliate(writer, [r for r in plan.records if r.new_affiliation], people)
        writer.flush_audit()
        writer.step(writer.total - writer.done)
    return {"created": len(new), "updated": len(changed), "affiliations": affiliations}


def _affiliate(writer: _Writer, records: list[Record], people: list[Person]) -> int:
    """Add the affiliations the file names; the first one of a person becomes primary."""
    names = dict(Organisation.objects.filter(
        pk__in={r.affiliation["organisation_id"] for r in records}
    ).values_list("pk", "name"))
    by_pk = {person.pk: person for person in people}
    objects = []
    for record in records:
        link = record.affiliation
        objects.append(Affiliation(
            person_id=record.pk, organisation_id=link["organisation_id"], role=link["role"],
            is_primary=link["is_primary"], start_date=link["start_date"],
        ))
        person = by_pk.get(record.pk) or Person(pk=record.pk, **(record.current or {}))
        writer.log(person, AFFILIATION_ACTION, {
            "organisation_id": link["organisation_id"],
            "organisation": names.get(link["organisation_id"], ""),
            "role": link["role"], "primary": link["is_primary"],
        })
    for chunk in _chunks(objects):
        Affiliation.objects.bulk_create(chunk)
    return len(objects)


def write_plan(plan: Plan, *, batch_id: int, actor, progress=None) -> dict[str, int]:
    """Create and update the planned records in one transaction: all of them, or none."""
    writer = write_organisations if plan.target == "organisations" else write_people
    return writer(plan, batch_id=batch_id, actor=actor, progress=progress)
