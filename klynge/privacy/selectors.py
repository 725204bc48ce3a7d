"""Reads of the consent register.

The rule everywhere: the latest recorded row per person and purpose is in force; no row
means no consent.
"""

from django.db.models import OuterRef, Q, QuerySet, Subquery

from klynge.privacy.choices import Purpose
from klynge.privacy.models import Consent

#: The name `annotate_consent` gives its annotation: True (in force), False (withdrawn) or
#: None (never recorded).
CONSENT_STATE = "consent_granted"


def _latest(purpose: str, person: str = "pk") -> QuerySet:
    return Consent.objects.filter(person=OuterRef(person), purpose=purpose).order_by(
        "-recorded_at", "-id"
    )


def consent_in_force(person, purpose: str) -> Consent | None:
    """The row in force for a person and purpose, or None when nothing was ever recorded."""
    return (
        Consent.objects.filter(person=person, purpose=purpose)
        .order_by("-recorded_at", "-id")
        .first()
    )


def has_consent(person, purpose: str) -> bool:
    """Whether the person's consent to `purpose` is in force."""
    latest = consent_in_force(person, purpose)
    return latest is not None and latest.granted


def annotate_consent(queryset: QuerySet, purpose: str, name: str = CONSENT_STATE, *,
                     person: str = "pk") -> QuerySet:
    """Annotate a queryset with the state of each person's consent (one query): a Person
    queryset, or one whose field `person` (e.g. "person_id") holds the person."""
    return queryset.annotate(
        **{name: Subquery(_latest(purpose, person).values("granted")[:1])})


def not_withdrawn(queryset: QuerySet, purpose: str, *, person: str = "pk") -> QuerySet:
    """The rows of `queryset` whose person has not withdrawn their consent to `purpose`
    (granted, or never answered: where a purpose is a default, as being visible in
    matchmaking is, a withdrawal is what must be respected)."""
    state = "_consent_state"
    return annotate_consent(queryset, purpose, state, person=person).filter(
        Q(**{f"{state}__isnull": True}) | Q(**{state: True}))


def people_with_consent(queryset: QuerySet, purpose: str) -> QuerySet:
    """The people of a Person queryset whose consent to `purpose` is in force (one query)."""
    return annotate_consent(queryset, purpose, "_consent_in_force").filter(
        _consent_in_force=True
    )


def consent_overview(person) -> list[dict]:
    """Each purpose with the row in force (or None), in the order of the purposes."""
    latest: dict[str, Consent] = {}
    for row in Consent.objects.filter(person=person).select_related("recorded_by"):
        latest.setdefault(row.purpose, row)  # rows come newest first
    return [
        {"purpose": purpose, "label": label, "current": latest.get(purpose)}
        for purpose, label in Purpose.choices
    ]


def consent_history(person) -> QuerySet:
    return Consent.objects.filter(person=person).select_related("recorded_by")
