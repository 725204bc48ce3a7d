"""The API token page: a signed-in user creates, regenerates and revokes their own token,
sees its key once, and every change is in the audit log."""

import re

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PAGE = "/api/tokens/"


def shown_key(response) -> str:
    return re.search(r'id="api-token-key"[^>]*value="([0-9a-f]{40})"',
                     response.content.decode()).group(1)


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def test_the_page_offers_a_token_to_a_user_without_one(staff_client):
    response = staff_client.get(PAGE)

    assert response.status_code == 200
    assert "You have no API token." in response.content.decode()
    assert 'action="/api/tokens/create/"' in response.content.decode()


def test_creating_a_token_shows_its_key_once_and_it_works(staff_client):
    response = staff_client.post("/api/tokens/create/")

    key = shown_key(response)
    token = Token.objects.get(user=staff_client.user)
    assert key == token.key
    assert "it is shown only this once" in response.content.decode()
    assert key not in staff_client.get(PAGE).content.decode()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_id) == (
        "klynge.api.token.created", staff_client.user, str(staff_client.user.pk))
    assert key not in str(entry.data)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/organisations/").status_code == 200


def test_regenerating_replaces_the_old_token(staff_client):
    old = shown_key(staff_client.post("/api/tokens/create/"))

    new = shown_key(staff_client.post("/api/tokens/create/"))

    assert new != old
    assert list(Token.objects.filter(user=staff_client.user).values_list("key", flat=True)) == [
        new]
    assert actions() == ["klynge.api.token.created", "klynge.api.token.regenerated"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert api.get("/api/v1/organisations/").status_code == 401


def test_revoking_deletes_the_token_and_is_logged(staff_client):
    key = shown_key(staff_client.post("/api/tokens/create/"))

    response = staff_client.post("/api/tokens/revoke/", follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    assert "Your API token was revoked: it no longer works." in response.content.decode()
    assert not Token.objects.exists()
    assert actions() == ["klynge.api.token.created", "klynge.api.token.revoked"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/organisations/").status_code == 401


def test_revoking_without_a_token_says_so_and_logs_nothing(staff_client):
    response = staff_client.post("/api/tokens/revoke/", follow=True)

    assert "You had no API token." in response.content.decode()
    assert actions() == []


def test_the_actions_are_posts_confirmed_in_the_page(staff_client):
    staff_client.post("/api/tokens/create/")

    html = staff_client.get(PAGE).content.decode()

    assert staff_client.get("/api/tokens/create/").status_code == 405
    assert staff_client.get("/api/tokens/revoke/").status_code == 405
    assert 'data-confirm="Revoke your token? Programs using it lose access at once."' in html
    assert "Regenerate" in html


@pytest.mark.parametrize("role", [Role.MEMBER, Role.GRANT_GIVER, Role.ADMINISTRATOR])
def test_every_role_manages_its_own_token(client, role):
    user = user_with_role(role)
    client.force_login(user)

    client.post("/api/tokens/create/")

    assert list(Token.objects.values_list("user", flat=True)) == [user.pk]


def test_the_user_menu_links_the_token_page(staff_client):
    assert 'href="/api/tokens/"' in staff_client.get("/").content.decode()


def test_signed_out_visitors_are_sent_to_the_login(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
