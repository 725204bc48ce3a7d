"""Reads for access requests: the audit entries about a person, and the privacy log.

"Audit entries about a person" (what an access export lists) are exactly the entries
1. on their person record (content type Person, object id = their pk);
2. on their login account, if they have one (content type User, object id = its pk);
3. made by their login account (actor = it): what they did themselves;
4. whose data mentions their e-mail address (anywhere in the JSON text, case-insensitive),
   or names their person record under the key "person", "person_id", "person_a" or "person_b".
"""

import json
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from klynge.core.models import AuditEntry, User

EXPORTED = "klynge.privacy.person.exported"
ERASED = "klynge.privacy.person.erased"
PERSON_KEYS = ("person", "person_id", "person_a", "person_b")


def account_of(person) -> User | None:
    return User.objects.filter(person_id=person.pk).first()


def _on(obj) -> Q:
    return Q(content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
             object_id=str(obj.pk))


def audit_entries_about(person) -> QuerySet:
    """The audit entries about `person` (the four kinds above), newest first."""
    about = _on(person)
    user = account_of(person)
    if user is not None:
        about |= _on(user) | Q(actor=user)
    for key in PERSON_KEYS:
        about |= Q(**{f"data__{key}": person.pk})
    if person.email:
        escaped = json.dumps(person.email)[1:-1]
        about |= Q(data_text__icontains=person.email) | Q(data_text__icontains=escaped)
    return (AuditEntry.objects.annotate(data_text=Cast("data", TextField()))
            .filter(about).select_related("actor", "content_type").distinct()
            .order_by("-timestamp", "-id"))


def privacy_log(person) -> QuerySet:
    """The exports and erasures of a person's data, newest first."""
    return AuditEntry.objects.filter(_on(person), action__in=[EXPORTED, ERASED]).select_related(
        "actor").order_by("-timestamp", "-id")


def recent_exports(days: int = 30) -> QuerySet:
    since = timezone.now() - timedelta(days=days)
    return AuditEntry.objects.filter(action=EXPORTED, timestamp__gte=since)


def privacy_events() -> QuerySet:
    """Every export and erasure, newest first (the overview's log)."""
    return AuditEntry.objects.filter(action__in=[EXPORTED, ERASED]).select_related(
        "actor").order_by("-timestamp", "-id")
