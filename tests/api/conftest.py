"""API fixtures: a DRF APIClient authenticated with a role's token.

Other API test modules (tests/api/*) use these; keep the names stable:

- `api_client(role, **user_extra)`: a factory returning an APIClient sending
  `Authorization: Token <key>` for a fresh user of that role (`client.user`, `client.token`).
- `member_api_client`: the same for a member user whose organisation holds a current membership
  (`client.user.organisation` is theirs).
- `staff_api_client`, `grant_giver_api_client`: shortcuts.
- `anon_api_client`: an APIClient without credentials.
"""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from klynge.core.roles import Role
from tests.factories import user_with_role


def token_client_for(user) -> APIClient:
    """An APIClient authenticated as `user` with their (new or existing) API token."""
    token, _created = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    client.user = user
    client.token = token
    return client


@pytest.fixture
def api_client(db):
    """Factory: `api_client(Role.STAFF)` → APIClient authenticated with that role's token."""

    def make(role: str, **user_extra) -> APIClient:
        return token_client_for(user_with_role(role, **user_extra))

    return make


@pytest.fixture
def member_api_client(api_client):
    return api_client(Role.MEMBER)


@pytest.fixture
def staff_api_client(api_client):
    return api_client(Role.STAFF)


@pytest.fixture
def grant_giver_api_client(api_client):
    return api_client(Role.GRANT_GIVER)


@pytest.fixture
def anon_api_client(db):
    return APIClient()
