"""Unsubscribe links: a signed token per person and purpose.

The token is signed with the secret key and a salt of its own, so it cannot be forged or
reused as another kind of signed value. It does not expire: an unsubscribe link in an old
e-mail must keep working.
"""

from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from klynge.privacy.choices import Purpose

SALT = "klynge.privacy.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeRequest:
    person_id: int
    purpose: str


def unsubscribe_token(*, person, purpose: str) -> str:
    return signing.dumps({"p": person.pk, "u": str(purpose)}, salt=SALT, compress=True)


def unsubscribe_path(*, person, purpose: str) -> str:
    """The site-relative URL of the person's unsubscribe page for `purpose`."""
    return reverse("privacy:unsubscribe", args=[unsubscribe_token(person=person, purpose=purpose)])


def read_unsubscribe_token(token: str) -> UnsubscribeRequest | None:
    """What a token asks for, or None when it is forged, damaged or names no known purpose."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    person_id, purpose = payload.get("p"), payload.get("u")
    if not isinstance(person_id, int) or purpose not in Purpose.values:
        return None
    return UnsubscribeRequest(person_id=person_id, purpose=purpose)
