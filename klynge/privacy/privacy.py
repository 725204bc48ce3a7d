"""How the consent register takes part in access requests and erasure.

The privacy app collects one `export_person` and one `erase_person` from every app's
privacy.py (klynge/privacy/registry.py); these are the consent register's.
"""

from django.db.models import Q

from klynge.ecosystem.models import Person
from klynge.privacy.choices import Purpose
from klynge.privacy.models import Consent
from klynge.privacy.selectors import annotate_consent


def export_person(person) -> dict[str, list[dict]]:
    """The person's consent history, newest first, for an access request (article 15)."""
    return {
        "consents": [
            {
                "purpose": row.purpose, "granted": row.granted, "given_at": row.given_at,
                "withdrawn_at": row.withdrawn_at, "source": row.source,
                "legal_basis": row.legal_basis, "note": row.note, "recorded_at": row.recorded_at,
            }
            for row in Consent.objects.filter(person=person)
        ]
    }


def erase_person(person, *, actor=None) -> dict:
    """Delete the person's consent rows (they go with the person's data)."""
    deleted, _ = Consent.objects.filter(person=person).delete()
    return {"consents_removed": deleted}


def active_person_ids(*, since):
    """People who gave a consent on or after `since`, or have one in force now: they asked
    to hear from the cluster (a newsletter subscriber is kept however quiet they are)."""
    people, in_force = Person.objects.all(), Q(consents__granted=True,
                                               consents__recorded_at__gte=since)
    for purpose in Purpose.values:
        people = annotate_consent(people, purpose, name=f"consent_{purpose}")
        in_force |= Q(**{f"consent_{purpose}": True})
    return people.filter(in_force).values("pk")
