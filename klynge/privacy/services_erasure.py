"""Erasure (GDPR art. 17): anonymise a person everywhere, in one transaction.

Rule: every app's privacy.py anonymises its part (klynge/privacy/registry.py), keeping every
row an aggregate counts (registrations, attendance, answers, introductions, meetings,
projects): the person becomes "Anonymised person" with an invalid e-mail address and the
organisations keep their data, so no KPI, report or frozen snapshot changes. The login account
is deactivated and scrubbed, consents are removed, and the audit log is redacted rather than
deleted (klynge.core.audit.audit_redact): the person's name, e-mail and phone become
"[erased]" in every entry, and the personal fields of the entries on their own records are
replaced whole. An anonymised person cannot be erased twice.

Side effect: the audit entry `klynge.privacy.person.erased` on the person (reason, counts).
"""

import copy
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from klynge.core.audit import audit_redact, log_action, redact_value
from klynge.core.errors import ApplicationError
from klynge.ecosystem.models import Person
from klynge.ecosystem.privacy import person_needles
from klynge.privacy.registry import privacy_modules
from klynge.privacy.selectors_access import ERASED, account_of

#: The fields whose values are replaced whole in the audit entries on the person and their
#: login account (snapshots and "changes" diffs).
PERSONAL_KEYS = frozenset({"first_name", "last_name", "email", "phone", "job_title", "notes",
                           "name", "full_name", "note"})


@dataclass(frozen=True)
class ErasureReport:
    """What an erasure did: per app, its counts; and how many audit entries were redacted."""

    person_id: int
    erased_at: datetime
    reason: str
    apps: dict[str, dict] = field(default_factory=dict)
    audit_entries_redacted: int = 0

    @property
    def total_changes(self) -> int:
        return sum(v for counts in self.apps.values() for v in counts.values()
                   if isinstance(v, int))


def _refuse_if_erased(person: Person) -> None:
    if person.erased_at is not None:
        raise ApplicationError(
            _("This person was already anonymised on %(day)s; there is nothing left to erase.")
            % {"day": person.erased_at.date().isoformat()})


def person_erase(*, person: Person, actor, reason: str) -> ErasureReport:
    """Anonymise `person` everywhere (the rule above); refuses an empty reason or a person
    already anonymised (ApplicationError, nothing written)."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason for the erasure (e.g. the person's request "
                                 "of 3 March)."), field="reason")
    with transaction.atomic():
        before = Person.objects.select_for_update().get(pk=person.pk)
        _refuse_if_erased(before)
        user = account_of(before)
        needles = person_needles(before) + ([user.email] if user else [])
        results = {label: module.erase_person(copy.copy(before), actor=actor) or {}
                   for label, module in privacy_modules()}
        after = Person.objects.get(pk=person.pk)
        if after.erased_at is None:  # ecosystem's privacy.py sets it; never leave it unset
            raise RuntimeError("the ecosystem's privacy module did not anonymise the person")
        objects = [after] + ([user] if user else [])
        redacted = audit_redact(needles=needles, objects=objects, keys=PERSONAL_KEYS)
        safe_reason = redact_value(reason, needles)
        log_action(after, ERASED, actor=actor, data={
            "reason": safe_reason, "apps": results, "audit_entries_redacted": redacted})
    person.refresh_from_db()
    return ErasureReport(person_id=after.pk, erased_at=after.erased_at, reason=safe_reason,
                         apps=results, audit_entries_redacted=redacted)
