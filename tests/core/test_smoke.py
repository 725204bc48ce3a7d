import pytest

from klynge.core.roles import Role
from tests.factories import user_with_role


@pytest.mark.django_db
def test_home_sends_anonymous_visitors_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_home_greets_signed_in_staff(staff_client):
    response = staff_client.get("/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_management_without_totp_is_sent_to_set_it_up(client):
    user = user_with_role(Role.STAFF)
    user.role = Role.MANAGEMENT
    user.save()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate" in response["Location"]
