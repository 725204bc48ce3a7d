"""API tokens: each user has at most one, creates, regenerates or revokes it themselves.

The key is shown once, when it is made; the audit log records that a token was made or
revoked (never the key itself).
"""

from django.db import transaction
from rest_framework.authtoken.models import Token

from klynge.core.audit import log_action


def token_of(user) -> Token | None:
    return Token.objects.filter(user=user).first()


@transaction.atomic
def token_create(*, user) -> Token:
    """Make the user's API token; an existing one is replaced (it stops working at once).

    Audit: klynge.api.token.created, or klynge.api.token.regenerated when one existed.
    """
    replaced = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    action = "klynge.api.token.regenerated" if replaced else "klynge.api.token.created"
    log_action(user, action, actor=user, data={"created": token.created.isoformat()})
    return token


@transaction.atomic
def token_revoke(*, user) -> bool:
    """Delete the user's API token (False when there was none). Audit: klynge.api.token.revoked."""
    deleted = Token.objects.filter(user=user).delete()[0] > 0
    if deleted:
        log_action(user, "klynge.api.token.revoked", actor=user, data={})
    return deleted
