"""Move every relation from one record to another: the mechanism behind merging duplicates.

It walks the model's reverse relations at run time, so relations that later apps add (an
activity's participants, a project's partners) move too without changing this code.
"""

from collections.abc import Callable

from django.db import IntegrityError, models, transaction

#: Model label -> function(row=, field_name=, target=) called before a row that would break a
#: unique constraint on the target is dropped, so its app can carry over what the target's
#: own row lacks (a project partner's coordinator role). Apps register from AppConfig.ready().
ON_COLLISION: dict[str, Callable] = {}


def move_relations(*, source: models.Model, target: models.Model) -> dict[str, int]:
    """Point every foreign key and many-to-many row at `source` to `target`.

    Returns how many rows moved per relation. Rows that would break a unique constraint on
    the target (the same person twice in one interaction) are dropped, since the target
    already has them.
    """
    moved: dict[str, int] = {}
    meta = source._meta
    for relation in meta.related_objects:
        if relation.one_to_one:
            continue  # a one-to-one (a login) is moved by the caller, who knows which wins
        related_model = relation.related_model
        field_name = relation.field.name
        label = f"{related_model._meta.label}.{field_name}"
        if relation.many_to_many:
            moved[label] = _move_m2m(relation, source, target)
            continue
        rows = related_model._default_manager.filter(**{field_name: source})
        count = 0
        for row in rows:
            try:
                with transaction.atomic():
                    setattr(row, field_name, target)
                    row.save(update_fields=[field_name])
                count += 1
            except IntegrityError:
                keep = ON_COLLISION.get(related_model._meta.label)
                if keep is not None:
                    keep(row=row, field_name=field_name, target=target)
                row.delete()
        moved[label] = count
    for field in meta.many_to_many:
        through = getattr(source, field.name).through
        if through._meta.auto_created:
            moved[f"{meta.label}.{field.name}"] = _copy_forward_m2m(field, source, target)
    return {label: count for label, count in moved.items() if count}


def _move_m2m(relation, source, target) -> int:
    through = relation.through
    if not through._meta.auto_created:
        return 0  # an explicit through model is a related object of its own: moved as a FK
    source_col = relation.field.m2m_reverse_field_name()
    rows = through._default_manager.filter(**{source_col: source.pk})
    other_col = relation.field.m2m_field_name()
    existing = set(
        through._default_manager.filter(**{source_col: target.pk}).values_list(
            f"{other_col}_id", flat=True
        )
    )
    count = 0
    for row in rows:
        if getattr(row, f"{other_col}_id") in existing:
            row.delete()
            continue
        setattr(row, f"{source_col}_id", target.pk)
        row.save()
        count += 1
    return count


def _copy_forward_m2m(field, source, target) -> int:
    source_values = set(getattr(source, field.name).values_list("pk", flat=True))
    target_values = set(getattr(target, field.name).values_list("pk", flat=True))
    missing = source_values - target_values
    if missing:
        getattr(target, field.name).add(*missing)
    return len(missing)
