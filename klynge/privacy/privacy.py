"""How the consent register takes part in access requests and erasure.

The privacy app (a later issue) collects one `export_person` and one `erase_person` from every
app's privacy.py; these are the consent register's.
"""

from klynge.privacy.models import Consent


def export_person(person) -> dict:
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


def erase_person(person) -> int:
    """Delete the person's consent rows (they go with the person); returns how many."""
    deleted, _ = Consent.objects.filter(person=person).delete()
    return deleted
