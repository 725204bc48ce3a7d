"""Writes to the consent register. Each change appends a row and writes the audit log.

The audit entries are written on the person (`klynge.privacy.consent.given` / `.withdrawn`),
so the person's page shows them in its history.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.ecosystem.models import Person
from klynge.privacy.choices import ConsentSource, LegalBasis, Purpose
from klynge.privacy.models import Consent
from klynge.privacy.selectors import consent_in_force
from klynge.privacy.tokens import read_unsubscribe_token


def _check(purpose: str, source: str, legal_basis: str) -> None:
    if purpose not in Purpose.values:
        raise ApplicationError(_("Unknown purpose of consent."), field="purpose")
    if source not in ConsentSource.values:
        raise ApplicationError(_("Unknown source of consent."), field="source")
    if legal_basis not in LegalBasis.values:
        raise ApplicationError(_("Unknown legal basis."), field="legal_basis")


def _log(consent: Consent, event: str, actor) -> None:
    log_action(
        consent.person, f"klynge.privacy.consent.{event}", actor=actor,
        data={"purpose": consent.purpose, "source": consent.source,
              "legal_basis": consent.legal_basis, "note": consent.note},
    )


@transaction.atomic
def consent_give(
    *, person: Person, purpose: str, source: str, legal_basis: str = LegalBasis.CONSENT,
    note: str = "", actor=None,
) -> Consent:
    """Record that a person gives consent to `purpose`.

    Appends a row in force; if consent is already in force on the same basis, nothing is
    written and the row in force is returned. An anonymised person cannot consent (their
    data is gone; a new record would be a new person). Side effect: an audit entry.
    """
    _check(purpose, source, legal_basis)
    if person.erased_at is not None:
        raise ApplicationError(_("This person was anonymised; no consent can be recorded."))
    current = consent_in_force(person, purpose)
    if current is not None and current.granted and current.legal_basis == legal_basis:
        return current
    now = timezone.now()
    consent = Consent.objects.create(
        person=person, purpose=purpose, granted=True, given_at=now, source=source,
        legal_basis=legal_basis, note=note, recorded_at=now, recorded_by=_user(actor),
    )
    _log(consent, "given", actor)
    return consent


@transaction.atomic
def consent_withdraw(
    *, person: Person, purpose: str, source: str, note: str = "", actor=None
) -> Consent:
    """Record that a person withdraws consent to (or objects to) `purpose`.

    Appends a withdrawal row even when no consent was ever recorded, so an objection is kept
    and later imports cannot silently assume consent. Already withdrawn: nothing is written.
    Side effect: an audit entry on the person.
    """
    current = consent_in_force(person, purpose)
    _check(purpose, source, current.legal_basis if current else LegalBasis.CONSENT)
    if current is not None and not current.granted:
        return current
    now = timezone.now()
    consent = Consent.objects.create(
        person=person, purpose=purpose, granted=False,
        given_at=current.given_at if current else None, withdrawn_at=now, source=source,
        legal_basis=current.legal_basis if current else LegalBasis.CONSENT, note=note,
        recorded_at=now, recorded_by=_user(actor),
    )
    _log(consent, "withdrawn", actor)
    return consent


def consent_withdraw_by_token(*, token: str) -> Consent:
    """The unsubscribe link's withdrawal: the token names the person and purpose.

    A forged or damaged token, or one for a person no longer registered, raises
    ApplicationError and writes nothing.
    """
    request = read_unsubscribe_token(token)
    person = Person.objects.filter(pk=request.person_id).first() if request else None
    if person is None:
        raise ApplicationError(_("This unsubscribe link is not valid."))
    return consent_withdraw(
        person=person, purpose=request.purpose, source=ConsentSource.UNSUBSCRIBE_LINK
    )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
