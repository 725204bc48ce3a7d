"""Retention: the scheduled anonymisation of people a rule finds inactive, and rule edits.

`retention_apply` is what `klynge apply_retention` and the daily task run: for each active
rule (or the one given), it anonymises exactly the people the dry run lists
(selectors_retention.retention_candidates, the same query) through `person_erase`, with the
reason "retention rule <name>", and logs a summary on the rule
(`klynge.privacy.retention.applied`: how many, and their record ids).
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.core.audit import changes, field_values, log_action
from klynge.core.errors import ApplicationError
from klynge.privacy.models import RetentionRule
from klynge.privacy.selectors_retention import retention_candidates
from klynge.privacy.services_erasure import person_erase

RULE_FIELDS = ("name", "scope", "inactive_months", "action", "is_active", "description")


def _clean(data: dict, *, instance: RetentionRule | None) -> dict:
    data = {key: data[key] for key in RULE_FIELDS if key in data}
    data["name"] = (data.get("name") or "").strip()
    if not data["name"]:
        raise ApplicationError(_("A retention rule needs a name."), field="name")
    clash = RetentionRule.objects.filter(name__iexact=data["name"])
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ApplicationError(_("There is already a retention rule with this name."),
                               field="name")
    months = data.get("inactive_months", 36)
    if not isinstance(months, int) or not 6 <= months <= 240:
        raise ApplicationError(_("The inactivity window is between 6 and 240 months."),
                               field="inactive_months")
    return data


@transaction.atomic
def retention_rule_create(*, data: dict, actor) -> RetentionRule:
    """Add a rule (name unique, window 6–240 months). Side effect: an audit entry."""
    rule = RetentionRule.objects.create(**_clean(data, instance=None))
    log_action(rule, "klynge.privacy.retention_rule.created", actor=actor,
               data=field_values(rule, RULE_FIELDS))
    return rule


@transaction.atomic
def retention_rule_update(*, rule: RetentionRule, data: dict, actor) -> RetentionRule:
    """Change a rule (same checks as creating). Side effect: an audit entry of the changes."""
    before = field_values(rule, RULE_FIELDS)
    for key, value in _clean(data, instance=rule).items():
        setattr(rule, key, value)
    rule.save()
    diff = changes(before, field_values(rule, RULE_FIELDS))
    if diff:
        log_action(rule, "klynge.privacy.retention_rule.updated", actor=actor,
                   data={"changes": diff})
    return rule


def retention_rule_apply(*, rule: RetentionRule, actor=None,
                         today: date | None = None) -> list[int]:
    """Anonymise everyone `rule` finds today; the ids of the people anonymised."""
    today = today or timezone.localdate()
    ids = list(retention_candidates(rule, today=today).values_list("pk", flat=True))
    from klynge.ecosystem.models import Person

    for person in Person.objects.filter(pk__in=ids).order_by("pk"):
        person_erase(person=person, actor=actor, reason=f"retention rule {rule.name}")
    log_action(rule, "klynge.privacy.retention.applied", actor=actor, data={
        "day": today.isoformat(), "anonymised": len(ids), "person_ids": sorted(ids)})
    return sorted(ids)


def retention_apply(*, rule: RetentionRule | None = None, actor=None,
                    today: date | None = None) -> dict[str, int]:
    """Apply one rule (active or not) or every active rule; {rule name: people anonymised}.

    Each person is erased in a transaction of its own, so a failure keeps what was done.
    """
    rules = [rule] if rule is not None else list(RetentionRule.objects.filter(is_active=True))
    return {r.name: len(retention_rule_apply(rule=r, actor=actor, today=today)) for r in rules}
